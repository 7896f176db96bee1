"""Anything that can change a public page moves the portal epoch after it commits (``content.page_cache``).

One global epoch: a publish changes its own page, its section, home, audience and topic pages,
feeds and the sitemap, and the banner on every page when it is a warning, so finer scopes would
save little. Covered: publish and unpublish (including scheduled go-live and expiry, which Wagtail
performs as such), moves, deletions, privacy changes, live pages saved directly (factories, a
shell), and the rows pages show: topics, audiences, regions, their links to pages, images,
documents, sites. Draft saves, revisions, comments and locks change nothing public and are skipped.
Emergency windows opening and closing need no signal: cached entries expire at the next boundary.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import page_cache
from .models import (
    CONTENT_MODELS,
    ArticlePageTopic,
    Audience,
    EmergencyPage,
    EmergencyPageTopic,
    Region,
    Topic,
    VideoPageTopic,
)

# Page fields Wagtail writes for drafts, revisions, comments and locks: nothing the public sees.
PAGE_BOOKKEEPING_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "wagtail_admin_comments",
        "locked",
        "locked_at",
        "locked_by",
    }
)
# Image and document fields filled in lazily (on first use), not edits.
MEDIA_LAZY_FIELDS = frozenset({"file_size", "file_hash"})


def on_change(sender, **kwargs):
    page_cache.portal_invalidate_on_commit()


def on_page_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or (created and not instance.live):
        return  # fixtures; a new draft
    if update_fields is not None and set(update_fields) <= PAGE_BOOKKEEPING_FIELDS:
        return
    page_cache.portal_invalidate_on_commit()


def on_media_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and set(update_fields) <= MEDIA_LAZY_FIELDS):
        return
    page_cache.portal_invalidate_on_commit()


def register_signal_handlers():
    page_published.connect(on_change, dispatch_uid="page_cache_published")
    page_unpublished.connect(on_change, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(on_change, dispatch_uid="page_cache_moved")
    post_delete.connect(on_change, sender=Page, dispatch_uid="page_cache_page_deleted")
    # post_save is sent with the concrete class as the sender: every page model.
    for model in get_page_models():
        post_save.connect(on_page_saved, sender=model, dispatch_uid=f"page_cache_{model.__name__}_page_saved")
    plain = (
        PageViewRestriction,
        Site,
        Topic,
        Audience,
        Region,
        ArticlePageTopic,
        VideoPageTopic,
        EmergencyPageTopic,
    )
    for model in plain:
        post_save.connect(on_change, sender=model, dispatch_uid=f"page_cache_{model.__name__}_saved")
        post_delete.connect(on_change, sender=model, dispatch_uid=f"page_cache_{model.__name__}_deleted")
    for model in (get_image_model(), get_document_model()):
        post_save.connect(on_media_saved, sender=model, dispatch_uid=f"page_cache_{model.__name__}_saved")
        post_delete.connect(on_change, sender=model, dispatch_uid=f"page_cache_{model.__name__}_deleted")
    for model in CONTENT_MODELS:
        m2m_changed.connect(
            on_change, sender=model.audiences.through, dispatch_uid=f"page_cache_{model.__name__}_audiences"
        )
    m2m_changed.connect(on_change, sender=EmergencyPage.regions.through, dispatch_uid="page_cache_regions")

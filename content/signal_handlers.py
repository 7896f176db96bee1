"""Anything that can change a public page moves the portal epoch after it commits (``content.page_cache``).

One global epoch: a publish changes its own page, its section, home, audience and topic pages,
feeds and the sitemap, and the banner on every page when it is a warning, so finer scopes would
save little. Covered: publish and unpublish (including scheduled go-live and expiry, which Wagtail
performs as such), moves, deletions, privacy changes, live pages saved directly (factories, a
shell), and the rows pages show: topics, audiences, regions, their links to pages, images,
documents, sites. Draft saves, revisions, comments and locks change nothing public and are skipped.
Emergency windows opening and closing need no signal: cached entries expire at the next boundary.

Listing cards (``content.cards``) are keyed by their page's live revision and publish time, so a
publish renews its own card only; what changes a card without a publish moves the cards epoch too.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import cards, page_cache
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


def on_card_change(sender, **kwargs):
    """A change that can alter cards without a publish (audiences, sites, privacy, moves)."""
    page_cache.portal_invalidate_on_commit()
    cards.cards_invalidate_on_commit()


def _card_key(page) -> tuple:
    return (page.live_revision_id, page.last_published_at)


def on_page_saving(sender, instance, raw=False, **kwargs):
    """Remember the card key the page had (``content.cards``): a save that keeps it (a live page
    saved without publishing) must move the cards epoch."""
    if raw or instance.pk is None:
        return
    before = Page.objects.filter(pk=instance.pk).values_list("live_revision_id", "last_published_at").first()
    instance._card_key_before = before


def on_page_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or (created and not instance.live):
        return  # fixtures; a new draft
    if update_fields is not None and set(update_fields) <= PAGE_BOOKKEEPING_FIELDS:
        return
    page_cache.portal_invalidate_on_commit()
    if getattr(instance, "_card_key_before", None) == _card_key(instance):
        cards.cards_invalidate_on_commit()


def on_media_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and set(update_fields) <= MEDIA_LAZY_FIELDS):
        return
    page_cache.portal_invalidate_on_commit()
    cards.cards_invalidate_on_commit()


def on_audiences_changed(sender, action, pk_set=None, **kwargs):
    """A page's audiences (shown on its card). A publish that keeps them sends empty changes."""
    if action.startswith("pre_"):
        return
    page_cache.portal_invalidate_on_commit()
    if pk_set or action == "post_clear":
        cards.cards_invalidate_on_commit()


def register_signal_handlers():
    page_published.connect(on_change, dispatch_uid="page_cache_published")
    page_unpublished.connect(on_change, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(on_card_change, dispatch_uid="page_cache_moved")
    post_delete.connect(on_card_change, sender=Page, dispatch_uid="page_cache_page_deleted")
    # pre_save and post_save are sent with the concrete class as the sender: every page model.
    for model in get_page_models():
        pre_save.connect(
            on_page_saving, sender=model, dispatch_uid=f"page_cache_{model.__name__}_page_saving"
        )
        post_save.connect(on_page_saved, sender=model, dispatch_uid=f"page_cache_{model.__name__}_page_saved")
    for model in (Topic, Region, ArticlePageTopic, VideoPageTopic, EmergencyPageTopic):  # not on cards
        post_save.connect(on_change, sender=model, dispatch_uid=f"page_cache_{model.__name__}_saved")
        post_delete.connect(on_change, sender=model, dispatch_uid=f"page_cache_{model.__name__}_deleted")
    for model in (PageViewRestriction, Site, Audience):
        post_save.connect(on_card_change, sender=model, dispatch_uid=f"page_cache_{model.__name__}_saved")
        post_delete.connect(on_card_change, sender=model, dispatch_uid=f"page_cache_{model.__name__}_deleted")
    for model in (get_image_model(), get_document_model()):
        post_save.connect(on_media_saved, sender=model, dispatch_uid=f"page_cache_{model.__name__}_saved")
        post_delete.connect(on_card_change, sender=model, dispatch_uid=f"page_cache_{model.__name__}_deleted")
    for model in CONTENT_MODELS:
        m2m_changed.connect(
            on_audiences_changed,
            sender=model.audiences.through,
            dispatch_uid=f"page_cache_{model.__name__}_audiences",
        )
    m2m_changed.connect(on_change, sender=EmergencyPage.regions.through, dispatch_uid="page_cache_regions")

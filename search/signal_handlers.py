"""Publishing side effects for search: one receiver per event, each enqueues a sync task after commit."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .documents import page_ids_for_resync
from .models import SynonymGroup
from .result_cache import search_results_invalidate
from .tasks import search_document_sync_task


def _enqueue(page_ids):
    for page_id in page_ids:
        transaction.on_commit(lambda pk=page_id: search_document_sync_task.enqueue(pk))


def on_publish_or_unpublish(sender, instance, **kwargs):
    _enqueue([instance.pk])


def on_page_deleted(sender, instance, **kwargs):
    _enqueue([instance.pk])


def on_move(sender, instance, **kwargs):
    _enqueue(page_ids_for_resync(instance))


def on_view_restriction_changed(sender, instance, **kwargs):
    if instance.page_id:
        page = Page.objects.filter(pk=instance.page_id).first()
        if page is not None:
            _enqueue(page_ids_for_resync(page))


def on_synonyms_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        transaction.on_commit(search_results_invalidate)


def register_signal_handlers():
    page_published.connect(on_publish_or_unpublish, dispatch_uid="search_page_published")
    page_unpublished.connect(on_publish_or_unpublish, dispatch_uid="search_page_unpublished")
    post_page_move.connect(on_move, dispatch_uid="search_page_moved")
    post_delete.connect(on_page_deleted, sender=Page, dispatch_uid="search_page_deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_changed, sender=PageViewRestriction, dispatch_uid=f"search_privacy_{signal}"
        )
        signal.connect(on_synonyms_changed, sender=SynonymGroup, dispatch_uid=f"search_synonyms_{signal}")

"""Anything that can change a playlist moves the screens' epoch, so the next poll gets a new ETag.

Changes driven by the clock alone (an emergency starting or ending, a schedule window) are handled
by the feed cache's expiry time, not here.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import feed_cache
from .models import Screen, ScreenExclusion, ScreenGroup, ScreenPin, ScreenSchedule


def on_content_changed(sender, **kwargs):
    transaction.on_commit(feed_cache.playlist_epoch_bump)


def on_screen_changed(sender, instance, **kwargs):
    feed_cache.auth_forget(instance.pk)  # token rotation and disabling take effect at once
    transaction.on_commit(lambda: feed_cache.auth_forget(instance.pk))
    transaction.on_commit(feed_cache.playlist_epoch_bump)


def register_signal_handlers():
    page_published.connect(on_content_changed, dispatch_uid="screens_page_published")
    page_unpublished.connect(on_content_changed, dispatch_uid="screens_page_unpublished")
    post_page_move.connect(on_content_changed, dispatch_uid="screens_page_moved")
    post_delete.connect(on_content_changed, sender=Page, dispatch_uid="screens_page_deleted")
    for signal in (post_save, post_delete):
        name = signal is post_save and "save" or "delete"
        signal.connect(on_content_changed, sender=PageViewRestriction, dispatch_uid=f"screens_privacy_{name}")
        for model in (ScreenGroup, ScreenSchedule, ScreenPin, ScreenExclusion):
            signal.connect(on_content_changed, sender=model, dispatch_uid=f"screens_{model.__name__}_{name}")
        signal.connect(on_screen_changed, sender=Screen, dispatch_uid=f"screens_screen_{name}")
    m2m_changed.connect(on_content_changed, sender=Screen.audiences.through, dispatch_uid="screens_audiences")

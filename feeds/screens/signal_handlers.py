"""Anything that can change a playlist moves the epochs of the screens it can affect.

A content page reaches screens through its audiences (and regions, for emergencies), so a publish
or unpublish moves only those screens' epochs: the scope before the change (stashed by
``pre_save``, while the database still holds it) and after it. Moves, deletions and privacy
changes are rare and their reach is hard to know, so they move every screen's epoch.

Changes driven by the clock alone (an emergency starting or ending, a schedule window) are handled
by the feed stamp's expiry time, not here.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from content.models import CONTENT_MODELS

from . import feed_cache
from .models import Screen, ScreenExclusion, ScreenGroup, ScreenPin, ScreenSchedule
from .selectors import content_scope_get, screen_ids_affected, screen_ids_in_group

SCOPE_BEFORE = "_screens_scope_before"


def on_content_pre_save(sender, instance, **kwargs):
    if instance.pk and not kwargs.get("raw"):
        setattr(instance, SCOPE_BEFORE, content_scope_get(sender, instance.pk))


def on_content_changed(sender, instance, **kwargs):
    page_id, model = instance.pk, type(instance)
    before = getattr(instance, SCOPE_BEFORE, None)

    def invalidate():
        scope = content_scope_get(model, page_id)
        feed_cache.screens_invalidate(screen_ids_affected(page_id, scope | before if before else scope))

    transaction.on_commit(invalidate)


def on_tree_changed(sender, **kwargs):
    transaction.on_commit(feed_cache.screens_invalidate_all)


def on_screen_changed(sender, instance, **kwargs):
    feed_cache.auth_forget(instance.pk)  # token rotation and disabling take effect at once
    transaction.on_commit(lambda: feed_cache.auth_forget(instance.pk))
    transaction.on_commit(lambda: feed_cache.screens_invalidate([instance.pk]))


def on_screen_audiences_changed(sender, instance, **kwargs):
    if isinstance(instance, Screen):
        transaction.on_commit(lambda: feed_cache.screens_invalidate([instance.pk]))
    else:  # an audience changed from its side: whichever screens it touched
        transaction.on_commit(feed_cache.screens_invalidate_all)


def on_group_rules_changed(sender, instance, **kwargs):
    if isinstance(instance, ScreenGroup) and kwargs.get("signal") is post_delete:
        # Its screens have already lost their group (SET_NULL) and cannot be found by it any more.
        transaction.on_commit(feed_cache.screens_invalidate_all)
        return
    group_id = instance.pk if isinstance(instance, ScreenGroup) else instance.group_id
    screen_ids = screen_ids_in_group(group_id)  # now: a deleted group's rows are gone after commit
    transaction.on_commit(lambda: feed_cache.screens_invalidate(screen_ids))


def register_signal_handlers():
    for model in CONTENT_MODELS:
        name = model.__name__
        pre_save.connect(on_content_pre_save, sender=model, dispatch_uid=f"screens_{name}_pre_save")
        page_published.connect(on_content_changed, sender=model, dispatch_uid=f"screens_{name}_published")
        page_unpublished.connect(on_content_changed, sender=model, dispatch_uid=f"screens_{name}_unpublished")
    post_page_move.connect(on_tree_changed, dispatch_uid="screens_page_moved")
    post_delete.connect(on_tree_changed, sender=Page, dispatch_uid="screens_page_deleted")
    for signal in (post_save, post_delete):
        name = signal is post_save and "save" or "delete"
        signal.connect(on_tree_changed, sender=PageViewRestriction, dispatch_uid=f"screens_privacy_{name}")
        for model in (ScreenGroup, ScreenSchedule, ScreenPin, ScreenExclusion):
            signal.connect(
                on_group_rules_changed, sender=model, dispatch_uid=f"screens_{model.__name__}_{name}"
            )
        signal.connect(on_screen_changed, sender=Screen, dispatch_uid=f"screens_screen_{name}")
    m2m_changed.connect(
        on_screen_audiences_changed, sender=Screen.audiences.through, dispatch_uid="screens_audiences"
    )

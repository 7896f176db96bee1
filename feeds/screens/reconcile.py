"""Heal invalidations the cache never received, within one scheduler tick.

Every invalidation is a cache write made after the change commits. It can be lost: Redis hangs
(the client gives up after ``SOCKET_TIMEOUT`` and production ignores the error), or the process
dies between its commit and its ``on_commit`` callback. The stored feed would then keep
answering 304 until its 24 h TTL.

So each invalidation also writes the moment it was made (``INVALIDATED_AT_KEY``, in the same
``set_many`` as the epochs, so both arrive or neither does), and the scheduler compares it with
the newest change in the database that can reach a feed: Wagtail's page log (publish, unpublish,
scheduled go-live and expiry, move, delete, privacy), screens and screen groups saved or deleted. A change older than ``GRACE`` seconds that no
invalidation has followed moves the global epoch, so every screen rebuilds once.
"""

import logging
import time
from datetime import UTC, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Max
from wagtail.models import ModelLogEntry, PageLogEntry

from . import feed_cache
from .models import Screen, ScreenGroup

logger = logging.getLogger(__name__)

GRACE = 10.0  # seconds: an invalidation normally follows its commit within milliseconds


# Logged page actions that invalidate screens (signal_handlers); a draft save or a comment does not.
PAGE_ACTIONS = (
    "wagtail.publish",
    "wagtail.publish.scheduled",
    "wagtail.unpublish",
    "wagtail.unpublish.scheduled",
    "wagtail.move",
    "wagtail.delete",
    "wagtail.view_restriction.create",
    "wagtail.view_restriction.edit",
    "wagtail.view_restriction.delete",
)


def latest_change_ts(*, since) -> float | None:
    """The newest change since ``since`` that can reach a screen's feed, as a Unix timestamp."""
    candidates = [
        PageLogEntry.objects.filter(timestamp__gte=since, action__in=PAGE_ACTIONS).aggregate(
            latest=Max("timestamp")
        )["latest"],
        ModelLogEntry.objects.filter(
            timestamp__gte=since,
            action="wagtail.delete",
            content_type__in=ContentType.objects.get_for_models(Screen, ScreenGroup).values(),
        ).aggregate(latest=Max("timestamp"))["latest"],
        Screen.objects.aggregate(latest=Max("updated_at"))["latest"],
        ScreenGroup.objects.aggregate(latest=Max("updated_at"))["latest"],
    ]
    stamps = [moment.timestamp() for moment in candidates if isinstance(moment, datetime)]
    return max(stamps) if stamps else None


def screens_reconcile(*, now_ts: float | None = None) -> bool:
    """Move the global epoch if a change has gone without an invalidation; True when it did."""
    now_ts = time.time() if now_ts is None else now_ts
    # Older changes no longer matter: a stored feed lives at most FEED_TTL.
    changed = latest_change_ts(since=datetime.fromtimestamp(now_ts - feed_cache.FEED_TTL, tz=UTC))
    if changed is None or now_ts - changed < GRACE:
        return False  # nothing yet, or its own invalidation may still be on its way
    invalidated = cache.get(feed_cache.INVALIDATED_AT_KEY)
    # Both moments come from the app processes' clocks (the log entry is stamped by the process that
    # commits, the invalidation after that commit), so they compare without slack on synced hosts.
    if invalidated is not None and changed <= invalidated:
        return False
    when = datetime.fromtimestamp(changed, tz=UTC).isoformat(timespec="seconds")
    logger.warning(
        "screens: the change at %s reached no invalidation (cache unreachable or a process died "
        "before its commit callback); every screen's feed rebuilds on its next poll",
        when,
    )
    feed_cache.screens_invalidate_all()
    return True

"""Heal invalidations a cache never received: the rule every channel's cache shares.

Every invalidation is a cache write made after the change commits. It can be lost: Redis hangs (the
client gives up and production ignores the error), or the process dies between its commit and its
``on_commit`` callback. A cache that keeps its copies until they expire would then serve the old
content that long.

So each invalidation also writes the moment it was made (its "invalidated at" key), and a scheduler
job compares it with the newest change in the database's logs (``latest_logged_change``): a change
older than ``GRACE`` seconds that no invalidation has followed is healed by invalidating again.
Both moments come from the app processes' clocks (the log entry is stamped by the process that
commits, the invalidation after that commit), so they compare without slack on synced hosts.
Used by the page cache (``content.page_cache``) and the screen feeds (``feeds.screens.reconcile``).
"""

import logging
from datetime import UTC, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from wagtail.models import ModelLogEntry, PageLogEntry

logger = logging.getLogger(__name__)

GRACE = 10.0  # seconds: an invalidation normally follows its commit within milliseconds

# Logged page actions that change what the public sees; a draft save or a comment does not.
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


def latest_logged_change(*, since: datetime, models=(), model_actions=None, also=()) -> float | None:
    """The newest public page action since ``since``, or logged action on one of ``models`` (only
    ``model_actions`` when given), or moment in ``also`` (datetimes or None), as a Unix timestamp."""
    candidates = [
        PageLogEntry.objects.filter(timestamp__gte=since, action__in=PAGE_ACTIONS).aggregate(
            latest=Max("timestamp")
        )["latest"],
        *also,
    ]
    if models:
        entries = ModelLogEntry.objects.filter(
            timestamp__gte=since, content_type__in=ContentType.objects.get_for_models(*models).values()
        )
        if model_actions is not None:
            entries = entries.filter(action__in=model_actions)
        candidates.append(entries.aggregate(latest=Max("timestamp"))["latest"])
    stamps = [moment.timestamp() for moment in candidates if isinstance(moment, datetime)]
    return max(stamps) if stamps else None


def heal(
    *, changed_ts: float | None, invalidated_ts: float | None, now_ts: float, what: str, invalidate
) -> bool:
    """Call ``invalidate()`` when the change at ``changed_ts`` has gone without an invalidation;
    True when it did. ``what`` names the cache in the operator's log line."""
    if changed_ts is None or now_ts - changed_ts < GRACE:
        return False  # nothing yet, or its own invalidation may still be on its way
    if invalidated_ts is not None and changed_ts <= invalidated_ts:
        return False
    logger.warning(
        "%s: the change at %s reached no invalidation (cache unreachable or a process died before "
        "its commit callback); invalidating again",
        what,
        datetime.fromtimestamp(changed_ts, tz=UTC).isoformat(timespec="seconds"),
    )
    invalidate()
    return True

"""Heal screen-feed invalidations the cache never received, within one scheduler tick.

A lost invalidation would leave a stored feed answering 304 until its 24 h TTL. Each invalidation
also writes the moment it was made (``feed_cache.INVALIDATED_AT_KEY``, in the same ``set_many`` as
the epochs, so both arrive or neither does); this job compares it with the newest change that can
reach a feed (the rule: ``content.lost_invalidations``): public page actions in Wagtail's log,
screens and screen groups saved or deleted. A change that no invalidation has followed moves the
global epoch, so every screen rebuilds once.
"""

import time
from datetime import UTC, datetime

from django.core.cache import cache
from django.db.models import Max

from content.lost_invalidations import GRACE, heal, latest_logged_change

from . import feed_cache
from .models import Screen, ScreenGroup

__all__ = ["GRACE", "latest_change_ts", "screens_reconcile"]


def latest_change_ts(*, since) -> float | None:
    """The newest change since ``since`` that can reach a screen's feed, as a Unix timestamp."""
    return latest_logged_change(
        since=since,
        models=(Screen, ScreenGroup),
        model_actions=("wagtail.delete",),
        also=(
            Screen.objects.aggregate(latest=Max("updated_at"))["latest"],
            ScreenGroup.objects.aggregate(latest=Max("updated_at"))["latest"],
        ),
    )


def screens_reconcile(*, now_ts: float | None = None) -> bool:
    """Move the global epoch if a change has gone without an invalidation; True when it did."""
    now_ts = time.time() if now_ts is None else now_ts
    # Older changes no longer matter: a stored feed lives at most FEED_TTL.
    changed = latest_change_ts(since=datetime.fromtimestamp(now_ts - feed_cache.FEED_TTL, tz=UTC))
    return heal(
        changed_ts=changed,
        invalidated_ts=cache.get(feed_cache.INVALIDATED_AT_KEY),
        now_ts=now_ts,
        what="screens (every feed rebuilds on its next poll)",
        invalidate=feed_cache.screens_invalidate_all,
    )

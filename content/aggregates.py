"""Aggregates over all live content (popular topics, listing totals), kept under the portal epoch.

Contract:
- ``aggregate_get(name, parts, compute)`` answers ``compute()``; when the page cache is on, the
  answer is kept in the shared cache under the *portal epoch* of ``content.page_cache``, which moves
  after every commit that can change a public page (``content.signal_handlers``). An aggregate is
  therefore exactly as fresh as the cached pages: the next request from any process after a
  publish, unpublish, move, deletion or tag change computes it again, once for all processes.
- ``parts`` says which aggregate (its query and parameters); values must be picklable.
- ``windowed=True`` for values that change when an emergency window opens or closes (the warnings
  in force): they are also keyed by the next such moment, so they end exactly there.
- With the page cache off (``PAGE_CACHE_ENABLED=false``, the test suite, where commit callbacks
  never run) nothing moves the epoch reliably, so every call computes.
- Errors: a cache that fails or has no epoch yet means ``compute()``, never an error.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache

from content import page_cache

logger = logging.getLogger(__name__)

KEY_PREFIX = "portal:aggregate:"


def portal_epoch() -> str | None:
    """The current portal epoch, or None when aggregates cannot be kept (page cache off, cache down)."""
    if not page_cache.page_cache_enabled():
        return None
    try:
        return cache.get(page_cache.EPOCH_KEY)
    except Exception:
        logger.warning("aggregates: cache unavailable; computing", exc_info=True)
        return None


def aggregate_get(name: str, parts, compute, *, windowed: bool = False):
    """``compute()``, kept in the shared cache under the portal epoch (module contract)."""
    epoch = portal_epoch()
    if epoch is None:
        return compute()
    if windowed:
        try:
            parts = (parts, page_cache.next_window_change_ts(epoch, time.time()))
        except Exception:
            logger.warning("aggregates: cache unavailable; computing", exc_info=True)
            return compute()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"{KEY_PREFIX}{name}:{epoch}:{digest}"
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("aggregates: cache unavailable; computing", exc_info=True)
        return compute()
    if value is not None:
        return value
    value = compute()
    try:
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("aggregates: could not store %s", name, exc_info=True)
    return value

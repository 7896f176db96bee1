"""Cheap answers to "has this screen's playlist changed?" so polls can get a 304 without a rebuild.

A shared *epoch* changes whenever content or screen configuration changes (see signal_handlers).
Each screen's built feed is cached with the epoch it was built in and the moment the clock alone
would change it (an emergency starting or ending, a schedule window opening or closing). A poll
reuses the cached feed while both still hold. Losing the cache only costs a rebuild.

In production the cache must be shared between processes (``REDIS_URL``); with the per-process
default cache each process keeps its own epoch, which is correct for a single process only.
"""

import uuid

from django.core.cache import cache

EPOCH_KEY = "screens:epoch"
AUTH_TTL = 300  # seconds; a safety net, saves and deletes invalidate at once
FEED_TTL = 24 * 3600


def playlist_epoch() -> str:
    epoch = cache.get(EPOCH_KEY)
    if epoch is None:
        cache.add(EPOCH_KEY, uuid.uuid4().hex, None)
        epoch = cache.get(EPOCH_KEY)
    return epoch


def playlist_epoch_bump() -> None:
    cache.set(EPOCH_KEY, uuid.uuid4().hex, None)


def _auth_key(screen_id) -> str:
    return f"screens:auth:{screen_id}"


def _feed_key(screen_id, host: str) -> str:
    return f"screens:feed:{screen_id}:{host}"


def auth_cached(screen_id, load):
    """(token_hash, enabled) for a screen, or None when it does not exist; ``load`` reads the database."""
    key = _auth_key(screen_id)
    value = cache.get(key)
    if value is None:
        value = load() or "missing"
        cache.set(key, value, AUTH_TTL)
    return None if value == "missing" else value


def auth_forget(screen_id) -> None:
    cache.delete(_auth_key(screen_id))


def feed_cached(screen_id, host: str, *, epoch: str, now_ts: float):
    """The cached (etag, body) if it was built in this epoch and the clock has not moved past it."""
    value = cache.get(_feed_key(screen_id, host))
    if not value or value["epoch"] != epoch:
        return None
    if value["expires"] is not None and now_ts >= value["expires"]:
        return None
    return value["etag"], value["body"]


def feed_store(screen_id, host: str, *, epoch: str, expires_ts: float | None, etag: str, body: bytes) -> None:
    value = {"epoch": epoch, "expires": expires_ts, "etag": etag, "body": body}
    cache.set(_feed_key(screen_id, host), value, FEED_TTL)

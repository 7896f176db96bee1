"""Cheap answers to "has this screen's playlist changed?" so polls can get a 304 without a rebuild.

Each screen has an *epoch* of its own, and all screens share a global one. A change moves only
the epochs of the screens it can affect (``signal_handlers`` works out which), so publishing an
emergency for one district rebuilds that district's feeds and nobody else's; rare changes whose
reach is hard to know (privacy, moves, deletions) move the global epoch.

A built feed is stored as two entries: a small *stamp* (the epochs it was built in, the moment
the clock alone would change it, its ETag) and the body. A poll reads the global epoch, the
screen's epoch, its auth row and the stamp in one ``get_many`` (one Redis round trip); a matching
``If-None-Match`` is answered from that alone, without reading or rebuilding the body. Losing any
entry only costs a rebuild.

Each process also keeps the last answer per screen in memory (``near_cache``: Redis pub/sub tells
it when to forget), so a warm 304 usually costs no cache round trip at all.

In production the cache must be shared between processes (``REDIS_URL``); with the per-process
default cache each process keeps its own epochs, which is correct for a single process only.
"""

import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache

from .near_cache import near_cache

GLOBAL_EPOCH_KEY = "screens:epoch"
INVALIDATED_AT_KEY = "screens:invalidated-at"  # for ``reconcile``: when the last invalidation was made
AUTH_TTL = 300  # seconds; a safety net, saves and deletes invalidate at once
FEED_TTL = 24 * 3600
MISSING = "missing"


def _screen_epoch_key(screen_id) -> str:
    return f"screens:epoch:{screen_id}"


def _auth_key(screen_id) -> str:
    return f"screens:auth:{screen_id}"


def _stamp_key(screen_id, host: str) -> str:
    return f"screens:stamp:{screen_id}:{host}"


def _body_key(screen_id, host: str) -> str:
    return f"screens:body:{screen_id}:{host}"


def _new_epoch() -> str:
    return uuid.uuid4().hex


def _epoch_init(key: str) -> str:
    cache.add(key, _new_epoch(), None)
    return cache.get(key)


def _auth_fill(key: str, value, load):
    """The cached auth row, loaded from the database and cached on a miss (MISSING for no screen)."""
    if value is None:
        value = load() or MISSING
        cache.set(key, value, AUTH_TTL)
    return value


@dataclass
class PollState:
    """What the cache knows about one screen at the start of a poll."""

    screen_id: int
    host: str
    auth: tuple | None  # (token_hash, enabled), None when the screen does not exist
    epochs: tuple  # (global, screen) read before any rebuild
    etag: str | None  # the cached feed's ETag if it is still current


def poll_state_get(screen_id, host: str, *, now_ts: float, load_auth) -> PollState:
    """One cache round trip for everything a poll needs; ``load_auth`` reads the database on a miss."""
    local, generation = near_cache.get(screen_id, host)
    if local is None:
        keys = [
            GLOBAL_EPOCH_KEY,
            _screen_epoch_key(screen_id),
            _auth_key(screen_id),
            _stamp_key(screen_id, host),
        ]
        values = cache.get_many(keys)
        global_epoch = values.get(keys[0]) or _epoch_init(keys[0])
        screen_epoch = values.get(keys[1]) or _epoch_init(keys[1])
        auth = _auth_fill(keys[2], values.get(keys[2]), load_auth)
        local = (global_epoch, screen_epoch, auth, values.get(keys[3]))
        near_cache.put(screen_id, host, local, generation)
    global_epoch, screen_epoch, auth, stamp = local
    etag = None
    if (
        stamp
        and stamp["epochs"] == (global_epoch, screen_epoch)
        and (stamp["expires"] is None or now_ts < stamp["expires"])
    ):
        etag = stamp["etag"]
    return PollState(
        screen_id=screen_id,
        host=host,
        auth=None if auth == MISSING else tuple(auth),
        epochs=(global_epoch, screen_epoch),
        etag=etag,
    )


def feed_body_cached(state: PollState) -> bytes | None:
    """The stored body of the current feed, or None (never built, evicted, or stale)."""
    if state.etag is None:
        return None
    value = cache.get(_body_key(state.screen_id, state.host))
    if not value or value["etag"] != state.etag:
        return None
    return value["body"]


def feed_store(state: PollState, *, expires_ts: float | None, etag: str, body: bytes) -> None:
    """Keep a feed built from ``state``'s epochs; a change during the build makes it stale at once."""
    stamp = {"epochs": state.epochs, "expires": expires_ts, "etag": etag}
    cache.set_many(
        {
            _stamp_key(state.screen_id, state.host): stamp,
            _body_key(state.screen_id, state.host): {"etag": etag, "body": body},
        },
        FEED_TTL,
    )
    near_cache.publish([state.screen_id])  # other processes would otherwise rebuild it again


def screens_invalidate(screen_ids) -> None:
    """The next poll of each of these screens rebuilds its feed (none: the change reached no screen,
    which ``reconcile`` still needs to hear)."""
    screen_ids = list(screen_ids)
    cache.set_many(
        {INVALIDATED_AT_KEY: time.time(), **{_screen_epoch_key(pk): _new_epoch() for pk in screen_ids}}, None
    )
    if screen_ids:
        near_cache.publish(screen_ids)


def screens_invalidate_all() -> None:
    cache.set_many({INVALIDATED_AT_KEY: time.time(), GLOBAL_EPOCH_KEY: _new_epoch()}, None)
    near_cache.publish(None)


def auth_forget(screen_id) -> None:
    cache.delete(_auth_key(screen_id))
    near_cache.publish([screen_id])


def auth_cached(screen_id, load):
    """(token_hash, enabled) for a screen, or None when it does not exist; ``load`` reads the database."""
    key = _auth_key(screen_id)
    value = _auth_fill(key, cache.get(key), load)
    return None if value == MISSING else tuple(value)


def screen_epochs_get(screen_ids) -> dict:
    """Current epochs by screen id (missing ones omitted); for diagnostics and benchmarks."""
    keys = {_screen_epoch_key(pk): pk for pk in screen_ids}
    return {keys[key]: value for key, value in cache.get_many(list(keys)).items()}

"""A per-process copy of the screens' poll state, kept exact by Redis pub/sub.

Why: with a shared Redis cache, the round trip that answers "is this screen's feed still the
same?" costs as much as the rest of a 304 put together. Each process therefore keeps the last
answer from Redis per (screen, host) and asks again only when told something changed.

Contract:
- Every write to a screen's poll state (its epoch, the global epoch, its auth row, its stamp)
  is followed by ``publish(ids)`` (or ``publish(None)`` for every screen), after Redis holds the
  new value. A listener thread in each process drops those screens' entries.
- Entries are trusted only while the listener is subscribed; losing the subscription clears
  them and polls read Redis until it is back. A read that races an invalidation is not kept
  (generation counter), so a dropped entry cannot come back stale.
- ``MAX_AGE`` bounds any staleness the above cannot see (a silently dead connection).

A poll in another process may still see the old state for the time a message takes over
loopback (well under a millisecond); its next poll sees the new one.

Only on a Redis cache served by django-redis (``REDIS_URL``); with the per-process memory cache
there is no round trip to save and this module stays off.
"""

import logging
import os
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

CHANNEL = "screens:invalidations"
MAX_AGE = 10.0  # seconds
PING_EVERY = 5.0  # seconds; a listener that hears no pong for 3 pings reconnects
EVERYTHING = b"*"


def _redis_client():
    """The django-redis client behind the default cache, or None when the cache is not Redis."""
    client = getattr(cache, "client", None)
    get_client = getattr(client, "get_client", None)
    return get_client(write=True) if get_client else None


class NearCache:
    def __init__(self):
        self._lock = threading.Lock()
        self._entries: dict = {}  # screen id -> {host: (values, stored at)}
        self._generation = 0
        self._listening = False
        self._pid = None
        self._enabled = None
        self._stopped = threading.Event()
        self._origin = b""  # this process's name on the channel: it skips its own messages

    # --- reads ------------------------------------------------------------------------------

    def enabled(self) -> bool:
        if self._enabled is None:
            self._enabled = getattr(settings, "SCREENS_NEAR_CACHE", True) and _redis_client() is not None
        return self._enabled

    def get(self, screen_id, host):
        """(values or None, generation): read the generation before going to Redis on a miss."""
        self._ensure_listener()
        with self._lock:
            generation = self._generation
            if not self._listening:
                return None, generation
            entry = self._entries.get(screen_id, {}).get(host)
        if entry and time.monotonic() - entry[1] < MAX_AGE:
            return entry[0], generation
        return None, generation

    def put(self, screen_id, host, values, generation) -> None:
        with self._lock:
            if self._listening and generation == self._generation:
                self._entries.setdefault(screen_id, {})[host] = (values, time.monotonic())

    # --- invalidation -----------------------------------------------------------------------

    def publish(self, screen_ids=None) -> None:
        """Tell every process (this one at once) that these screens' state changed; None = all."""
        self._drop(None if screen_ids is None else list(screen_ids))
        client = _redis_client() if self.enabled() else None
        if client is None:
            return
        self._ensure_origin()
        ids = EVERYTHING if screen_ids is None else ",".join(str(pk) for pk in screen_ids).encode()
        payload = self._origin + b"|" + ids
        try:
            client.publish(CHANNEL, payload)
        except Exception:  # Redis is down: the write above failed too, polls rebuild when it is back
            logger.warning("screens: could not publish an invalidation", exc_info=True)

    def _drop(self, screen_ids) -> None:
        with self._lock:
            self._generation += 1
            if screen_ids is None:
                self._entries.clear()
            else:
                for pk in screen_ids:
                    self._entries.pop(pk, None)

    def _apply(self, payload: bytes) -> None:
        origin, _, payload = payload.rpartition(b"|")
        if origin and origin == self._origin:
            return  # dropped locally when it was published
        if payload == EVERYTHING:
            self._drop(None)
            return
        try:
            self._drop([int(part) for part in payload.split(b",") if part])
        except ValueError:
            logger.warning("screens: unreadable invalidation %r; dropping everything", payload[:80])
            self._drop(None)

    # --- the listener -----------------------------------------------------------------------

    def _ensure_origin(self) -> None:
        if not self._origin.startswith(f"{os.getpid()}-".encode()):
            self._origin = f"{os.getpid()}-{uuid.uuid4().hex[:8]}".encode()

    def _ensure_listener(self) -> None:
        if self._pid == os.getpid() or not self.enabled():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            # First use in this process (gunicorn forks workers after import): start fresh.
            self._pid = os.getpid()
            self._ensure_origin()
            self._entries.clear()
            self._listening = False
            self._generation += 1
        threading.Thread(target=self._listen_forever, name="screens-near-cache", daemon=True).start()

    def stop(self) -> None:
        """End the listener (tests); the process then reads Redis on every poll."""
        self._stopped.set()
        self._set_listening(False)

    def _set_listening(self, listening: bool) -> None:
        with self._lock:
            self._listening = listening
            self._entries.clear()
            self._generation += 1

    def _listen_forever(self) -> None:
        delay = 1.0
        while not self._stopped.is_set():
            try:
                self._listen_once()
                delay = 1.0
            except Exception:
                # Deliberately any error: this daemon thread must survive it and reconnect, or the process
                # would read Redis on every poll until restarted. Polls stay correct meanwhile (the
                # entries are cleared below), so the error is logged with its traceback, not raised.
                logger.warning(
                    "screens: invalidation listener lost Redis; retrying in %.0f s", delay, exc_info=True
                )
            finally:
                self._set_listening(False)
            self._stopped.wait(delay)
            delay = min(delay * 2, 30.0)

    def _listen_once(self) -> None:
        pubsub = _redis_client().pubsub()
        try:
            pubsub.subscribe(CHANNEL)
            last_pong = last_ping = time.monotonic()
            while not self._stopped.is_set():
                message = pubsub.get_message(timeout=1.0)
                now = time.monotonic()
                if message is not None:
                    kind = message["type"]
                    if kind == "subscribe" and not self._stopped.is_set():
                        self._set_listening(True)
                    elif kind == "message":
                        self._apply(message["data"])
                    elif kind == "pong":
                        last_pong = now
                if now - last_ping >= PING_EVERY:
                    pubsub.ping()
                    last_ping = now
                if now - last_pong > 3 * PING_EVERY:
                    raise ConnectionError("no pong from Redis")
        finally:
            pubsub.close()


near_cache = NearCache()

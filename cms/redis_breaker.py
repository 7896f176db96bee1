"""A hung Redis costs each process one timeout, not one per cache call.

Production ignores cache errors (pages are rebuilt from the database), and every call has a 1 s
socket timeout. But a request makes several cache calls — a screen poll up to eight — so a Redis
that hangs without closing its sockets held polls for up to 10 s (bench-faults, redis-hang). Here
the first call that times out or cannot connect opens a breaker for ``CACHE_RETRY_SECONDS``: until
then every call in this process fails at once (and is ignored like any cache error), and the next
call after it tries Redis again.

Used as the connection class of django-redis's pool (``CONNECTION_POOL_KWARGS`` in production
settings); plain ``redis://`` URLs only (``rediss://`` keeps redis-py's own TLS connection).
"""

import logging
import threading
import time

from django.conf import settings
from redis.connection import Connection
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_open_until = 0.0


def breaker_open() -> bool:
    return time.monotonic() < _open_until


def breaker_reset() -> None:
    global _open_until
    _open_until = 0.0


def _trip(exc: Exception) -> None:
    global _open_until
    seconds = getattr(settings, "CACHE_RETRY_SECONDS", 5.0)
    with _lock:
        if not breaker_open():
            logger.warning("Redis did not answer (%s); leaving it alone for %s s", exc, seconds)
        _open_until = time.monotonic() + seconds


def _refuse_while_open() -> None:
    if breaker_open():
        raise ConnectionError("Redis did not answer a moment ago; not asking again yet")


class CircuitBreakerConnection(Connection):
    def connect(self, *args, **kwargs):
        _refuse_while_open()
        try:
            return super().connect(*args, **kwargs)
        except (ConnectionError, TimeoutError) as exc:
            _trip(exc)
            raise

    def send_packed_command(self, *args, **kwargs):
        _refuse_while_open()
        try:
            return super().send_packed_command(*args, **kwargs)
        except (ConnectionError, TimeoutError) as exc:
            _trip(exc)
            raise

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except (ConnectionError, TimeoutError) as exc:
            _trip(exc)
            raise

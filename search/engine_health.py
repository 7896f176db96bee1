"""The circuit breaker in front of the external engine, shared by every process through the cache.

After a failed search the engine is left alone for ``SEARCH_ENGINE_RETRY_SECONDS``: a hung or
unreachable node must not cost every search (in any worker) a timeout. Searches only read this
state; the failing search writes it once.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

KEY_PREFIX = "search:engine-resting:"


def _key(config_key: str) -> str:
    return KEY_PREFIX + hashlib.sha256(config_key.encode()).hexdigest()[:16]


def engine_resting(config_key: str) -> bool:
    """Whether searches should skip the engine configured as ``config_key`` for now."""
    return cache.get(_key(config_key)) is not None


def engine_failed(config_key: str, name: str, error: Exception) -> None:
    """Record a failed search: every process answers from the database for a while."""
    retry = getattr(settings, "SEARCH_ENGINE_RETRY_SECONDS", 30)
    cache.set(_key(config_key), str(error)[:500], retry)
    logger.warning(
        "search engine %s unavailable, answering from the database for the next %ss: %s", name, retry, error
    )


def engine_rest_end(config_key: str) -> None:
    """Let searches try the engine again now (the upkeep job saw it answer)."""
    cache.delete(_key(config_key))

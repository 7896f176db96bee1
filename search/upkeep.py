"""Keeping the external engine ready, off the search path: run by the scheduler on every tick
(``content.periodic``).

- the engine's index exists (a fresh node or a deleted index is rebuilt from the database);
- updates queued while the engine was down are replayed;
- once the engine answers again, searches in every process may use it again at once.

Searches never do any of this: they read the engine or, when it cannot answer, the database.
"""

import logging

from django.conf import settings

from .backends import backend_get
from .documents import external_backend_name, search_index_ensure, search_pending_flush
from .engine_health import engine_failure_describe, engine_rest_end
from .engines import ElasticsearchEngine
from .models import PendingIndexUpdate

logger = logging.getLogger(__name__)

_state: dict = {"failure": "unknown"}  # what this process said last: said once per change


def _engine_failure(name: str) -> tuple[str, str] | None:
    """None when the engine answers, else its classified failure (``engine_failure_describe``).
    Not ``ping()``: it answers False for every failure, so a wrong key would look like an outage."""
    try:
        backend_get(name).es.options(request_timeout=settings.SEARCH_ENGINE_QUERY_TIMEOUT).info()
    except Exception as exc:  # noqa: BLE001 - any failure is reported and waited out, never raised
        return engine_failure_describe(exc)
    return None


def search_engine_upkeep() -> int:
    """Ensure the index and replay queued writes; returns how many were replayed (0 without an engine)."""
    name = external_backend_name()
    if name is None:
        return 0

    failure = _engine_failure(name)
    if failure != _state["failure"]:
        if failure is None:
            logger.info("search engine %s is reachable", name)
        else:
            logger.warning(
                "search engine %s is not usable (%s: %s); searches use the database", name, *failure
            )
        _state["failure"] = failure
    if failure is not None:
        return 0
    search_index_ensure(name)
    done = search_pending_flush() if PendingIndexUpdate.objects.filter(backend=name).exists() else 0
    engine_rest_end(ElasticsearchEngine(name).config_key)
    return done

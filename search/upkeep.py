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
from .engine_health import engine_rest_end
from .engines import ElasticsearchEngine
from .models import PendingIndexUpdate

logger = logging.getLogger(__name__)

_state = {"reachable": None}


def search_engine_upkeep() -> int:
    """Ensure the index and replay queued writes; returns how many were replayed (0 without an engine)."""
    name = external_backend_name()
    if name is None:
        return 0

    reachable = backend_get(name).es.options(request_timeout=settings.SEARCH_ENGINE_QUERY_TIMEOUT).ping()
    if reachable != _state["reachable"]:  # said once per change, not on every tick
        log = logger.info if reachable else logger.warning
        log(
            "search engine %s is %s",
            name,
            "reachable" if reachable else "not reachable; searches use the database",
        )
        _state["reachable"] = reachable
    if not reachable:
        return 0
    search_index_ensure(name)
    done = search_pending_flush() if PendingIndexUpdate.objects.filter(backend=name).exists() else 0
    engine_rest_end(ElasticsearchEngine(name).config_key)
    return done

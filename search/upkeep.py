"""Keeping the external engine ready, off the search path: run by the scheduler on every tick
(``content.periodic``), by ``manage.py search_sync`` and after a deployment.

- the engine's index exists (a fresh node or a deleted index is rebuilt from the database);
- updates queued while the engine was down are replayed.

Searches never do either: they read the engine or, when it cannot answer, the database.
"""

import logging

from .documents import external_backend_name, search_index_ensure, search_pending_flush
from .engine_health import engine_rest_end
from .models import PendingIndexUpdate

logger = logging.getLogger(__name__)


def search_engine_upkeep() -> int:
    """Ensure the index and replay queued writes; returns how many were replayed (0 without an engine)."""
    name = external_backend_name()
    if name is None:
        return 0
    from .engines import ElasticsearchEngine

    search_index_ensure(name)
    done = search_pending_flush() if PendingIndexUpdate.objects.filter(backend=name).exists() else 0
    engine_rest_end(ElasticsearchEngine(name).config_key)  # it answered: searches may use it again
    return done

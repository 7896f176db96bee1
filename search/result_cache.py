"""A brief per-query cache of search responses (the public API and the search results page).

Contract:
- Key: the query as answered (``query_normalise``), the filters (sorted), sort, page, page size,
  the engine configuration, the *portal epoch* (``content.page_cache``: moved after the commit of
  any change that can alter a public page, in any process) and the *search epoch* (below). A
  publish therefore makes the next request compute its answer again.
- Search epoch: moved when the index itself changes (``search_document_sync``, which runs as a
  task after the publish's commit, and editors' synonym groups), so an answer computed between
  the publish and the index write is not kept. Elasticsearch shows a write after its refresh
  (1 s): nothing is stored for ``SETTLE_SECONDS`` after the search epoch moves.
- Time: an entry also ends at the next emergency window boundary (an emergency coming into force
  ranks first and changes its ``status``); otherwise after ``SEARCH_RESULT_CACHE_SECONDS``
  (0: off).
- Answers from the fallback database while Elasticsearch is down are not stored.
- Errors: a cache that fails is a miss, never an error (the search is computed and answered).

Statistics are counted by the caller for hits and misses alike (``selectors.page_search``).
"""

import hashlib
import json
import logging
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

from content.models import EmergencyPage
from content.page_cache import EPOCH_KEY as PORTAL_EPOCH_KEY

logger = logging.getLogger(__name__)

SEARCH_EPOCH_KEY = "search:epoch"  # {"id": ..., "at": time.time()}
BOUNDARY_KEY = "search:boundary"  # per portal epoch: the next emergency window boundary
ENTRY_PREFIX = "search:results:"
SETTLE_SECONDS = 2.0


def search_result_cache_seconds() -> int:
    return max(0, int(getattr(settings, "SEARCH_RESULT_CACHE_SECONDS", 0) or 0))


def search_results_invalidate() -> None:
    """Every cached search answer is stale from now on, in every process. Never raises."""
    try:
        cache.set(SEARCH_EPOCH_KEY, {"id": uuid.uuid4().hex, "at": time.time()}, None)
    except Exception:
        logger.warning("search result cache: could not move the search epoch", exc_info=True)


def _key(query: str, options: dict, config: str, portal_epoch: str, search_epoch: str) -> str:
    raw = json.dumps([query, options, config, portal_epoch, search_epoch], ensure_ascii=False, sort_keys=True)
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _options(types, audiences, topics, sort, page, page_size) -> dict:
    return {
        "type": sorted(types),
        "audience": sorted(audiences),
        "topic": sorted(topics),
        "sort": sort,
        "page": page,
        "page_size": page_size,
    }


def _epochs(values: dict) -> tuple[str, dict]:
    portal = values.get(PORTAL_EPOCH_KEY)
    if portal is None:  # as content.page_cache does: first use, or the cache lost it
        cache.add(PORTAL_EPOCH_KEY, uuid.uuid4().hex, None)
        portal = cache.get(PORTAL_EPOCH_KEY)
    search = values.get(SEARCH_EPOCH_KEY)
    if search is None:
        cache.add(SEARCH_EPOCH_KEY, {"id": uuid.uuid4().hex, "at": 0.0}, None)
        search = cache.get(SEARCH_EPOCH_KEY)
    return portal, search


def _next_boundary(portal_epoch: str, now_ts: float) -> float | None:
    """The next emergency window boundary after now, computed once per portal epoch."""
    state = cache.get(BOUNDARY_KEY)
    if state and state["epoch"] == portal_epoch and (state["next"] is None or now_ts < state["next"]):
        return state["next"]

    boundary = EmergencyPage.objects.live().next_window_change(datetime.fromtimestamp(now_ts, tz=UTC))
    state = {"epoch": portal_epoch, "next": boundary.timestamp() if boundary else None}
    cache.set(BOUNDARY_KEY, state, max(search_result_cache_seconds(), 60))
    return state["next"]


class ResultCache:
    """One lookup and, on a miss, one store, for one search request."""

    def __init__(self, query: str, *, engine: str, **options):
        self.seconds = search_result_cache_seconds()
        self.query = query
        self.options = _options(**options)
        self.engine = engine  # the configured engine's name: answers from another are not stored
        self.config = json.dumps(settings.WAGTAILSEARCH_BACKENDS, sort_keys=True, default=str)
        self.key = None
        self.search_epoch = None
        self.portal_epoch = None

    def get(self):
        """The cached response, or None (a miss, the cache off or failing)."""
        if not self.seconds or not self.query:
            return None
        try:
            values = cache.get_many([PORTAL_EPOCH_KEY, SEARCH_EPOCH_KEY])
            self.portal_epoch, self.search_epoch = _epochs(values)
            if not self.portal_epoch or not self.search_epoch:
                return None
            self.key = _key(self.query, self.options, self.config, self.portal_epoch, self.search_epoch["id"])
            entry = cache.get(self.key)
        except Exception:
            logger.warning("search result cache unavailable; searching uncached", exc_info=True)
            self.key = None
            return None
        if entry and (entry["expires"] is None or time.time() < entry["expires"]):
            return entry["response"]
        return None

    def set(self, response) -> None:
        if self.key is None or response.backend != self.engine:
            return  # off, failing, or a fallback answer while the engine is down
        now_ts = time.time()
        if now_ts - self.search_epoch["at"] < SETTLE_SECONDS:
            return  # the engine may not show the latest index write yet
        try:
            boundary = _next_boundary(self.portal_epoch, now_ts)
            if boundary is not None and boundary - now_ts < 1:
                return
            ttl = self.seconds if boundary is None else min(self.seconds, int(boundary - now_ts))
            cache.set(self.key, {"response": response, "expires": boundary}, ttl)
        except Exception:
            logger.warning("search result cache: could not store an answer", exc_info=True)

"""The single entry point for search: ``page_search`` and ``search_suggest``.

Views and the API call these and never look at which backend is configured. Elasticsearch is
tried first when configured; if it cannot answer, the database backend answers and the
response says so (``backend``).
"""

import atexit
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from content.emergency import ACTIVE, WINDOW_STATE_LABELS

from .analysis import AnalysedQuery, query_analyse, text_normalise
from .documents import search_index_ensure, search_pending_replay_soon
from .engines import (
    DatabaseEngine,
    EngineUnavailable,
    SearchHits,
    SearchRequest,
    engine_for_request,
    engine_name_configured,
)
from .highlight import highlight_text, snippet_build
from .models import SearchDocument, SearchQueryStat
from .result_cache import ResultCache
from .synonyms import synonym_table

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 100
SUGGESTION_LIMIT = 8


@dataclass
class SearchResult:
    id: int
    slug: str
    title: str
    title_html: str
    url: str
    type: str
    audiences: list
    topics: list
    snippet: str
    published_at: object
    severity: str | None
    status: str | None  # emergencies: active / upcoming / expired (content.emergency)

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE

    @property
    def status_label(self) -> str:
        return WINDOW_STATE_LABELS.get(self.status, "")


@dataclass
class SearchResponse:
    query: str
    count: int
    page: int
    page_size: int
    backend: str
    results: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    analysed: AnalysedQuery | None = None

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


def query_normalise(raw: str | None) -> str:
    """The query as typed, tidied: control characters removed, whitespace collapsed."""
    cleaned = "".join(ch for ch in (raw or "") if ch.isprintable() or ch.isspace())
    return " ".join(cleaned.split())


def page_search(
    query: str,
    *,
    types=(),
    audiences=(),
    topics=(),
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 10,
    log: bool = False,
    cached: bool = False,
) -> SearchResponse:
    """Live, public content matching ``query`` (already validated by the caller).

    ``cached``: answer from, and keep the answer in, the brief result cache (``search.result_cache``);
    ``log``: count the query in the statistics (cached answers count too).
    """
    query = query_normalise(query)[:MAX_QUERY_LENGTH]
    result_cache = None
    if cached:
        result_cache = ResultCache(
            query,
            engine=engine_name_configured(),
            types=types,
            audiences=audiences,
            topics=topics,
            sort=sort,
            page=page,
            page_size=page_size,
        )
        response = result_cache.get()
        if response is not None:
            if log and query:
                search_query_log(query, response.count)
            return response
    analysed = query_analyse(query, synonym_table())
    request = SearchRequest(
        query=analysed,
        now=timezone.now(),
        types=list(types),
        audiences=list(audiences),
        topics=list(topics),
        sort=sort,
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    hits = _run(request)
    response = SearchResponse(
        query=query,
        count=hits.total,
        page=page,
        page_size=page_size,
        backend=hits.backend,
        results=_results(hits.ids, analysed, request.now),
        facets=hits.facets,
        analysed=analysed,
    )
    if result_cache is not None:
        result_cache.set(response)
    if log and query:
        search_query_log(query, hits.total)
    return response


_engine_down_until: dict[str, float] = {}


def _run(request: SearchRequest) -> SearchHits:
    """Ask the configured engine; on failure answer from the database and leave the engine
    alone for ``SEARCH_ENGINE_RETRY_SECONDS`` (a hung engine must not cost every search a timeout).

    Every call to the engine here is bounded by ``SEARCH_ENGINE_QUERY_TIMEOUT``; queued writes
    are replayed by a task, never on this path.
    """
    engine = engine_for_request()
    if isinstance(engine, DatabaseEngine):
        return engine.search(request)
    if time.monotonic() < _engine_down_until.get(engine.config_key, 0.0):
        return DatabaseEngine().search(request)
    try:
        try:
            search_index_ensure(engine.name, timeout=settings.SEARCH_ENGINE_QUERY_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - transport errors, timeouts, refused requests
            raise EngineUnavailable(f"index check failed: {exc}") from exc
        search_pending_replay_soon()
        hits = engine.search(request)
    except EngineUnavailable as exc:
        retry = getattr(settings, "SEARCH_ENGINE_RETRY_SECONDS", 30)
        _engine_down_until[engine.config_key] = time.monotonic() + retry
        logger.warning(
            "search engine %s unavailable, answering from the database for the next %ss: %s",
            engine.name,
            retry,
            exc,
        )
        return DatabaseEngine().search(request)
    _engine_down_until.pop(engine.config_key, None)
    return hits


def _results(ids: list[int], analysed: AnalysedQuery, now) -> list[SearchResult]:
    documents = SearchDocument.objects.in_bulk(ids)
    terms = analysed.highlight_terms
    results = []
    for pk in ids:
        doc = documents.get(pk)
        if doc is None:  # the engine is a little behind the database; skip rather than fail
            continue
        results.append(
            SearchResult(
                id=doc.pk,
                slug=doc.slug,
                title=doc.display_title,
                title_html=highlight_text(doc.display_title, terms),
                url=doc.url,
                type=doc.kind,
                audiences=list(doc.audience_slugs),
                topics=list(doc.topic_names),
                snippet=snippet_build(doc.plain_text or doc.summary, terms),
                published_at=doc.published_at,
                severity=doc.severity or None,
                status=doc.status_at(now),
            )
        )
    return results


_stats_lock = threading.Lock()
_stats_buffer: dict = {}  # (query, day) → [hits, zero-result hits, last result count]
_stats_flushed_at = time.monotonic()


def search_query_log(query: str, result_count: int) -> None:
    """Count the query for today's statistics (popular and zero-result searches).

    Counts are buffered in the process and written at most every ``SEARCH_STATS_FLUSH_SECONDS``
    (a database write per search would cost more than the search itself on SQLite).
    """
    global _stats_flushed_at
    key = (text_normalise(query)[:100], timezone.localdate())
    with _stats_lock:
        entry = _stats_buffer.setdefault(key, [0, 0, 0])
        entry[0] += 1
        entry[1] += 0 if result_count else 1
        entry[2] = result_count
        elapsed = time.monotonic() - _stats_flushed_at
        # elapsed < 0: the clock was seen going backwards (a test's frozen clock); flush rather than wait.
        due = elapsed < 0 or elapsed >= getattr(settings, "SEARCH_STATS_FLUSH_SECONDS", 10)
    if due:
        search_query_stats_flush()


def search_query_stats_flush() -> None:
    global _stats_flushed_at
    with _stats_lock:
        pending = dict(_stats_buffer)
        _stats_buffer.clear()
        _stats_flushed_at = time.monotonic()
    items = list(pending.items())
    for done, ((query, day), (hits, zero, last)) in enumerate(items):
        try:
            _stat_add(query, day, hits, zero, last)
        except OperationalError as exc:  # the database is busy: keep the counts for the next flush
            logger.warning("search statistics not written (%s); kept for the next flush", exc)
            with _stats_lock:
                for key, (h, z, lst) in items[done:]:
                    entry = _stats_buffer.setdefault(key, [0, 0, lst])
                    entry[0] += h
                    entry[1] += z
            return


def _stat_add(query, day, hits, zero, last) -> None:
    try:
        with transaction.atomic():
            stat, _ = SearchQueryStat.objects.get_or_create(query=query, day=day)
    except IntegrityError:  # created by another worker meanwhile
        stat = SearchQueryStat.objects.get(query=query, day=day)
    SearchQueryStat.objects.filter(pk=stat.pk).update(
        hits=F("hits") + hits, zero_result_hits=F("zero_result_hits") + zero, last_result_count=last
    )


@atexit.register
def _flush_on_exit():
    try:
        search_query_stats_flush()
    except Exception:  # noqa: BLE001 - interpreter shutdown: statistics are best effort
        pass


def popular_queries(limit: int = 8, *, days: int = 30) -> list[str]:
    """Queries people searched most recently that found something."""
    since = timezone.localdate() - timedelta(days=days)
    rows = (
        SearchQueryStat.objects.filter(day__gte=since, last_result_count__gt=0)
        .values("query")
        .annotate(total=Sum("hits"))
        .order_by("-total", "query")[:limit]
    )
    return [row["query"] for row in rows]


def search_suggest(query: str, limit: int = SUGGESTION_LIMIT) -> list[str]:
    """Completions for the search box: matching titles, topics and popular searches."""
    text = text_normalise(query_normalise(query))[:MAX_QUERY_LENGTH]
    if not text:
        return []
    suggestions: list[str] = []
    popular = (
        SearchQueryStat.objects.filter(query__startswith=text, last_result_count__gt=0)
        .values_list("query", flat=True)
        .order_by("-hits")[:limit]
    )
    suggestions += list(dict.fromkeys(popular))
    titles = (
        SearchDocument.objects.filter(normalised_title__contains=text)
        .order_by("-published_at")
        .values_list("display_title", flat=True)[: limit * 2]
    )
    for title in titles:
        if title not in suggestions:
            suggestions.append(title)
    return suggestions[:limit]

"""The single entry point for search: ``page_search``. It only reads: callers count searches
with ``search.query_stats.query_stats_record`` and take public hints from ``search.hints``.

Views and the API call these and never look at which backend is configured. Elasticsearch is
tried first when configured; if it cannot answer, the database backend answers and the
response says so (``backend``).
"""

import logging
from dataclasses import dataclass, field

from django.utils import timezone

from content.emergency import ACTIVE, WINDOW_STATE_LABELS

from .analysis import AnalysedQuery, query_analyse, query_words
from .engine_health import engine_failed, engine_resting
from .engines import (
    DatabaseEngine,
    EngineUnavailable,
    SearchHits,
    SearchRequest,
    engine_for_request,
    engine_name_configured,
)
from .highlight import highlight_text, snippet_build
from .models import SearchDocument
from .pinyin import looks_like_pinyin, pinyin_words
from .result_cache import ResultCache
from .synonyms import synonym_table

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 100


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
        return WINDOW_STATE_LABELS.get(self.status or "", "")


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
    reading: str | None = None  # the Chinese words searched for pinyin input ("nongyao" → "农药")
    other_readings: list = field(default_factory=list)  # other likely readings, for "您是不是要找"

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
    cached: bool = False,
) -> SearchResponse:
    """Live, public content matching ``query`` (already validated by the caller).

    ``cached``: answer from, and keep the answer in, the brief result cache (``search.result_cache``).
    Writes nothing: the caller counts the search (``search.query_stats.query_stats_record``).
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
            return response
    # Readings that are only fillers (总是, 什么) are no reading worth searching or offering.
    readings = [r for r in (pinyin_words(query) if looks_like_pinyin(query) else []) if query_words(r)]
    analysed = query_analyse(readings[0] if readings else query, synonym_table())
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
        reading=readings[0] if readings else None,
        other_readings=readings[1:],
    )
    if result_cache is not None:
        result_cache.set(response)
    return response


def _run(request: SearchRequest) -> SearchHits:
    """Ask the configured engine; when it cannot answer (or failed recently, in any process:
    ``search.engine_health``), the database answers. Every call to the engine is bounded by
    ``SEARCH_ENGINE_QUERY_TIMEOUT``; index creation and replaying queued writes are
    ``search.upkeep``'s, never this path's."""
    engine = engine_for_request()
    if isinstance(engine, DatabaseEngine) or engine_resting(engine.config_key):
        return DatabaseEngine().search(request)
    try:
        return engine.search(request)
    except EngineUnavailable as exc:
        engine_failed(engine.config_key, engine.name, exc)
        return DatabaseEngine().search(request)


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

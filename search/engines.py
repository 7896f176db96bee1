"""Search engines behind one interface: the database backend and Elasticsearch.

Both receive the same ``SearchRequest`` (an analysed query from ``search.analysis`` plus
filters) and return the same ``SearchHits``. Semantics, identical on both:

- each engine first counts the pages matching each clause; ``search.query_plan`` turns those
  counts into a plan (which words are core, how much each weighs, what a page must match);
- a clause matches through any alternative token (the word, its synonyms, its pinyin) or any
  bigram phrase (the word spelled as adjacent bigrams), in the title (weighted) or the body;
- a page matches when its core words carry enough of the query's core weight; its score is its
  relevance per word (context words count less) plus a bonus for the share of the core it covers;
- active emergencies whose *title* matches every core word rank first (a passing mention in a
  long body does not put a warning above the real answers); ``sort=date`` orders the rest by date;
- facets count each dimension under the query and every *other* selected filter.
"""

import heapq
import json
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from modelsearch.query import Or, Phrase, PlainText

from . import fulltext
from .analysis import AnalysedQuery, Clause
from .backends import backend_get
from .models import SearchDocument
from .query_plan import CONTEXT_FACTOR, COVERAGE_BONUS, QueryPlan, plan_build
from .windows import EMERGENCY_KIND, document_in_force, es_in_force_filter

logger = logging.getLogger(__name__)

FACET_DIMENSIONS = ("type", "audience", "topic")
ACTIVE_BONUS = 10_000.0
TITLE_BOOST = 4.0
MAX_DATABASE_CANDIDATES = 5000
MAX_FACET_TOPICS = 20


class EngineUnavailable(Exception):
    """The engine could not answer (unreachable, timed out, index missing)."""


@dataclass
class SearchRequest:
    query: AnalysedQuery
    now: datetime
    types: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    sort: str = "relevance"  # or "date"
    offset: int = 0
    limit: int = 10

    def filters_except(self, dimension: str) -> dict:
        return {d: v for d, v in self.selected().items() if d != dimension}

    def selected(self) -> dict:
        return {"type": self.types, "audience": self.audiences, "topic": self.topics}


@dataclass
class SearchHits:
    ids: list[int]
    total: int
    facets: dict  # {"type": {"article": 3}, "audience": {...}, "topic": {...}}
    backend: str


# --------------------------------------------------------------------------------------------
# Database backend (SQLite FTS5 / PostgreSQL full-text through modelsearch)
# --------------------------------------------------------------------------------------------


def _clause_query(clause: Clause):
    parts = [PlainText(token, operator="and") for token in clause.alternatives]
    parts += [Phrase(" ".join(grams)) for grams in clause.phrases]
    parts += [PlainText(" ".join(words), operator="and") for words in clause.components]
    return parts[0] if len(parts) == 1 else Or(parts)


def _windows(pks: list[int]) -> dict[int, tuple]:
    """pk → (kind, effective_from, expires_at) of a few documents (emergencies)."""
    rows = SearchDocument.objects.filter(pk__in=pks).values_list("pk", "kind", "effective_from", "expires_at")
    return {pk: (kind, start, end) for pk, kind, start, end in rows}


def fulltext_facts_generic(ids: list[int]) -> list[tuple]:
    """``fulltext.document_facts`` through the ORM (vendors without the full-text fast path)."""
    rows = SearchDocument.objects.filter(pk__in=ids).values_list(
        "pk", "kind", "audience_slugs", "topic_slugs", "published_at"
    )
    return [
        (pk, kind, tuple(a), tuple(t), published_at.timestamp() if published_at else 0.0)
        for pk, kind, a, t, published_at in rows
    ]


def _page_total() -> int:
    return SearchDocument.objects.count()


def _planned_scores(plan: QueryPlan, per_clause: list[dict[int, float]]) -> dict[int, float]:
    """Pages that satisfy the plan → relevance (core words in full, context words in part) plus
    the bonus for the share of the core they cover."""
    if not plan.answerable:
        return {}
    scores: dict[int, float] = {}
    matched: dict[int, list[int]] = {}
    for i in plan.present:
        factor = 1.0 if plan.clauses[i].role == "core" else CONTEXT_FACTOR
        for pk, score in per_clause[i].items():
            scores[pk] = scores.get(pk, 0.0) + factor * score
            matched.setdefault(pk, []).append(i)
    return {
        pk: score + COVERAGE_BONUS * plan.coverage(matched[pk])
        for pk, score in scores.items()
        if plan.satisfied(matched[pk])
    }


class DatabaseEngine:
    name = "database"

    def search(self, request: SearchRequest) -> SearchHits:
        if fulltext.supported():
            scores, facts, plan = self._fulltext_scores(request.query)
            active = self._fulltext_active(plan, facts, request.now)
        else:
            scores, headline = self._scores(request.query)
            facts = fulltext_facts_generic(list(scores))
            active = {
                pk
                for pk, (kind, start, end) in _windows(
                    [pk for pk, kind, *_ in facts if kind == EMERGENCY_KIND and pk in headline]
                ).items()
                if document_in_force(kind, start, end, request.now)
            }
        selected = {dim: set(values) for dim, values in request.selected().items() if values}
        dims = {"type": 1, "audience": 2, "topic": 3}

        def passes(fact, filters) -> bool:
            for dim, wanted in filters.items():
                value = fact[dims[dim]]
                if not (wanted & (set(value) if dim != "type" else {value})):
                    return False
            return True

        matching = [fact for fact in facts if passes(fact, selected)] if selected else facts
        facets = {}
        for dim in FACET_DIMENSIONS:
            others = {d: v for d, v in selected.items() if d != dim}
            rows = [fact for fact in facts if passes(fact, others)] if others else facts
            # Count each distinct value list once, then spread it (lists repeat a great deal).
            combos = Counter(fact[dims[dim]] for fact in rows)
            counter = Counter()
            for combo, count in combos.items():
                for value in (combo,) if dim == "type" else combo:
                    counter[value] += count
            facets[dim] = dict(counter.most_common(MAX_FACET_TOPICS if dim == "topic" else None))

        def key(fact):
            pk, date = fact[0], fact[4]
            bonus = ACTIVE_BONUS if pk in active else 0.0
            if request.sort == "date":
                return (bonus, date, pk)
            return (bonus + scores[pk], date, pk)

        wanted = request.offset + request.limit
        top = heapq.nlargest(wanted, matching, key=key)  # larger is better: score, date, pk
        return SearchHits(
            ids=[fact[0] for fact in top[request.offset : wanted]],
            total=len(matching),
            facets=facets,
            backend=self.name,
        )

    def _fulltext_scores(self, query: AnalysedQuery) -> tuple[dict[int, float], list[tuple], QueryPlan]:
        """Score per matching page (one indexed query per clause, title weighted natively), the
        matching pages' facts, and the plan (each clause's page count is the length of its answer)."""
        per_clause = [fulltext.clause_scores(clause) for clause in query.clauses]
        plan = plan_build(query, [len(s) for s in per_clause], _page_total())
        result = _planned_scores(plan, per_clause)
        return result, fulltext.document_facts(list(result)), plan

    def _fulltext_active(self, plan: QueryPlan, facts: list[tuple], now) -> set[int]:
        """Matching emergencies in force whose title matches every core clause (they rank first).
        Only emergencies are checked, so the title queries look at a handful of documents."""
        emergencies = [fact[0] for fact in facts if fact[1] == EMERGENCY_KIND]
        if not emergencies:
            return set()
        candidates = [
            pk
            for pk, (kind, start, end) in _windows(emergencies).items()
            if document_in_force(kind, start, end, now)
        ]
        for i in plan.core:
            if not candidates:
                break
            titled = fulltext.clause_title_matches(plan.clauses[i].clause, candidates)
            candidates = [pk for pk in candidates if pk in titled]
        return set(candidates)

    def _scores(self, query: AnalysedQuery) -> tuple[dict[int, float], set[int]]:
        """Other vendors (modelsearch's generic path, title scored on its own): score per matching
        page, and the pages whose title matches every core clause."""
        per_clause, titles = [], []
        for clause in query.clauses:
            clause_query = _clause_query(clause)
            body = self._run(clause_query)
            title = {pk: TITLE_BOOST * s for pk, s in self._run(clause_query, fields=["title"]).items()}
            per_clause.append(
                {pk: body.get(pk, 0.0) + title.get(pk, 0.0) for pk in body.keys() | title.keys()}
            )
            titles.append(set(title))
        plan = plan_build(query, [len(s) for s in per_clause], _page_total())
        result = _planned_scores(plan, per_clause)
        headline = set(result)
        for i in plan.core:
            headline &= titles[i]
        return result, headline if plan.core else set()

    def _run(self, search_query, fields=None) -> dict[int, float]:
        backend = backend_get("default")
        results = backend.search(search_query, SearchDocument.objects.all(), fields=fields).annotate_score(
            "_score"
        )
        return {
            doc.pk: abs(float(getattr(doc, "_score", 0.0) or 0.0))
            for doc in results[:MAX_DATABASE_CANDIDATES]
        }


# --------------------------------------------------------------------------------------------
# Elasticsearch (the modelsearch elasticsearch8 backend's client and index, our query DSL)
# --------------------------------------------------------------------------------------------


FREQUENCY_CACHE_SECONDS = 60.0
FREQUENCY_CACHE_SIZE = 5000
_frequency_cache: dict[tuple, tuple[float, list[int], int]] = {}


def _clause_key(clause: Clause) -> tuple:
    return (
        tuple(clause.alternatives),
        tuple(map(tuple, clause.phrases)),
        tuple(map(tuple, clause.components)),
    )


def engine_config_key(backend_name: str) -> str:
    """The engine's configuration as one string: the circuit breaker's key (``search.engine_health``)."""
    return json.dumps(settings.WAGTAILSEARCH_BACKENDS[backend_name], sort_keys=True, default=str)


class ElasticsearchEngine:
    name = "elasticsearch"

    def __init__(self, backend_name: str = "elasticsearch"):
        self.backend = backend_get(backend_name)
        self.config_key = engine_config_key(backend_name)
        self.index_name = self.backend.get_index_for_model(SearchDocument).name
        mapping = self.backend.mapping_class(SearchDocument)
        self.fields = {
            f.field_name: mapping.get_field_column_name(f) for f in SearchDocument.get_search_fields()
        }
        self.filter_fields = {
            "type": self.fields["kind"],
            "audience": self.fields["audience_slugs"],
            "topic": self.fields["topic_slugs"],
        }

    def _clause(self, clause: Clause, *, title_only: bool = False) -> dict:
        fields = [(self.fields["title"], TITLE_BOOST)] + ([] if title_only else [(self.fields["body"], 1.0)])
        tokens = " ".join(clause.alternatives)
        queries = []
        for name, boost in fields:
            queries.append({"match": {name: {"query": tokens, "boost": boost}}})
            for grams in clause.phrases:
                queries.append({"match_phrase": {name: {"query": " ".join(grams), "boost": boost}}})
            for words in clause.components:
                queries.append(
                    {"match": {name: {"query": " ".join(words), "operator": "and", "boost": boost}}}
                )
        return {"dis_max": {"queries": queries, "tie_breaker": 0.3}}

    def _filter(self, filters: dict) -> list:
        return [{"terms": {self.filter_fields[dim]: values}} for dim, values in filters.items() if values]

    def frequencies(self, query: AnalysedQuery) -> tuple[list[int], int]:
        """How many pages match each clause, and how many pages there are: one small request
        (a ``filters`` aggregation), remembered briefly per process when no count is zero (the
        weights move slowly; whether a word is on any page at all must be current)."""
        key = (self.index_name, tuple(_clause_key(c) for c in query.clauses))
        cached = _frequency_cache.get(key)
        if cached and cached[0] > time.monotonic():
            return cached[1], cached[2]
        body = {
            "size": 0,
            "track_total_hits": True,
            "aggs": {
                "clauses": {
                    "filters": {"filters": {str(i): self._clause(c) for i, c in enumerate(query.clauses)}}
                }
            },
        }
        try:
            es = self.backend.es.options(request_timeout=settings.SEARCH_ENGINE_QUERY_TIMEOUT)
            response = es.search(index=self.index_name, **body)
        except Exception as exc:
            raise EngineUnavailable(str(exc)) from exc
        buckets = response["aggregations"]["clauses"]["buckets"]
        counts = [buckets[str(i)]["doc_count"] for i in range(len(query.clauses))]
        total = response["hits"]["total"]["value"]
        # Only counts that cannot hide a page are kept: a word no page had may be on one published
        # a second later (in any process), and a remembered zero would keep it unfindable.
        if all(counts):
            if len(_frequency_cache) > FREQUENCY_CACHE_SIZE:
                _frequency_cache.clear()
            _frequency_cache[key] = (time.monotonic() + FREQUENCY_CACHE_SECONDS, counts, total)
        return counts, total

    def body(self, request: SearchRequest, plan: QueryPlan) -> dict:
        core = plan.core
        scored = []
        for i in plan.present:
            planned = plan.clauses[i]
            query = self._clause(planned.clause)
            if planned.role != "core":
                query = {"dis_max": {**query["dis_max"], "boost": CONTEXT_FACTOR}}
            scored.append(query)
        # Covering more of the core ranks higher: each core word adds its share of the bonus.
        scored += [
            {
                "constant_score": {
                    "filter": self._clause(plan.clauses[i].clause),
                    "boost": COVERAGE_BONUS * plan.clauses[i].weight / plan.core_weight,
                }
            }
            for i in core
        ]
        required = {
            "bool": {
                "should": [
                    {"bool": {"filter": [self._clause(plan.clauses[i].clause) for i in combo]}}
                    for combo in plan.required_sets()
                ],
                "minimum_should_match": 1,
            }
        }
        text_query = {"bool": {"should": scored, "filter": [required]}}
        headline = {"bool": {"must": [self._clause(plan.clauses[i].clause, title_only=True) for i in core]}}
        if request.sort == "date":
            text_query = {"constant_score": {"filter": text_query, "boost": 1.0}}
        in_force = es_in_force_filter(
            kind_field=self.fields["kind"],
            effective_from_field=self.fields["effective_from"],
            expires_at_field=self.fields["expires_at"],
            now=request.now,
        )
        active = {"bool": {"filter": [headline, *in_force]}}
        query = {
            "function_score": {
                "query": text_query,
                "functions": [{"filter": active, "weight": ACTIVE_BONUS}],
                "score_mode": "sum",
                "boost_mode": "sum",
            }
        }
        aggs = {}
        for dim in FACET_DIMENSIONS:
            size = MAX_FACET_TOPICS if dim == "topic" else 20
            terms = {"terms": {"field": self.filter_fields[dim], "size": size}}
            others = self._filter(request.filters_except(dim))
            # No other filter selected (most searches): a plain terms aggregation; wrapped in an
            # empty filter it cost a third of the whole search at 50k items.
            aggs[dim] = (
                {"filter": {"bool": {"filter": others}}, "aggs": {"values": terms}} if others else terms
            )
        sort = ["_score", {self.fields["published_at"]: {"order": "desc", "missing": "_last"}}]
        return {
            "query": query,
            "post_filter": {"bool": {"filter": self._filter(request.selected())}},
            "aggs": aggs,
            "sort": sort,
            "from": request.offset,
            "size": request.limit,
            "_source": False,
            "stored_fields": ["pk"],
            "track_total_hits": True,
        }

    def search(self, request: SearchRequest) -> SearchHits:
        nothing = SearchHits(ids=[], total=0, facets={d: {} for d in FACET_DIMENSIONS}, backend=self.name)
        if not request.query.clauses:
            return nothing
        counts, total = self.frequencies(request.query)
        plan = plan_build(request.query, counts, total)
        if not plan.answerable:
            return nothing
        try:
            es = self.backend.es.options(request_timeout=settings.SEARCH_ENGINE_QUERY_TIMEOUT)
            response = es.search(index=self.index_name, **self.body(request, plan))
        except Exception as exc:
            raise EngineUnavailable(str(exc)) from exc
        hits = response["hits"]
        ids = [int(hit["fields"]["pk"][0]) if "fields" in hit else int(hit["_id"]) for hit in hits["hits"]]
        facets = {}
        for dim in FACET_DIMENSIONS:
            agg = response["aggregations"][dim]
            buckets = agg["values"]["buckets"] if "values" in agg else agg["buckets"]
            facets[dim] = {b["key"]: b["doc_count"] for b in buckets}
        return SearchHits(ids=ids, total=hits["total"]["value"], facets=facets, backend=self.name)


def engine_name_configured() -> str:
    """The name of the engine search tries first (``engine_for_request``), without building it."""
    return (
        ElasticsearchEngine.name
        if "elasticsearch" in settings.WAGTAILSEARCH_BACKENDS
        else DatabaseEngine.name
    )


def engine_for_request():
    """The engine search should try first: Elasticsearch when configured, else the database."""
    if "elasticsearch" in settings.WAGTAILSEARCH_BACKENDS:
        return ElasticsearchEngine()
    return DatabaseEngine()

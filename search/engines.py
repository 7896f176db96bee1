"""Search engines behind one interface: the database backend and Elasticsearch.

Both receive the same ``SearchRequest`` (an analysed query from ``search.analysis`` plus
filters) and return the same ``SearchHits``. Semantics, identical on both:

- a document matches if it matches any clause; documents matching *every* clause rank above
  those matching only some (relaxation instead of empty results for natural questions);
- a clause matches through any alternative token (the word, its synonyms) or any bigram
  phrase (the word spelled as adjacent bigrams), in the title (weighted) or the body;
- active emergencies whose *title* matches every clause rank first (a passing mention in a long
  body does not put a warning above the real answers); ``sort=date`` orders the rest by date;
- facets count each dimension under the query and every *other* selected filter.
"""

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from modelsearch.query import Or, Phrase, PlainText

from . import fulltext
from .analysis import AnalysedQuery, Clause
from .backends import backend_get
from .models import SearchDocument
from .windows import document_in_force, es_in_force_filter

logger = logging.getLogger(__name__)

FACET_DIMENSIONS = ("type", "audience", "topic")
ACTIVE_BONUS = 10_000.0
ALL_CLAUSES_BONUS = 1_000.0
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


def minimum_clauses(n_clauses: int) -> int:
    """How many clauses a document must match: all of one or two, at least two of three or more.

    Relaxation keeps natural questions answerable; the floor of two keeps one stray word of a
    long query (量子计算机原理 → 原理) from returning unrelated pages.
    """
    return 1 if n_clauses <= 2 else 2


def _clause_query(clause: Clause):
    parts = [PlainText(token, operator="and") for token in clause.alternatives]
    parts += [Phrase(" ".join(grams)) for grams in clause.phrases]
    parts += [PlainText(" ".join(words), operator="and") for words in clause.components]
    return parts[0] if len(parts) == 1 else Or(parts)


class DatabaseEngine:
    name = "database"

    def search(self, request: SearchRequest) -> SearchHits:
        scores, headline = self._scores(request.query)
        rows = (
            list(
                SearchDocument.objects.filter(pk__in=list(scores)).values_list(
                    "pk",
                    "kind",
                    "audience_slugs",
                    "topic_slugs",
                    "published_at",
                    "effective_from",
                    "expires_at",
                )
            )
            if scores
            else []
        )
        documents = {}
        for pk, kind, audiences, topics, published_at, start, end in rows:
            documents[pk] = {
                "type": {kind},
                "audience": set(audiences),
                "topic": set(topics),
                "published_at": published_at,
                "active": pk in headline and document_in_force(kind, start, end, request.now),
            }

        def passes(doc, filters):
            return all(not wanted or doc[dim] & set(wanted) for dim, wanted in filters.items())

        selected = request.selected()
        matching = [pk for pk, doc in documents.items() if passes(doc, selected)]
        facets = {}
        for dim in FACET_DIMENSIONS:
            counter = Counter()
            others = request.filters_except(dim)
            for doc in documents.values():
                if passes(doc, others):
                    counter.update(doc[dim])
            facets[dim] = dict(counter.most_common(MAX_FACET_TOPICS if dim == "topic" else None))

        def key(pk):
            doc = documents[pk]
            bonus = ACTIVE_BONUS if doc["active"] else 0.0
            date = doc["published_at"].timestamp() if doc["published_at"] else 0.0
            if request.sort == "date":
                return (-bonus, -date, -pk)
            return (-(bonus + scores[pk]), -date, -pk)

        matching.sort(key=key)
        return SearchHits(
            ids=matching[request.offset : request.offset + request.limit],
            total=len(matching),
            facets=facets,
            backend=self.name,
        )

    def _scores(self, query: AnalysedQuery) -> tuple[dict[int, float], set[int]]:
        """Score per matching document, and the documents whose title matches every clause.

        Each clause is scored on its own (title weighted ``TITLE_BOOST`` times the body) and the
        scores add up, as in Elasticsearch's bool query.
        """
        if not query.clauses:
            return {}, set()
        n = len(query.clauses)
        scores: dict[int, float] = {}
        matched: dict[int, int] = {}
        title_matched: dict[int, int] = {}
        for clause in query.clauses:
            if fulltext.supported():  # one indexed query per clause, title weighted natively
                body_scores = fulltext.clause_scores(clause)
                title_scores = dict.fromkeys(fulltext.clause_scores(clause, title_only=True), 0.0)
            else:  # other vendors: modelsearch's generic path, title scored on its own
                clause_query = _clause_query(clause)
                body_scores = self._run(clause_query)
                title_scores = {
                    pk: TITLE_BOOST * s for pk, s in self._run(clause_query, fields=["title"]).items()
                }
            for pk, score in body_scores.items():
                scores[pk] = scores.get(pk, 0.0) + score
                matched[pk] = matched.get(pk, 0) + 1
            for pk, score in title_scores.items():
                scores[pk] = scores.get(pk, 0.0) + score
                title_matched[pk] = title_matched.get(pk, 0) + 1
        floor = minimum_clauses(n)
        result = {}
        for pk, score in scores.items():
            if matched.get(pk, 0) >= floor:
                result[pk] = score + (ALL_CLAUSES_BONUS if n > 1 and matched[pk] == n else 0.0)
        headline = {pk for pk, count in title_matched.items() if count == n and pk in result}
        return result, headline

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


class ElasticsearchEngine:
    name = "elasticsearch"

    def __init__(self, backend_name: str = "elasticsearch"):
        self.backend = backend_get(backend_name)
        self.config_key = json.dumps(
            settings.WAGTAILSEARCH_BACKENDS[backend_name], sort_keys=True, default=str
        )
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

    def body(self, request: SearchRequest) -> dict:
        clauses = [self._clause(c) for c in request.query.clauses]
        should = list(clauses)
        headline = {"bool": {"must": [self._clause(c, title_only=True) for c in request.query.clauses]}}
        if len(clauses) > 1:
            should.append({"bool": {"must": clauses, "boost": ALL_CLAUSES_BONUS}})
        text_query = {"bool": {"should": should, "minimum_should_match": minimum_clauses(len(clauses))}}
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
            aggs[dim] = {
                "filter": {"bool": {"filter": self._filter(request.filters_except(dim))}},
                "aggs": {"values": {"terms": {"field": self.filter_fields[dim], "size": size}}},
            }
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
        if not request.query.clauses:
            return SearchHits(ids=[], total=0, facets={d: {} for d in FACET_DIMENSIONS}, backend=self.name)
        try:
            es = self.backend.es.options(request_timeout=settings.SEARCH_ENGINE_QUERY_TIMEOUT)
            response = es.search(index=self.index_name, **self.body(request))
        except Exception as exc:  # noqa: BLE001 - transport, timeout, missing index
            raise EngineUnavailable(str(exc)) from exc
        hits = response["hits"]
        ids = [int(hit["fields"]["pk"][0]) if "fields" in hit else int(hit["_id"]) for hit in hits["hits"]]
        facets = {
            dim: {b["key"]: b["doc_count"] for b in response["aggregations"][dim]["values"]["buckets"]}
            for dim in FACET_DIMENSIONS
        }
        return SearchHits(ids=ids, total=hits["total"]["value"], facets=facets, backend=self.name)


def engine_for_request():
    """The engine search should try first: Elasticsearch when configured, else the database."""
    if "elasticsearch" in settings.WAGTAILSEARCH_BACKENDS:
        return ElasticsearchEngine()
    return DatabaseEngine()

"""Clause scoring straight against the database backend's full-text index (SQLite FTS5 and
PostgreSQL tsvector), with native title weighting.

modelsearch's database backends score by re-running the MATCH for every candidate row and
weigh title and body alike; for a broad Chinese query over thousands of documents that is
seconds. Here each clause is one indexed query returning (document id, score) pairs. Tokens
come from search.analysis (word characters only) and are quoted anyway.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from modelsearch.conf import get_app_config

from .analysis import Clause
from .models import SearchDocument

TITLE_WEIGHT = 4.0
LIMIT = 5000


def supported() -> bool:
    return connection.vendor in {"sqlite", "postgresql"}


def _content_type_id() -> int:
    return ContentType.objects.get_for_model(SearchDocument).pk


def _fts5_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts5_expression(clause: Clause) -> str:
    parts = [_fts5_quote(t) for t in clause.alternatives]
    parts += [_fts5_quote(" ".join(grams)) for grams in clause.phrases]  # a quoted run = phrase
    parts += ["(" + " AND ".join(_fts5_quote(w) for w in words) + ")" for words in clause.components]
    return " OR ".join(parts)


def _ts_quote(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "") + "'"


def tsquery_expression(clause: Clause) -> str:
    parts = [_ts_quote(t) for t in clause.alternatives]
    parts += ["(" + " <-> ".join(_ts_quote(g) for g in grams) + ")" for grams in clause.phrases]
    parts += ["(" + " & ".join(_ts_quote(w) for w in words) + ")" for words in clause.components]
    return " | ".join(parts)


def clause_scores(clause: Clause) -> dict[int, float]:
    """The ``LIMIT`` best documents matching the clause with their score (higher is better).

    SQLite: the ranking function is given as FTS5's ``rank`` (``rank MATCH 'bm25(...)'``), which
    FTS5 evaluates and sorts itself; ``ORDER BY bm25(...)`` in SQL costs a third more at 50k items.
    """
    app = get_app_config()
    entry_table = app.get_model("IndexEntry")._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            fts_table = app.get_model("SQLiteFTSIndexEntry")._meta.db_table
            # FTS5 column order is (autocomplete, body, title); bm25 is negative, lower = better.
            cursor.execute(
                f'SELECT e.object_id, -f.rank FROM "{fts_table}" f JOIN "{entry_table}" e ON f.rowid = e.id '  # noqa: S608 - model table names; values bound
                f'WHERE "{fts_table}" MATCH %s AND f.rank MATCH %s AND e.content_type_id = %s '
                f"ORDER BY f.rank LIMIT %s",
                [
                    f"{{title body}} : ({fts5_expression(clause)})",
                    f"bm25(0.0, 1.0, {TITLE_WEIGHT})",
                    _content_type_id(),
                    LIMIT,
                ],
            )
        else:
            cursor.execute(
                f"SELECT e.object_id, %s * ts_rank(e.title, q) + ts_rank(e.body, q) AS score "  # noqa: S608 - model table names; values bound
                f'FROM "{entry_table}" e, to_tsquery(%s::regconfig, %s) q '
                f"WHERE e.content_type_id = %s AND (e.title @@ q OR e.body @@ q) ORDER BY score DESC LIMIT %s",
                [TITLE_WEIGHT, "simple", tsquery_expression(clause), _content_type_id(), LIMIT],
            )
        return {int(object_id): float(score) for object_id, score in cursor.fetchall()}


def clause_title_matches(clause: Clause, among: list[int]) -> set[int]:
    """Which of the documents ``among`` (a few: emergencies in force) match the clause in the title."""
    if not among:
        return set()
    app = get_app_config()
    entry_table = app.get_model("IndexEntry")._meta.db_table
    ids = [str(pk) for pk in among]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            fts_table = app.get_model("SQLiteFTSIndexEntry")._meta.db_table
            cursor.execute(
                f'SELECT e.object_id FROM "{entry_table}" e JOIN "{fts_table}" f ON f.rowid = e.id '  # noqa: S608 - model table names; values bound
                f"WHERE e.content_type_id = %s AND e.object_id IN (SELECT value FROM json_each(%s)) "
                f'AND "{fts_table}" MATCH %s',
                [_content_type_id(), json.dumps(ids), f"{{title}} : ({fts5_expression(clause)})"],
            )
        else:
            cursor.execute(
                f'SELECT e.object_id FROM "{entry_table}" e, to_tsquery(%s::regconfig, %s) q '  # noqa: S608 - model table names; values bound
                f"WHERE e.content_type_id = %s AND e.object_id = ANY(%s) AND e.title @@ q",
                ["simple", tsquery_expression(clause), _content_type_id(), ids],
            )
        return {int(object_id) for (object_id,) in cursor.fetchall()}


def document_facts(ids: list[int]) -> list[tuple]:
    """(pk, kind, audience slugs, topic slugs, published_at sort key) of each document, cheaply.

    Thousands of candidates per broad query: read in one statement, the JSON lists decoded once
    per distinct value (they repeat), and the date kept as a sortable value (no datetime parsing).
    """
    if not ids:
        return []
    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Stored as ISO text in UTC, one format: sorts as the dates do ("" for none sorts first).
            cursor.execute(
                f"SELECT page_id, kind, audience_slugs, topic_slugs, COALESCE(published_at, '') FROM \"{table}\" "  # noqa: S608 - model table names; values bound
                f"WHERE page_id IN (SELECT value FROM json_each(%s))",
                [json.dumps(ids)],
            )
        else:
            cursor.execute(
                f"SELECT page_id, kind, audience_slugs::text, topic_slugs::text, "  # noqa: S608 - model table names; values bound
                f'COALESCE(EXTRACT(EPOCH FROM published_at), 0) FROM "{table}" WHERE page_id = ANY(%s)',
                [list(ids)],
            )
        rows = cursor.fetchall()
    decoded: dict[str, tuple] = {}

    def values(raw) -> tuple:
        if raw not in decoded:
            decoded[raw] = tuple(json.loads(raw)) if raw else ()
        return decoded[raw]

    return [(pk, kind, values(a), values(t), date) for pk, kind, a, t, date in rows]

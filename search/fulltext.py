"""Clause scoring straight against the database backend's full-text index (SQLite FTS5 and
PostgreSQL tsvector), with native title weighting.

modelsearch's database backends score by re-running the MATCH for every candidate row and
weigh title and body alike; for a broad Chinese query over thousands of documents that is
seconds. Here each clause is one indexed query returning (document id, score) pairs. Tokens
come from search.analysis (word characters only) and are quoted anyway.
"""

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


def clause_scores(clause: Clause, *, title_only: bool = False) -> dict[int, float]:
    """Documents matching the clause with their score (higher is better)."""
    app = get_app_config()
    entry_table = app.get_model("IndexEntry")._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            fts_table = app.get_model("SQLiteFTSIndexEntry")._meta.db_table
            columns = "{title}" if title_only else "{title body}"
            # FTS5 column order is (autocomplete, body, title); bm25 is negative, lower = better.
            cursor.execute(
                f'SELECT e.object_id, -bm25("{fts_table}", 0.0, 1.0, %s) FROM "{fts_table}" f '
                f'JOIN "{entry_table}" e ON f.rowid = e.id '
                f'WHERE "{fts_table}" MATCH %s AND e.content_type_id = %s '
                f'ORDER BY bm25("{fts_table}", 0.0, 1.0, %s) LIMIT %s',
                [
                    TITLE_WEIGHT,
                    f"{columns} : ({fts5_expression(clause)})",
                    _content_type_id(),
                    TITLE_WEIGHT,
                    LIMIT,
                ],
            )
        else:
            match = "e.title @@ q" if title_only else "(e.title @@ q OR e.body @@ q)"
            cursor.execute(
                f"SELECT e.object_id, %s * ts_rank(e.title, q) + ts_rank(e.body, q) AS score "
                f'FROM "{entry_table}" e, to_tsquery(%s::regconfig, %s) q '
                f"WHERE e.content_type_id = %s AND {match} ORDER BY score DESC LIMIT %s",
                [TITLE_WEIGHT, "simple", tsquery_expression(clause), _content_type_id(), LIMIT],
            )
        return {int(object_id): float(score) for object_id, score in cursor.fetchall()}

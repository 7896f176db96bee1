"""The single entry point for portal search.

For now this uses whatever Wagtail search backend is configured (the database backend by
default). Stock backends do not segment Chinese, so when full-text finds nothing we fall back
to a substring match on title and summary — good enough until the Chinese-analysis work lands.
User input never reaches the backend's query syntax: only word characters survive.
"""

import logging
import re

from django.db import DatabaseError
from django.db.models import Q

from content import selectors as content_selectors
from content.models import Audience

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 100
MAX_TERMS = 10
WORD_RE = re.compile(r"\w+")


def query_normalise(raw: str | None) -> str:
    """The query as shown back to the user: whitespace collapsed, length capped."""
    return " ".join((raw or "").replace("\x00", "").split())[:MAX_QUERY_LENGTH]


def query_terms(query: str) -> list[str]:
    """Plain search terms: punctuation and operator syntax dropped, operators lower-cased."""
    return [term.lower() for term in WORD_RE.findall(query)][:MAX_TERMS]


def page_search(query: str, *, audience: Audience | None = None):
    """Live, public content matching ``query``; returns a list of ``Page`` rows, best first."""
    terms = query_terms(query_normalise(query))
    if not terms:
        return []
    base = content_selectors.content_base_queryset()
    try:
        hits = list(base.search(" ".join(terms), operator="and"))
    except DatabaseError:
        logger.warning("full-text search failed for %r; using substring match", terms, exc_info=True)
        hits = []
    if not hits:
        condition = Q()
        for term in terms:
            condition &= Q(title__icontains=term) | _summary_q(term)
        hits = list(base.filter(condition))
    if audience is not None:
        allowed = set(
            content_selectors.content_filtered(audience=audience)
            .filter(pk__in=[p.pk for p in hits])
            .values_list("pk", flat=True)
        )
        hits = [p for p in hits if p.pk in allowed]
    return hits


def _summary_q(term: str) -> Q:
    return (
        Q(articlepage__summary__icontains=term)
        | Q(videopage__summary__icontains=term)
        | Q(emergencypage__summary__icontains=term)
    )

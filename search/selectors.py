"""The single entry point for portal search.

For now this uses whatever Wagtail search backend is configured (the database backend by
default). Stock backends do not segment Chinese, so when full-text finds nothing we fall back
to a substring match on title and summary — good enough until the Chinese-analysis work lands.
"""

from django.db.models import Q

from content import selectors as content_selectors
from content.models import Audience

MAX_QUERY_LENGTH = 100


def query_normalise(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def page_search(query: str, *, audience: Audience | None = None):
    """Live, public content matching ``query``; returns a list of ``Page`` rows, best first."""
    query = query_normalise(query)
    if not query:
        return []
    hits = list(content_selectors.content_base_queryset().search(query, operator="and"))
    if not hits:
        condition = Q()
        for term in query.split():
            condition &= Q(title__icontains=term) | _summary_q(term)
        hits = list(content_selectors.content_base_queryset().filter(condition))
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

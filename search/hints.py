"""Public search hints: 大家都在搜 on the search page and the search box's suggestions.

Anyone can type anything into a search box, so a hint shown to the public comes only from a
source nobody can push by repeating a search:

1. terms editors recommend (``SearchHint`` with status 推荐), first and in the editors' order;
2. organic queries that found results for at least ``SEARCH_HINT_MIN_VISITORS`` distinct visitors
   on at least ``SEARCH_HINT_MIN_DAYS`` distinct days within the last ``SEARCH_HINT_WINDOW_DAYS``
   (``SearchQueryVisitor``, written by search.query_stats);

and every hint, recommended or organic, must pass ``HintFilter``: no editor block-list phrase
(``SearchBlockedTerm``, a substring of the normalised text: Traditional, full-width and case
variants are the same phrase), no hidden ``SearchHint``, no 禁用 hit of the 错敏词 list. A blocked
phrase wins over a recommendation. Suggestions add titles of published content after the hints
(editors' own words).
"""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from .analysis import text_normalise
from .models import (
    HINT_HIDDEN,
    HINT_RECOMMENDED,
    SearchBlockedTerm,
    SearchDocument,
    SearchHint,
    SearchQueryVisitor,
)
from .pinyin import looks_like_pinyin, pinyin_suggestions
from .selectors import MAX_QUERY_LENGTH, query_normalise

SUGGESTION_LIMIT = 8
ORGANIC_SCAN_LIMIT = 500  # qualifying queries kept; far more than any hint list or prefix needs


def hint_normalise(text: str) -> str:
    return " ".join(text_normalise(text or "").split())


class HintFilter:
    """Whether a term may be shown as a public hint; built once per request (three small queries)."""

    def __init__(self):
        self.blocked = [
            p
            for p in (hint_normalise(t) for t in SearchBlockedTerm.objects.values_list("phrase", flat=True))
            if p
        ]
        self.hidden = {
            hint_normalise(t)
            for t in SearchHint.objects.filter(status=HINT_HIDDEN).values_list("term", flat=True)
        }
        self._word_list = _editorial_list()

    def blocked_by(self, term: str) -> str:
        """Why ``term`` may not be shown ('' when it may)."""
        normalised = hint_normalise(term)
        if not normalised:
            return "空"
        for phrase in self.blocked:
            if phrase in normalised:
                return f"屏蔽词“{phrase}”"
        if normalised in self.hidden:
            return "已隐藏"
        if self._word_list is not None and _editorially_banned(self._word_list, term):
            return "错敏词（禁用）"
        return ""

    def allows(self, term: str) -> bool:
        return not self.blocked_by(term)


def _editorial_list():
    """The 错敏词 list (one small version query; the automaton is kept per process), or None."""
    try:
        from editorial.engine import current_list  # noqa: PLC0415 (optional app)
    except ImportError:  # the editorial app is not installed
        return None
    return current_list()


def _editorially_banned(word_list, term: str) -> bool:
    from editorial.engine import Place  # noqa: PLC0415 (optional app, as above)
    from editorial.models import LEVEL_BLOCK  # noqa: PLC0415 (optional app, as above)

    return any(hit.term.level == LEVEL_BLOCK for hit in word_list.find(Place("hint", "搜索提示", term)))


@dataclass
class OrganicQuery:
    query: str
    visitors: int
    days: int


def organic_qualifying(*, prefix: str = "") -> list[OrganicQuery]:
    """Queries that found results for enough distinct visitors on enough distinct days, most visitors
    first; no editor filter applied (see ``HintFilter``, applied on every request).

    The aggregate is kept per process for ``SEARCH_HINT_CACHE_SECONDS`` (it scans a month of visitor
    rows; the suggest API runs on every keystroke). Editors' hiding and blocking are never cached.
    """
    rows = _organic_cached()
    return [row for row in rows if row.query.startswith(prefix)] if prefix else list(rows)


_organic_kept: dict = {"key": None, "at": 0.0, "rows": []}


def _organic_cached() -> list[OrganicQuery]:
    ttl = getattr(settings, "SEARCH_HINT_CACHE_SECONDS", 60)
    key = (
        timezone.localdate(),
        getattr(settings, "SEARCH_HINT_MIN_VISITORS", 5),
        getattr(settings, "SEARCH_HINT_MIN_DAYS", 2),
        getattr(settings, "SEARCH_HINT_WINDOW_DAYS", 30),
    )
    now = time.monotonic()
    if ttl > 0 and _organic_kept["key"] == key and 0 <= now - _organic_kept["at"] < ttl:
        return _organic_kept["rows"]
    rows = _organic_query(*key)
    _organic_kept.update(key=key, at=now, rows=rows)
    return rows


def _organic_query(today, min_visitors, min_days, window_days) -> list[OrganicQuery]:
    since = today - timedelta(days=window_days - 1)
    rows = (
        SearchQueryVisitor.objects.filter(day__gte=since, found=True)
        .values("query")
        .annotate(visitors=Count("visitor_key", distinct=True), days=Count("day", distinct=True))
        .filter(visitors__gte=min_visitors, days__gte=min_days)
        .order_by("-visitors", "-days", "query")[:ORGANIC_SCAN_LIMIT]
    )
    return [OrganicQuery(row["query"], row["visitors"], row["days"]) for row in rows]


def hint_candidates() -> list[OrganicQuery]:
    """Organic queries on the public list today by the numbers alone, minus those editors hid or
    blocked (the admin's 候选热词, where one click hides a term)."""
    hint_filter = HintFilter()
    return [row for row in organic_qualifying() if hint_filter.allows(row.query)]


def _hints(prefix: str, limit: int) -> list[str]:
    hint_filter = HintFilter()
    shown: dict[str, str] = {}  # normalised → as shown
    approved = SearchHint.objects.filter(status=HINT_RECOMMENDED).order_by("sort_order", "pk")
    for hint in approved.values_list("term", flat=True):
        key = hint_normalise(hint)
        if key.startswith(prefix) and key not in shown and hint_filter.allows(hint):
            shown[key] = hint
    for row in organic_qualifying(prefix=prefix):
        if len(shown) >= limit:
            break
        if row.query not in shown and hint_filter.allows(row.query):
            shown[row.query] = row.query
    return list(shown.values())[:limit]


def popular_queries(limit: int = 8) -> list[str]:
    """大家都在搜: recommended terms in the editors' order, then qualifying organic queries."""
    return _hints("", limit)


def search_suggest(query: str, limit: int = SUGGESTION_LIMIT) -> list[str]:
    """Completions for the search box: hints starting with the text, then matching published titles."""
    text = text_normalise(query_normalise(query))[:MAX_QUERY_LENGTH]
    if not text:
        return []
    suggestions = _hints(text, limit)
    if looks_like_pinyin(text):
        # Typed without switching keyboards: words and titles whose pinyin or initials start so.
        hint_filter = HintFilter()
        for suggestion in pinyin_suggestions(text, limit):
            if suggestion not in suggestions and hint_filter.allows(suggestion):
                suggestions.append(suggestion)
    titles = (
        SearchDocument.objects.filter(normalised_title__contains=text)
        .order_by("-published_at")
        .values_list("display_title", flat=True)[: limit * 2]
    )
    for title in titles:
        if title not in suggestions:
            suggestions.append(title)
    return suggestions[:limit]

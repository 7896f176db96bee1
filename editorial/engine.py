"""The one 错敏词 engine: an Aho–Corasick automaton over the folded word list.

``current_list()`` returns the list every check uses. Each process keeps the automaton it built
and rebuilds it when the list's version (entry count and newest edit, one small query) moves, so
an edit made in any process is used by every process on its next check. A list that cannot be
read or built never blocks anyone: checking goes on with the last good list (this process's, or
the one kept in the shared cache, or the shipped starting list) and ``WordList.problem`` says why,
for the admin to show.
"""

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field

import ahocorasick
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Count, Max

from editorial.folding import fold, fold_with_offsets
from editorial.models import LEVEL_NAMES, LEVEL_ORDER, MIN_PHRASE_LENGTH, WordEntry, phrases_split

logger = logging.getLogger(__name__)

LAST_GOOD_CACHE_KEY = "editorial:last-good-list"
CONTEXT_CHARS = 8


@dataclass(frozen=True)
class Term:
    """One enabled word-list entry, as the engine uses it."""

    phrase: str
    level: str
    category: str = "other"
    suggestion: str = ""
    note: str = ""
    exceptions: tuple[str, ...] = ()

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, self.level)

    def as_tuple(self) -> tuple:
        return (self.phrase, self.level, self.category, self.suggestion, self.note, self.exceptions)


@dataclass(frozen=True)
class Place:
    """A piece of text and where it is: ``key`` for code (``title``, ``body.3``), ``label`` for people."""

    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Hit:
    term: Term
    place: Place
    start: int  # index of the first matched character in ``place.text``
    end: int

    @property
    def matched(self) -> str:
        """The author's own characters (Traditional, full-width…) that matched."""
        return self.place.text[self.start : self.end]

    @property
    def position(self) -> str:
        return f"{self.place.label}第 {self.start + 1} 字"

    @property
    def context(self) -> str:
        text = self.place.text
        before = text[max(0, self.start - CONTEXT_CHARS) : self.start]
        after = text[self.end : self.end + CONTEXT_CHARS]
        return " ".join(f"{before}【{self.matched}】{after}".split())

    def as_dict(self) -> dict:
        return {
            "phrase": self.term.phrase,
            "matched": self.matched,
            "level": self.term.level,
            "level_name": self.term.level_name,
            "category": self.term.category,
            "suggestion": self.term.suggestion,
            "note": self.term.note,
            "place": self.place.key,
            "place_label": self.place.label,
            "start": self.start,
            "position": self.position,
            "context": self.context,
        }


@dataclass
class CheckResult:
    hits: list[Hit] = field(default_factory=list)

    def of_level(self, level: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.term.level == level]

    @property
    def blocked(self) -> list[Hit]:
        return self.of_level("block")

    @property
    def warnings(self) -> list[Hit]:
        return self.of_level("warn")

    @property
    def corrections(self) -> list[Hit]:
        return self.of_level("correct")

    @property
    def warning_terms(self) -> list[str]:
        return sorted({hit.term.phrase for hit in self.warnings})

    @property
    def warning_key(self) -> str:
        """Names the set of 警告 expressions; a confirmation is for exactly this set."""
        terms = self.warning_terms
        return (
            hashlib.sha1("\n".join(terms).encode(), usedforsecurity=False).hexdigest()[:16] if terms else ""
        )


class WordList:
    def __init__(self, terms, *, version: str = "", problem: str = "", skipped=()):
        self.terms = list(terms)
        self.version = version
        self.problem = problem  # why the list in use is not the list in the database
        self.skipped = list(skipped)  # entries that cannot be used, with the reason
        self._automaton = self._build(self.terms)

    @staticmethod
    def _build(terms):
        patterns = defaultdict(list)
        for number, term in enumerate(terms):
            patterns[fold(term.phrase)].append(("term", number))
            for exception in term.exceptions:
                patterns[fold(exception)].append(("except", number))
        automaton = ahocorasick.Automaton()
        for key, values in patterns.items():
            automaton.add_word(key, (len(key), values))
        if patterns:
            automaton.make_automaton()
        return automaton if patterns else None

    def find(self, place: Place) -> list[Hit]:
        if self._automaton is None or not place.text:
            return []
        folded, offsets = fold_with_offsets(place.text)
        found, excepted = [], defaultdict(list)
        for end, (length, values) in self._automaton.iter(folded):
            start = end - length + 1
            for kind, number in values:
                (
                    found.append((number, start, end + 1))
                    if kind == "term"
                    else excepted[number].append((start, end + 1))
                )
        # Inside a longer hit (卫生计生委 in 国家卫生计生委) a hit says nothing more: the longer wins.
        spans = [(start, end) for _, start, end in found]
        hits = []
        for number, start, end in found:
            if any(a <= start and end <= b for a, b in excepted.get(number, ())):
                continue
            if any(a <= start and end <= b and (b - a) > (end - start) for a, b in spans):
                continue
            if offsets is not None:
                start, end = offsets[start], offsets[end - 1] + 1
            hits.append(Hit(self.terms[number], place, start, end))
        return hits

    def check(self, places) -> CheckResult:
        hits = [hit for place in places for hit in self.find(place)]
        hits.sort(key=lambda hit: (LEVEL_ORDER.get(hit.term.level, 9), hit.place.key, hit.start))
        return CheckResult(hits)


def term_from_entry(entry: WordEntry) -> Term:
    return Term(
        phrase=entry.phrase,
        level=entry.level,
        category=entry.category,
        suggestion=entry.suggestion,
        note=entry.note,
        exceptions=tuple(phrases_split(entry.exceptions or "")),
    )


def term_problem(term: Term) -> str:
    """Why a stored entry cannot be used ('' when it can): rows written around the admin's checks."""
    if term.level not in LEVEL_NAMES:
        return f"级别“{term.level}”无效"
    if len(fold(term.phrase).strip()) < MIN_PHRASE_LENGTH:
        return f"词语至少 {MIN_PHRASE_LENGTH} 个字"
    return ""


def list_version() -> str:
    row = WordEntry.objects.aggregate(count=Count("id"), latest=Max("updated_at"))
    latest = row["latest"].isoformat() if row["latest"] else "-"
    return f"{row['count']}@{latest}"


_process = {"list": None}


def current_list() -> WordList:
    try:
        version = list_version()
        kept = _process["list"]
        if kept is not None and kept.version == version and not kept.problem:
            return kept
        terms, skipped = [], []
        for entry in WordEntry.objects.filter(enabled=True):
            term = term_from_entry(entry)
            reason = term_problem(term)
            (skipped.append((entry.phrase, reason)) if reason else terms.append(term))
        word_list = WordList(terms, version=version, skipped=skipped)
    except (DatabaseError, ValueError, TypeError, AttributeError) as exc:
        logger.exception("editorial: the word list could not be loaded; checking with the last good list")
        return _fallback(f"词库读取失败（{type(exc).__name__}），正在使用上次可用的词库")
    if skipped:
        logger.warning("editorial: %d word-list entries skipped: %s", len(skipped), skipped[:5])
    _process["list"] = word_list
    try:
        cache.set(LAST_GOOD_CACHE_KEY, [term.as_tuple() for term in terms], None)
    # Any cache backend error (Redis down, refused, timed out): the shared cache must not stop a check.
    except Exception:  # noqa: BLE001
        logger.warning("editorial: could not keep the last good list in the shared cache")
    return word_list


def _fallback(problem: str) -> WordList:
    kept = _process["list"]
    if kept is not None:
        return WordList(kept.terms, version=kept.version, problem=problem)
    try:
        stored = cache.get(LAST_GOOD_CACHE_KEY)
    except Exception:  # noqa: BLE001 - a cache that is down just means there is no last good list
        logger.warning("editorial: the shared cache is unavailable; no last good word list there")
        stored = None
    if stored:
        return WordList([Term(*row) for row in stored], problem=problem)
    from editorial.starting_list import starting_terms  # noqa: PLC0415 (starting_list imports Term from here)

    return WordList(starting_terms(), problem=problem + "（本进程没有上次的词库，使用内置初始词库）")


def text_check(places) -> CheckResult:
    """Check some places against the current list; never raises on the list's account."""
    return current_list().check(places)

"""Toneless pinyin and pinyin initials typed into the search box (issue 16, point 3).

Residents type ``nongyao``, ``xue ya``, ``fangnishui`` or initials (``zs`` for 中暑, ``fnsh`` for
防溺水) without switching keyboards. This module turns such input into the Chinese words it most
likely means; search and the suggest API call it (it does not call them).

Contract (all functions are pure reads of a per-process vocabulary: no query beyond the version
check, well under a millisecond per call once warm; the first call in a process, and the first
after the corpus changed, pays the build; a database error propagates):

- ``looks_like_pinyin(text)``: the normalised text is 2–40 characters of ASCII letters, spaces and
  apostrophes.
- ``pinyin_words(text, limit=3) -> list[str]``: alternative *readings*, best first. A reading is
  one or more Chinese words separated by single spaces (``"xueyagao" -> ["血压 高"]``,
  ``"nongyao" -> ["农药"]``, ``"zs" -> ["中暑", "诊所"]``). Full pinyin (with or without spaces,
  several words typed together) is segmented by dynamic programming into vocabulary pinyins,
  preferring fewer, longer, more common words; a reading needs at least one word of two or more
  characters. Initials (first letters, or zh/ch/sh kept whole) match a word's initials exactly,
  ranked by weight then recency; their words follow the full-pinyin readings, if any.
  ``[]`` when the input is not pinyin-like or is an ASCII term of the corpus (``aed``, ``chatgpt``)
  that is not itself the pinyin of a known word. ``pinyin_readings`` is the same function.
- ``pinyin_suggestions(prefix, limit=8) -> list[str]``: completions for a pinyin or initials
  prefix (``nongy`` → 农药…, ``fn`` → 防溺水…): for each matching word, best first (weight, then
  recency), the newest live title that shows the word, then the word itself; deduplicated.
  ``[]`` on the same inputs as ``pinyin_words``.

Vocabulary: the words (two or more CJK characters; jieba search mode via ``search.analysis.text_words``,
i.e. the precise-mode words plus the dictionary words inside them, 血压 in 高血压) of
the display titles and topic names of ``SearchDocument`` rows (the ``MAX_DOCUMENTS`` most recent),
the terms of enabled ``SynonymGroup``s and the words of ``search/dict/kepu.txt``. Each word has its
toneless pinyin, its initials, a weight (documents whose title or topics contain it, plus
``EXTRA_WORD_WEIGHT`` for a dictionary or synonym term) and its newest ``published_at``. Ranking
is by weight, then recency. Single characters of titles are kept per syllable only as a fallback
inside multi-word readings (``高`` in ``血压 高``).

Built lazily on first use in each process, never at import; rebuilt when the corpus version
(row count and newest ``updated_at`` of SearchDocument and SynonymGroup) moves, checked at most
every ``VERSION_CHECK_SECONDS``. Each process keeps its own copy, derived from the database that
every process shares, so an edit anywhere is seen everywhere on the next check.
"""

import bisect
import functools
import heapq
import itertools
import math
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Count, Max
from pypinyin import lazy_pinyin

from .analysis import CJK_RUN, MAX_PINYIN_WORD, text_normalise, text_words
from .models import SearchDocument, SynonymGroup

__all__ = [
    "looks_like_pinyin",
    "pinyin_readings",
    "pinyin_suggestions",
    "pinyin_words",
    "vocabulary_build",
    "vocabulary_get",
]

DICT_PATH = Path(__file__).parent / "dict" / "kepu.txt"
# The most recent documents read into the vocabulary: a first build segments every title, ~0.15 ms
# each on the bench machine (bench/search/pinyin_vocabulary.py, /tmp/notes/pinyin-bench.md).
MAX_DOCUMENTS = 10_000
VERSION_CHECK_SECONDS = 5.0
EXTRA_WORD_WEIGHT = 0.5  # added to the count of a dictionary or synonym word
TITLES_PER_WORD = 3
MAX_INITIALS_VARIANTS = 16  # zh/ch/sh typed as one or two letters: 2**k spellings, capped

_PINYIN_INPUT = re.compile(r"[a-z' ]{2,40}")
_ASCII_TERM = re.compile(r"[a-z][a-z0-9]*")
_HAS_LATIN = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]")  # ASCII or full-width letters
_RETROFLEX = ("zh", "ch", "sh")
# DP costs: every segment costs about one, so fewer (hence longer) words win; a common word
# costs a little less; a single-character fallback costs more than any word.
_WORD_COST = 1.0
_COMMON_BONUS = 0.05  # per log-unit of count, up to 5 units
_CHAR_COST = 1.6


@functools.lru_cache(maxsize=200_000)
def _syllables(word: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(word))


# Segmentation is most of a build's cost; kept across rebuilds, a rebuild after one publish only
# segments the new title.
@functools.lru_cache(maxsize=2 * MAX_DOCUMENTS)
def _analysed(text: str) -> tuple[tuple[str, ...], str]:
    """The vocabulary words of a title or topic, and its CJK characters (both normalised)."""
    normalised = text_normalise(text)
    # Search mode: the precise-mode words and the dictionary words inside them (血压 in 高血压),
    # exactly the word tokens the index holds.
    words = tuple(
        dict.fromkeys(
            w for w in text_words(normalised) if 2 <= len(w) <= MAX_PINYIN_WORD and CJK_RUN.fullmatch(w)
        )
    )
    return words, "".join(CJK_RUN.findall(normalised))


def _initials_variants(syllables: tuple[str, ...]) -> set[str]:
    """Every way to type the initials: 中暑 → {zs, zhs, zsh, zhsh}."""
    options = [(s[0], s[:2]) if s[:2] in _RETROFLEX else (s[0],) for s in syllables]
    if sum(len(o) > 1 for o in options) > math.log2(MAX_INITIALS_VARIANTS):
        return {"".join(o[0] for o in options), "".join(o[-1] for o in options)}
    return {"".join(combo) for combo in itertools.product(*options)}


@dataclass
class Word:
    text: str
    pinyin: str
    initials: frozenset[str]
    count: float = 0.0
    newest: float = 0.0  # timestamp of the newest document containing it (0: none)
    titles: list[int] = field(default_factory=list)  # indexes into Vocabulary.titles, newest first

    @property
    def rank(self) -> tuple[float, float]:
        return (self.count, self.newest)


@dataclass
class Vocabulary:
    words: dict[str, Word]
    titles: list[str]
    ascii_terms: frozenset[str]
    by_pinyin: dict[str, list[Word]]
    by_initials: dict[str, list[Word]]
    chars: dict[str, str]  # syllable → the commonest title character read so
    prefix_keys: list[str]  # sorted pinyin and initials keys, for prefix search
    prefix_words: list[list[Word]]
    longest_key: int
    build_seconds: float = 0.0


def _word_get(words: dict[str, Word], text: str) -> Word | None:
    """The entry of ``text`` in ``words``, added on first sight; None if ``text`` is no vocabulary
    word (not 2..MAX_PINYIN_WORD CJK characters)."""
    entry = words.get(text)
    if entry is None:
        if not (2 <= len(text) <= MAX_PINYIN_WORD and CJK_RUN.fullmatch(text)):
            return None
        syllables = _syllables(text)
        entry = words[text] = Word(text, "".join(syllables), frozenset(_initials_variants(syllables)))
    return entry


def _document_words(title_words: tuple[str, ...], topic_names) -> dict[str, bool]:
    """The words of one document, each with whether its title shows it."""
    found = dict.fromkeys(title_words, True)
    for topic in topic_names or ():
        topic_words, topic_chars = _analysed(topic)
        for text in (topic_chars, *topic_words):  # the topic itself is a word too (防范电信诈骗)
            found.setdefault(text, False)
    return found


def _document_count(words: dict[str, Word], found: dict[str, bool], index: int, stamp: float) -> None:
    """Count one document (title ``index``, published at ``stamp``) for each word it contains."""
    for text, in_title in found.items():
        entry = _word_get(words, text)
        if entry is None:
            continue
        entry.count += 1
        entry.newest = max(entry.newest, stamp)
        # Only a title that shows the word is offered for it (not one tagged with it).
        if in_title and len(entry.titles) < TITLES_PER_WORD:
            entry.titles.append(index)


def _extra_words_weigh(words: dict[str, Word], extra_words) -> None:
    # A term of the dictionary or the synonyms is a domain word: a little weight even unused, and
    # ahead of an everyday word in as many titles (中暑 before 总是 for zs).
    for text in {text_normalise(t).strip() for t in extra_words}:
        entry = _word_get(words, text)
        if entry is not None:
            entry.count += EXTRA_WORD_WEIGHT


def _ranked_tables(words: dict[str, Word]) -> tuple[dict[str, list[Word]], dict[str, list[Word]]]:
    """(by_pinyin, by_initials): the words under each full pinyin and each initials spelling,
    best rank first."""
    by_pinyin: dict[str, list[Word]] = {}
    by_initials: dict[str, list[Word]] = {}
    for entry in words.values():
        by_pinyin.setdefault(entry.pinyin, []).append(entry)
        for key in entry.initials:
            by_initials.setdefault(key, []).append(entry)
    for table in (by_pinyin, by_initials):
        for entries in table.values():
            entries.sort(key=lambda w: w.rank, reverse=True)
    return by_pinyin, by_initials


def _commonest_chars(char_counts: dict[str, int]) -> dict[str, str]:
    """Syllable → the title character read so that titles use most (first seen wins a tie)."""
    chars: dict[str, str] = {}
    best: dict[str, int] = {}
    for char, count in char_counts.items():
        syllable = _syllables(char)[0]
        if count > best.get(syllable, 0):
            best[syllable], chars[syllable] = count, char
    return chars


def _prefix_index(words: dict[str, Word]) -> tuple[list[str], list[list[Word]]]:
    """(prefix_keys, prefix_words): every pinyin and initials key, sorted, and the words under each."""
    keyed: dict[str, list[Word]] = {}
    for entry in words.values():
        for key in {entry.pinyin, *entry.initials}:
            keyed.setdefault(key, []).append(entry)
    prefix_keys = sorted(keyed)
    return prefix_keys, [keyed[k] for k in prefix_keys]


def vocabulary_build(documents, extra_words=()) -> Vocabulary:
    """A vocabulary from ``documents`` — (display_title, topic_names, published_at, ascii_text)
    tuples, newest first — and ``extra_words`` (dictionary and synonym terms). Pure."""
    started = time.perf_counter()
    words: dict[str, Word] = {}
    titles: list[str] = []
    ascii_terms: set[str] = set()
    char_counts: dict[str, int] = {}
    for title, topic_names, published_at, ascii_text in documents:
        index = len(titles)
        titles.append(title)
        stamp = published_at.timestamp() if published_at else 0.0
        title_words, title_chars = _analysed(title)
        _document_count(words, _document_words(title_words, topic_names), index, stamp)
        for char in title_chars:
            char_counts[char] = char_counts.get(char, 0) + 1
        if _HAS_LATIN.search(ascii_text):  # most titles and texts have none: skip the folding
            ascii_terms.update(_ASCII_TERM.findall(text_normalise(ascii_text)))
    _extra_words_weigh(words, extra_words)
    by_pinyin, by_initials = _ranked_tables(words)
    prefix_keys, prefix_words = _prefix_index(words)
    return Vocabulary(
        words=words,
        titles=titles,
        ascii_terms=frozenset(ascii_terms),
        by_pinyin=by_pinyin,
        by_initials=by_initials,
        chars=_commonest_chars(char_counts),
        prefix_keys=prefix_keys,
        prefix_words=prefix_words,
        longest_key=max((len(k) for k in by_pinyin), default=0),
        build_seconds=time.perf_counter() - started,
    )


# --- the per-process vocabulary ------------------------------------------------------------


def _dictionary_words() -> list[str]:
    return [
        line.split()[0]
        for line in DICT_PATH.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _corpus_version():
    return tuple(
        tuple(model.objects.aggregate(n=Count("pk"), newest=Max("updated_at")).values())
        for model in (SearchDocument, SynonymGroup)
    )


def _vocabulary_load() -> Vocabulary:
    rows = (
        SearchDocument.objects.order_by("-published_at", "-pk")
        .values_list("display_title", "topic_names", "published_at", "summary", "plain_text")[:MAX_DOCUMENTS]
        .iterator(chunk_size=2_000)
    )
    documents = (
        (title, topics, published, f"{title} {summary} {plain_text}")
        for title, topics, published, summary, plain_text in rows
    )
    extra = _dictionary_words()
    for group in SynonymGroup.objects.filter(enabled=True):
        for term in group.term_list():
            extra.extend(text_normalise(term).split())
    return vocabulary_build(documents, extra)


_lock = threading.Lock()
_state: dict = {"vocabulary": None, "version": None, "checked": 0.0}


def vocabulary_get() -> Vocabulary:
    """This process's vocabulary, rebuilt when the corpus version has moved (checked at most every
    ``VERSION_CHECK_SECONDS``)."""
    now = time.monotonic()
    vocabulary = _state["vocabulary"]
    if vocabulary is not None and now - _state["checked"] < VERSION_CHECK_SECONDS:
        return vocabulary
    with _lock:
        if _state["vocabulary"] is not None and now - _state["checked"] < VERSION_CHECK_SECONDS:
            return _state["vocabulary"]
        version = _corpus_version()
        if _state["vocabulary"] is None or version != _state["version"]:
            _state["vocabulary"] = _vocabulary_load()
            _state["version"] = version
        _state["checked"] = time.monotonic()
        return _state["vocabulary"]


# --- queries -----------------------------------------------------------------------------


def _compact(text: str) -> str | None:
    normalised = text_normalise(text).strip()
    if not _PINYIN_INPUT.fullmatch(normalised):
        return None
    return normalised


def looks_like_pinyin(text: str) -> bool:
    """The normalised text is 2–40 characters of ASCII letters, spaces and apostrophes."""
    return _compact(text) is not None


def _is_corpus_term(vocabulary: Vocabulary, normalised: str) -> bool:
    """An English/ASCII term the corpus uses (aed, chatgpt) — unless it is also the pinyin of a
    known word (a romanised place name such as ezhou is still pinyin)."""
    tokens = normalised.replace("'", " ").split()
    compact = "".join(tokens)
    return any(t in vocabulary.ascii_terms and t not in vocabulary.by_pinyin for t in {compact, *tokens})


def _segmentations(vocabulary: Vocabulary, compact: str, limit: int) -> list[str]:
    """The ``limit`` cheapest segmentations of ``compact`` into vocabulary pinyins (k-best DP)."""
    n = len(compact)
    best: list[list[tuple[float, tuple[str, ...], int]]] = [[] for _ in range(n + 1)]
    best[0] = [(0.0, (), 0)]
    longest = max(vocabulary.longest_key, 6)
    for end in range(1, n + 1):
        candidates = []
        for start in range(max(0, end - longest), end):
            if not best[start]:
                continue
            piece = compact[start:end]
            options = [
                (_WORD_COST - _COMMON_BONUS * min(math.log1p(w.count), 5), w.text, 1)
                for w in vocabulary.by_pinyin.get(piece, ())[:limit]
            ]
            char = vocabulary.chars.get(piece)
            if char:
                options.append((_CHAR_COST, char, 0))
            for cost, text, is_word in options:
                for total, words, words_n in best[start]:
                    candidates.append((total + cost, (*words, text), words_n + is_word))
        best[end] = heapq.nsmallest(limit, candidates, key=lambda c: c[0])
    readings: dict[str, str] = {}  # the same characters split differently (防溺水, 防 溺水) count once
    for _, words, words_n in best[n]:
        # A reading stands on its words: at most as many single characters as words (血压 高, not 高温 方 数).
        if words_n and 2 * words_n >= len(words):
            readings.setdefault("".join(words), " ".join(words))
    return list(readings.values())


def _pinyin_input(text: str) -> tuple["Vocabulary", str] | None:
    """The vocabulary and the typed letters run together, or None when ``text`` is not pinyin
    (not pinyin-like, or a Latin term of our pages such as AED)."""
    normalised = _compact(text)
    if normalised is None:
        return None
    vocabulary = vocabulary_get()
    if _is_corpus_term(vocabulary, normalised):
        return None
    return vocabulary, normalised.replace(" ", "").replace("'", "")


def pinyin_words(text: str, limit: int = 3) -> list[str]:
    """Alternative readings of pinyin input, best first; each a space-separated string of Chinese
    words. ``[]`` for input that is not pinyin-like or is an ASCII term of the corpus."""
    pinyin = _pinyin_input(text) if limit > 0 else None
    if pinyin is None:
        return []
    vocabulary, compact = pinyin
    readings = _segmentations(vocabulary, compact, 2 * limit)  # a wider beam: split variants fold into one
    for word in vocabulary.by_initials.get(compact, ())[:limit]:
        if word.text not in readings:
            readings.append(word.text)
    return readings[:limit]


pinyin_readings = pinyin_words


def pinyin_suggestions(prefix: str, limit: int = 8) -> list[str]:
    """Titles and words whose pinyin (or initials) starts with ``prefix``, best word first; each
    word is preceded by the newest live title containing it."""
    pinyin = _pinyin_input(prefix) if limit > 0 else None
    if pinyin is None:
        return []
    vocabulary, compact = pinyin
    keys = vocabulary.prefix_keys
    matched: dict[str, Word] = {}
    for i in range(bisect.bisect_left(keys, compact), len(keys)):
        if not keys[i].startswith(compact):
            break
        for word in vocabulary.prefix_words[i]:
            matched[word.text] = word
    suggestions: list[str] = []
    for word in heapq.nlargest(limit, matched.values(), key=lambda w: w.rank):
        if word.titles:
            title = vocabulary.titles[word.titles[0]]
            if title not in suggestions:
                suggestions.append(title)
        if word.text not in suggestions:
            suggestions.append(word.text)
    return suggestions[:limit]

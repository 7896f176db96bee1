"""Chinese text analysis shared by indexing and querying, on every backend.

One pipeline, so the index and the query always agree:

1. ``text_normalise``: NFKC (full-width → half-width, compatibility forms), Traditional →
   Simplified (OpenCC ``t2s``), lower case.
2. ``text_words``: jieba search-mode segmentation with the project dictionary
   (``search/dict/kepu.txt``), punctuation and stop words dropped.
3. ``text_grams``: overlapping character bigrams of every CJK run, emitted as a separate
   section so a multi-character word can be matched as a *phrase of bigrams* even when jieba
   segments it differently (or an editor adds a synonym the dictionary does not know).
4. ``word_pinyin``: one toneless pinyin token per multi-character word (``py`` + pinyin), so
   the commonest Chinese typo, a homophone (中署 → 中暑, 寒朝 → 寒潮), still finds the word.

Backends only ever see whitespace-separated lower-case tokens; Elasticsearch indexes them
with a whitespace analyzer and the database backends with their default tokenizers.

Bounded cost: ``index_text`` analyses at most ``MAX_INDEXED_FIELD_CHARS`` (content.limits) of
each part, and segmentation runs over chunks of at most ``SEGMENT_CHUNK_CHARS`` cut at a
punctuation or space when there is one. jieba's time grows with the square of an unbroken run
(a 32,000-character run of one rare character took 4 s, a megabyte would take many minutes);
chunked, it grows linearly. Ordinary text breaks at punctuation long before a chunk ends, and
jieba never joins words across punctuation, so its words are unchanged.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import jieba
import opencc
from jieba.posseg import POSTokenizer
from pypinyin import lazy_pinyin

from content.limits import MAX_INDEXED_FIELD_CHARS

jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO
_DICT = Path(__file__).parent / "dict" / "kepu.txt"
_QUERY_WORDS = Path(__file__).parent / "dict" / "query_words.txt"


@functools.cache
def segmenter() -> jieba.Tokenizer:
    """jieba with the project dictionary, loaded once per process on first use (not at import:
    commands and workers that never analyse text do not pay for it)."""
    tokenizer = jieba.Tokenizer()
    for line in _DICT.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, *rest = line.split()
            # Lower-cased like the text it will meet (text_normalise lower-cases everything).
            tokenizer.add_word(
                word.lower(), int(rest[0]) if rest else None, rest[1] if len(rest) > 1 else None
            )
    tokenizer.initialize()
    return tokenizer


def analysis_warm() -> None:
    """Load the dictionaries now (a web worker at start-up) rather than in its first search."""
    segmenter()
    _word_tags()


NOUN_TAGS = frozenset({"n", "nz", "nt", "j", "vn", "an"})  # not ns: jieba tags 河里 and 山坡 so


@functools.cache
def _word_tags() -> dict[str, str]:
    """jieba's part-of-speech tag per dictionary word (its dictionary plus ours); loaded on the
    first question that needs it."""
    tags = dict(POSTokenizer(segmenter()).word_tag_tab)
    for line in _DICT.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and not line.startswith("#"):
            tags[parts[0].lower()] = parts[2]
    return tags


def is_known_word(word: str, synonyms: dict | None = None) -> bool:
    """A word of jieba's or the project's dictionary, or a synonym term (not a guess or a typo)."""
    return bool(segmenter().FREQ.get(word)) or bool(synonyms and word in synonyms)


# Places (地上, 田里), directions (里面), times (上天), numbers (一条), adverbs, idioms and the like
# rarely name what a question is about; nouns and verbs (中暑, 溺水, 打药) do.
MINOR_TAGS = frozenset({"s", "f", "t", "m", "q", "r", "d", "p", "c", "u", "i", "l", "a", "ad", "y", "e", "o"})


def word_is_minor(word: str) -> bool:
    """Whether the dictionary tags ``word`` as a place, time, number, adverb, idiom … word."""
    return _word_tags().get(word) in MINOR_TAGS


def word_is_noun(word: str) -> bool:
    """Whether the dictionary knows ``word`` as a noun (a thing or topic, not an action or a
    description): words jieba guessed are not."""
    return _word_tags().get(word) in NOUN_TAGS


@functools.cache
def query_word_roles() -> dict[str, str]:
    """word → "filler" or "context" (search/dict/query_words.txt); other words are "core"."""
    roles, section = {}, None
    for line in _QUERY_WORDS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        for word in line.split():
            roles.setdefault(word, section)
    return roles


_T2S = opencc.OpenCC("t2s")

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"\w")
STOP_WORDS = frozenset(
    """的 了 着 过 是 在 和 与 及 或 而 并 也 都 就 还 又 把 被 让 给 对 向 从 于 以 为 之 其 这 那 这个 那个
    这些 那些 什么 怎么 怎么办 怎样 怎么样 如何 为什么 为何 哪些 哪个 哪里 吗 呢 吧 啊 呀 么 嘛 哦 有 有没有
    没有 是否 要 会 能 可以 应该 需要 一个 一些 我 你 他 她 它 我们 你们 他们 自己 请问 关于 知识 相关 介绍
    办法 方法 注意 注意事项 事项 大全 攻略 a an the of to and or in on for is are""".split()
)
MAX_QUERY_WORDS = 12
MAX_HOMOPHONE_CLAUSES = 4
SEGMENT_CHUNK_CHARS = 1_000  # jieba sees at most this much text at once
_CHUNK_BREAK = re.compile(r"[\s,.;:!?，。；：！？、）)]")
MAX_PINYIN_WORD = 20  # no real word is longer; pinyin of a longer "word" is wasted work


def text_normalise(text: str) -> str:
    """Full-width → half-width, Traditional → Simplified, lower case."""
    return _T2S.convert(unicodedata.normalize("NFKC", text or "")).lower()


def _is_token(token: str) -> bool:
    return bool(WORD.search(token)) and token not in STOP_WORDS


def text_chunks(text: str, size: int = SEGMENT_CHUNK_CHARS) -> list[str]:
    """``text`` in consecutive pieces of at most ``size`` characters, each ending after the last
    punctuation or space in its final quarter when there is one (else cut at ``size``)."""
    chunks, start, length = [], 0, len(text)
    while start < length:
        end = min(start + size, length)
        if end < length:
            last = None
            for last in _CHUNK_BREAK.finditer(text, end - size // 4, end):  # noqa: B007 - want the last
                pass
            if last is not None:
                end = last.end()
        chunks.append(text[start:end])
        start = end
    return chunks


def text_words(normalised: str) -> list[str]:
    """Search-mode words of already-normalised text (fine and coarse words both)."""
    return [
        t
        for chunk in text_chunks(normalised)
        for t in (t.strip() for t in segmenter().cut_for_search(chunk))
        if t and _is_token(t)
    ]


MAX_LEXICON_TERM = 16  # longest synonym term recognised inside a query
_PRONOUNS = frozenset("我你他她它咱您")
_PARTICLES = frozenset("得了着过的地吗呢吧啊呀嘛哦么")


def _lexicon_words(words: list[str], synonyms: dict) -> list[str]:
    """jieba's words with synonym terms recognised across them: a term starting where a word
    starts is taken whole ("胸口" + "疼得" → "胸口疼" + "得"), longest first."""
    text = "".join(words)
    starts, ends, position = set(), set(), 0
    for word in words:
        starts.add(position)
        position += len(word)
        ends.add(position)
    out, i, current = [], 0, ""
    while i < len(text):
        if i in starts or i in ends:
            if current:
                out.append(current)
                current = ""
            for length in range(min(MAX_LEXICON_TERM, len(text) - i), 1, -1):
                if text[i : i + length] in synonyms:
                    out.append(text[i : i + length])
                    i += length
                    # The rest of a word the term cut into is a word of its own.
                    starts.add(i)
                    break
            else:
                current = text[i]
                i += 1
            continue
        current += text[i]
        i += 1
    if current:
        out.append(current)
    return out


def _trimmed(word: str, synonyms: dict) -> str:
    """A two-character word jieba guessed (not in its dictionary) that is a pronoun plus a
    character or a character plus a particle ("我点", "疼得") is really that one character."""
    if len(word) != 2 or word in synonyms or word in segmenter().FREQ:
        return word
    if word[0] in _PRONOUNS:
        return word[1]
    if word[1] in _PARTICLES:
        return word[0]
    return word


def query_words(normalised: str, synonyms: dict | None = None) -> list[str]:
    """Precise-mode words of a normalised query, stop words and fillers dropped, order kept,
    deduplicated. Synonym terms are recognised across jieba's words ("胸口疼" when editors or
    the lexicon list it), so everyday phrases jieba does not know reach their formal names."""
    synonyms = synonyms or {}
    words = [w for w in (t.strip() for t in segmenter().cut(normalised)) if w]
    if synonyms:
        words = _lexicon_words(words, synonyms)
    words = [_trimmed(w, synonyms) for w in words]
    roles = query_word_roles()
    kept = [w for w in words if _is_token(w) and (w in synonyms or roles.get(w) != "filler")]
    return list(dict.fromkeys(kept))[:MAX_QUERY_WORDS]


def query_word_role(word: str, synonyms: dict | None = None) -> str:
    """ "core" or "context" (see search/dict/query_words.txt); synonym terms are always core."""
    if synonyms and word in synonyms:
        return "core"
    return "context" if query_word_roles().get(word) == "context" else "core"


def word_grams(word: str) -> list[str]:
    """Character bigrams of one CJK word ("防溺水" → ["防溺", "溺水"])."""
    return [word[i : i + 2] for i in range(len(word) - 1)]


def text_grams(normalised: str) -> list[str]:
    grams = []
    for run in CJK_RUN.findall(normalised):
        grams.extend(word_grams(run) if len(run) > 1 else [run])
    return grams


@functools.lru_cache(maxsize=200_000)
def word_pinyin(word: str) -> str | None:
    """``py`` + toneless pinyin of a multi-character CJK word (a token no real word collides with)."""
    if not 2 <= len(word) <= MAX_PINYIN_WORD or not CJK_RUN.fullmatch(word):
        return None
    return "py" + "".join(lazy_pinyin(word))


def index_text(*parts: str) -> str:
    """The index form of some text: its words, its bigrams (in text order), its words' pinyin.
    Only the first ``MAX_INDEXED_FIELD_CHARS`` characters of each part are analysed."""
    normalised = text_normalise(" ".join(p[:MAX_INDEXED_FIELD_CHARS] for p in parts if p))
    words = text_words(normalised)
    pinyin = dict.fromkeys(p for p in map(word_pinyin, dict.fromkeys(words)) if p)
    return " ".join(words + text_grams(normalised) + list(pinyin))


@dataclass
class Clause:
    """One concept of the query; a document matches it through any alternative."""

    word: str
    alternatives: list[str] = field(default_factory=list)  # single index tokens
    phrases: list[list[str]] = field(default_factory=list)  # bigram sequences
    components: list[list[str]] = field(default_factory=list)  # all of these sub-words together
    pinyin: str | None = None  # the word's pinyin token (also among the alternatives)
    role: str = "core"  # or "context": scored when present, never required (search.query_plan)
    synonyms: bool = False  # the word has synonyms (the lexicon or editors name it as a topic)
    homophone_of: int | None = None  # the pinyin of clause N, searched only if no page has clause N


@dataclass
class AnalysedQuery:
    text: str  # normalised query
    clauses: list[Clause]

    @property
    def highlight_terms(self) -> list[str]:
        terms = {
            a
            for clause in self.clauses
            if clause.homophone_of is None
            for a in clause.alternatives
            if a != clause.pinyin
        }
        return sorted(terms, key=len, reverse=True)


def _phrase_for(word: str) -> list[str] | None:
    return word_grams(word) if CJK_RUN.fullmatch(word) and len(word) >= 3 else None


def _components_for(word: str) -> list[str] | None:
    """The multi-character dictionary words inside a long word, all required together.

    Lets a compound with a one-character affix match its core (防诈骗 → 诈骗, 防溺水 → 溺水)
    and a long compound match when its parts appear (电动自行车 → 电动 + 自行车 …).
    """
    if len(word) < 3:
        return None
    parts = [
        t
        for t in dict.fromkeys(segmenter().cut_for_search(word))
        if t != word and len(t) > 1 and _is_token(t)
    ]
    return parts or None


def _query_words_kept(text: str, synonyms: dict[str, list[str]]) -> list[str]:
    """The words of a normalised query that become clauses."""
    words = query_words(text, synonyms)
    # Whole-query synonym (e.g. "新冠" typed alone or a multi-word synonym such as "新型冠状病毒").
    compact = "".join(text.split())
    if compact in synonyms and compact not in words:
        words = [compact]
    if any(len(w) > 1 for w in words):
        words = [w for w in words if len(w) > 1 or not CJK_RUN.fullmatch(w)]
    return words


def _clause_variant_add(clause: Clause, variant: str) -> None:
    """Add one spelling of a clause's word (the word itself or a synonym): its tokens as
    alternatives, and for the word the dictionary does not know, its phrase and parts."""
    word = clause.word
    for token in query_words(variant) if " " in variant else [variant]:
        if token not in clause.alternatives:
            clause.alternatives.append(token)
    # Synonyms the dictionary knows are single tokens in the index already; spelling them
    # as phrases or parts too would only make the query slower, not better.
    if variant != word and variant in segmenter().FREQ:
        return
    phrase = _phrase_for(variant)
    if phrase and phrase not in clause.phrases:
        clause.phrases.append(phrase)
    components = _components_for(variant) if variant == word else None
    if components and components not in clause.components and components != [variant]:
        clause.components.append(components)


def _clause_build(word: str, synonyms: dict[str, list[str]]) -> Clause:
    """The clause of one query word: its spellings, phrases, parts and typo pinyin."""
    clause = Clause(word=word, role=query_word_role(word, synonyms), synonyms=word in synonyms)
    for variant in [word, *synonyms.get(word, [])]:
        _clause_variant_add(clause, variant)
    # Pinyin finds homophone typos (中署 → 中暑, 没起 → 煤气); a word the dictionary knows is
    # no typo, and its homophones (编程 / 变成, 地陷 / 底线) are other words.
    clause.pinyin = None if is_known_word(word, synonyms) else word_pinyin(word)
    if clause.pinyin:
        clause.alternatives.append(clause.pinyin)
    return clause


def _homophone_clauses(clauses: list[Clause]) -> list[Clause]:
    """Voice input writes real words for the ones meant (有用 for 游泳, 中分 for 中风): a known core
    word's pinyin is a separate clause, used (as context) only when no page has the word itself."""
    homophones = []
    for i, clause in enumerate(clauses):
        token = word_pinyin(clause.word) if clause.role == "core" and not clause.pinyin else None
        if token and len(homophones) < MAX_HOMOPHONE_CLAUSES:
            homophones.append(Clause(word=token, alternatives=[token], role="context", homophone_of=i))
    return homophones


def query_analyse(raw: str, synonyms: dict[str, list[str]] | None = None) -> AnalysedQuery:
    """Normalise, segment and expand a user query.

    ``synonyms`` maps a normalised term to the other normalised terms of its group. Single
    characters are dropped when the query has longer words (they match almost everything).
    """
    synonyms = synonyms or {}
    text = text_normalise(raw)
    clauses = [_clause_build(word, synonyms) for word in _query_words_kept(text, synonyms)]
    return AnalysedQuery(text=text, clauses=clauses + _homophone_clauses(clauses))

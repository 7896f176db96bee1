"""Which words of a query matter, and how much: the plan both engines carry out.

A question as people type or dictate it ("老伴半夜胸口疼得厉害该咋办") has one or two words that
name its topic and many that do not. The analyser (search.analysis) already drops fillers and marks
people, times and degrees as *context*. Here every remaining *core* word is weighted by how
informative it is in our corpus (IDF: a word on few pages says more than one on many), and a page
must match core words carrying at least ``COVERAGE`` of the query's core weight:

- a long question keeps its informative core instead of needing most of its words;
- a core noun no page has still counts, as much as the query's most informative word we do have,
  and a page must match more than all such missing words together: a question whose main topic
  we do not cover ("老伴腰椎间盘突出咋办", only 突出 is ours) finds nothing rather than unrelated
  pages, while "高温 防暑 量子" still finds the heat pages;
- a core word on a large share of the pages weighs little and is treated as context; a place,
  time, number or adverb word ("地上", "一条") weighs less than a noun or verb.

Ranking then adds the pages' own relevance per word (title weighted) and ``COVERAGE_BONUS`` times
the share of the core they cover, so covering more of the question ranks higher.
"""

import itertools
import math
from dataclasses import dataclass, field

from .analysis import AnalysedQuery, Clause, word_is_minor, word_is_noun

COVERAGE = 0.3  # share of the core weight a page must match: one of three like words, not one of four
COMMON_SHARE = 0.4  # a core word on more than this share of pages (of at least MIN_PAGES) is context
MIN_PAGES_FOR_COMMON = 30
MAX_REQUIRED = 6  # the requirement is built on the heaviest present core words (sets stay small)
TOPIC_FACTOR = 1.5  # a noun, or a word with synonyms (the lexicon names it), is a topic: it weighs more
MINOR_FACTOR = 0.4  # a place, time, number or adverb word weighs this share of its IDF
CONTEXT_FACTOR = 0.3  # a context word's relevance counts this much
COVERAGE_BONUS = 20.0  # added for covering the whole core (proportionally for part of it)


def idf(document_frequency: int, total: int) -> float:
    """BM25's inverse document frequency (never negative)."""
    return math.log(1 + (total - document_frequency + 0.5) / (document_frequency + 0.5))


@dataclass
class PlannedClause:
    clause: Clause
    frequency: int  # pages matching it
    weight: float  # informativeness (IDF)
    role: str  # "core" (counts towards the requirement) or "context" (scored only)


@dataclass
class QueryPlan:
    clauses: list[PlannedClause]  # one per clause of the query, in its order (absent ones match nothing)
    total_pages: int
    core_weight: float  # of every core word, those no page has included
    missing_weight: float = 0.0  # of the core words no page has
    missing: list[str] = field(default_factory=list)  # core words no page has

    @property
    def core(self) -> list[int]:
        """Indexes of the core clauses some page has."""
        return [i for i, c in enumerate(self.clauses) if c.role == "core" and c.frequency]

    @property
    def present(self) -> list[int]:
        """Indexes of the clauses some page has (the ones worth asking an engine about)."""
        return [i for i, c in enumerate(self.clauses) if c.frequency]

    def coverage(self, matched) -> float:
        """Share of the core weight that the clauses ``matched`` (indexes) carry."""
        if self.core_weight <= 0:
            return 0.0
        return (
            sum(self.clauses[i].weight for i in matched if self.clauses[i].role == "core") / self.core_weight
        )

    def satisfied(self, matched) -> bool:
        if not self.core:
            return False
        weight = sum(self.clauses[i].weight for i in matched if self.clauses[i].role == "core")
        return weight >= COVERAGE * self.core_weight - 1e-9 and weight > self.missing_weight + 1e-9

    def required_sets(self) -> list[tuple[int, ...]]:
        """The minimal sets of core clauses that satisfy the plan (a page must match one set
        entirely); the form Elasticsearch's boolean query needs."""
        core = self.core
        found: list[tuple[int, ...]] = []
        for size in range(1, len(core) + 1):
            for combo in itertools.combinations(core, size):
                if self.satisfied(combo) and not any(set(f) <= set(combo) for f in found):
                    found.append(combo)
        return found

    @property
    def answerable(self) -> bool:
        return bool(self.core) and self.satisfied(self.core)


def plan_build(query: AnalysedQuery, frequencies: list[int], total_pages: int) -> QueryPlan:
    """The plan for ``query`` given how many of ``total_pages`` pages match each clause."""
    planned = []
    for clause, frequency in zip(query.clauses, frequencies, strict=True):
        if clause.homophone_of is not None and frequencies[clause.homophone_of]:
            frequency = 0  # the word itself is on some page: its homophones are other words
        role = clause.role
        common = total_pages >= MIN_PAGES_FOR_COMMON and frequency > COMMON_SHARE * total_pages
        if role == "core" and common:
            role = "context"
        weight = idf(frequency, max(total_pages, 1))
        if clause.synonyms or word_is_noun(clause.word):
            weight *= TOPIC_FACTOR
        elif word_is_minor(clause.word):
            weight *= MINOR_FACTOR
        planned.append(PlannedClause(clause, frequency, weight, role))
    if not any(p.role == "core" for p in planned):
        # Only context words ("孩子 安全"): they are the topic then.
        for p in planned:
            p.role = "core"
    present_core = sorted(
        (p for p in planned if p.role == "core" and p.frequency), key=lambda p: p.weight, reverse=True
    )
    for p in present_core[MAX_REQUIRED:]:
        p.role = "context"
    # An absent noun (or synonym term) names a topic we may not cover; an absent verb, description
    # or word jieba only guessed ("眯着眼", "滑倒", "充一") just says more about it, and is left out.
    for p in planned:
        if p.role == "core" and not p.frequency and not (word_is_noun(p.clause.word) or p.clause.synonyms):
            p.role = "context"
    missing = [p for p in planned if p.role == "core" and not p.frequency]
    # What we lack weighs as much as the best of what we have (its IDF at zero pages would make
    # any one absent word outweigh two present ones).
    for p in missing:
        p.weight = present_core[0].weight if present_core else p.weight
    core_weight = sum(p.weight for p in planned if p.role == "core")
    return QueryPlan(
        clauses=planned,
        total_pages=total_pages,
        core_weight=core_weight,
        missing_weight=sum(p.weight for p in missing),
        missing=[p.clause.word for p in missing],
    )

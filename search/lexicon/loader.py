"""The shipped everyday ↔ formal lexicon (``everyday.txt``) read as synonym groups.

File format (UTF-8, one group per line)::

    ## 慢性病                       ← category header; notes become "日常用语：慢性病"
    血糖高，高血糖 # 口语            ← terms separated by "，", optional " # note"
    # anything else starting with "#" is a comment

Every term has at least two characters, a group has at least two different terms, and the
first term of a group is its key: it appears in no other group of the file.

``lexicon_groups_add`` adds the shipped groups a database does not have yet. A shipped group
counts as present when any existing group, enabled or not, contains its key (after
``text_normalise``). So a group an editor disabled, reordered or reworded keeps the editor's
version as long as the key stays in it. A *deleted* group leaves no trace and is added again by
the next ``search_lexicon_load``: editors switch groups off (启用) instead of deleting them.
"""

import re
from pathlib import Path

from search.analysis import text_normalise

LEXICON_PATH = Path(__file__).with_name("everyday.txt")
NOTE_PREFIX = "日常用语"
# The separators SynonymGroup.term_list accepts; the file uses "，".
TERM_SEPARATORS = re.compile(r"[,，、;；\s/|]+")
MAX_TERMS_CHARS = 500  # SynonymGroup.terms
MAX_NOTE_CHARS = 200  # SynonymGroup.note


def terms_split(terms: str) -> list[str]:
    """The terms of a stored group (historical models lack SynonymGroup.term_list)."""
    return [t for t in (t.strip() for t in TERM_SEPARATORS.split(terms or "")) if t]


def _line_error(path: Path, number: int, message: str) -> ValueError:
    return ValueError(f"{path}:{number}: {message}")


def _terms_problem(terms: list[str], normalised: list[str]) -> str | None:
    """What is wrong with a group's own terms (the first problem found), or None."""
    if not terms:
        return "同义词组为空"
    for term, norm in zip(terms, normalised, strict=True):
        if len(norm) < 2:
            return f"“{term}”只有一个字，单字会匹配到几乎所有内容"
    duplicates = sorted({t for t in normalised if normalised.count(t) > 1})
    if duplicates:
        return f"组内重复：{'、'.join(duplicates)}"
    if len(terms) < 2:
        return f"“{terms[0]}”这一组只有一个词，至少需要两个"
    return None


def _keys_problem(
    terms: list[str], normalised: list[str], keys: dict[str, int], seen: dict[str, int]
) -> str | None:
    """How a group clashes with the groups above it (a key is in no other group), or None."""
    key = normalised[0]
    if key in seen:
        return f"第一个词“{terms[0]}”是本组的标识，不能再出现在其他组（第 {seen[key]} 行）"
    for norm, term in zip(normalised[1:], terms[1:], strict=True):
        if norm in keys:
            return f"“{term}”是第 {keys[norm]} 行那一组的标识（第一个词），不能出现在其他组"
    return None


def _group_row(terms: list[str], category: str, own_note: str) -> tuple[str, str]:
    """(terms joined with "，", note) of a group under ``category``."""
    note = f"{NOTE_PREFIX}：{category}"
    if own_note.strip():
        note += f"；{own_note.strip()}"
    return "，".join(terms), note


def _row_problem(joined: str, note: str) -> str | None:
    """Which stored field a group would overflow, or None."""
    if len(joined) > MAX_TERMS_CHARS:
        return f"同义词组超过 {MAX_TERMS_CHARS} 个字符"
    if len(note) > MAX_NOTE_CHARS:
        return f"备注超过 {MAX_NOTE_CHARS} 个字符"
    return None


def lexicon_groups(path: Path | str | None = None) -> list[tuple[str, str]]:
    """(terms joined with "，", note) for every group of the lexicon file, in file order.

    Raises ValueError("<file>:<line>: <中文说明>") on the first malformed line.
    """
    path = Path(path) if path else LEXICON_PATH
    groups: list[tuple[str, str]] = []
    keys: dict[str, int] = {}  # normalised key term → line
    seen: dict[str, int] = {}  # normalised term → first line it appears on
    category = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("##"):
            category = line.lstrip("#").strip()
            if not category:
                raise _line_error(path, number, "分类标题为空，应写作“## 分类名”")
            continue
        if not line or line.startswith("#"):
            continue
        if category is None:
            raise _line_error(path, number, "同义词组前缺少“## 分类名”标题行")
        body, _, own_note = line.partition("#")
        terms = terms_split(body)
        normalised = [text_normalise(t) for t in terms]
        problem = _terms_problem(terms, normalised) or _keys_problem(terms, normalised, keys, seen)
        if problem:
            raise _line_error(path, number, problem)
        keys[normalised[0]] = number
        for norm in normalised:
            seen.setdefault(norm, number)
        joined, note = _group_row(terms, category, own_note)
        problem = _row_problem(joined, note)
        if problem:
            raise _line_error(path, number, problem)
        groups.append((joined, note))
    return groups


def lexicon_groups_add(model=None, path: Path | str | None = None) -> int:
    """Add every shipped group whose key no existing group contains; returns how many were added.

    ``model`` is SynonymGroup or the historical model a migration passes (``apps.get_model``):
    only the fields terms, note and enabled are used.
    """
    if model is None:
        from search.models import SynonymGroup as model  # noqa: PLC0415 (migrations pass their historical model)
    groups = lexicon_groups(path)
    present = {
        text_normalise(term)
        for terms in model.objects.values_list("terms", flat=True)
        for term in terms_split(terms)
    }
    missing = []
    for terms, note in groups:
        key = text_normalise(terms_split(terms)[0])
        if key not in present:
            missing.append(model(terms=terms, note=note, enabled=True))
            present.add(key)
    model.objects.bulk_create(missing)
    return len(missing)

"""Fold text the way search does (``search.analysis.text_normalise``: NFKC, Traditional →
Simplified, lower case) while remembering where each folded character came from, so a hit in
the folded text points at the author's own characters."""

from search.analysis import text_normalise


def fold(text: str) -> str:
    return text_normalise(text)


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """(folded text, offsets): ``offsets[i]`` is the index in ``text`` of folded character ``i``,
    or None when folding kept every character in place (nearly always: width, case and t2s are
    one character for one)."""
    folded = text_normalise(text)
    if len(folded) == len(text):
        return folded, None
    pieces = [text_normalise(char) for char in text]
    return "".join(pieces), [index for index, piece in enumerate(pieces) for _ in piece]

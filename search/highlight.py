"""Highlighted snippets: everything escaped, only ``<mark>`` added.

Matching runs on the display form of the text (full-width folded, Traditional → Simplified,
case-insensitive), the same normalisation the query went through.
"""

import html
import re
import unicodedata

from .analysis import _T2S

SNIPPET_LENGTH = 110


# Full-width letters and digits become half-width, the ideographic space a space; Chinese
# punctuation (，。：) stays as it is. A translation table: whole snippet sources are folded per
# result, and a Python loop per character was a quarter of an Elasticsearch search's time.
_FOLD = {
    code: unicodedata.normalize("NFKC", chr(code))
    for code in range(0xFF10, 0xFF5B)
    if unicodedata.normalize("NFKC", chr(code)).isalnum()
}
_FOLD[0x3000] = " "


def display_normalise(text: str) -> str:
    """Traditional → Simplified and full-width letters/digits → half-width; punctuation kept."""
    return _T2S.convert((text or "").translate(_FOLD))


def _spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    if not terms:
        return []
    pattern = re.compile(
        "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True)), re.IGNORECASE
    )
    return [m.span() for m in pattern.finditer(text)]


def _render(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for start, end in spans:
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def highlight_text(text: str, terms: list[str]) -> str:
    """The whole text, escaped, with every term marked."""
    text = display_normalise(text)
    return _render(text, _spans(text, terms))


def snippet_build(text: str, terms: list[str], length: int = SNIPPET_LENGTH) -> str:
    """A window of ``text`` around its best cluster of matches, escaped, terms marked."""
    text = " ".join(display_normalise(text).split())
    spans = _spans(text, terms)
    if not spans:
        window = text[:length]
        return html.escape(window) + ("…" if len(text) > length else "")
    # Choose the window start (at a match) that covers the most distinct matched terms.
    best_start, best_score = spans[0][0], -1
    for start, _ in spans:
        covered = {text[s:e].lower() for s, e in spans if s >= start and e <= start + length}
        if len(covered) > best_score:
            best_start, best_score = start, len(covered)
    start = max(0, best_start - 20)
    # Back up to a sentence boundary if one is close, so the snippet reads naturally.
    boundary = max(text.rfind(ch, max(0, start - 15), best_start) for ch in "。！？；;.!?")
    if boundary >= 0:
        start = boundary + 1
    end = min(len(text), start + length)
    inside = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + _render(text[start:end], inside) + suffix

"""错敏词 for the import: what an import line will show, as ``editorial`` places named by the
import format's own field names, so a message points at the file's text (``body 第 2 块第 5 字``)."""

from editorial.engine import CheckResult, Place, text_check
from editorial.places import html_text

from .validation import ImportItem


def item_places(item: ImportItem) -> list[Place]:
    places = [
        Place(name, f"{name} ", value)
        for name, value in item.fields.items()
        if isinstance(value, str) and value
    ]
    for number, block in enumerate(item.body.blocks, start=1):
        kind = block[0]
        if kind == "heading":
            text = block[1].get("text", "")
        elif kind == "paragraph":
            text = html_text(block[1])
        else:  # ("image", src, alt): the alt text becomes the picture's caption
            text = block[2]
        if text:
            places.append(Place(f"body.{number}", f"body 第 {number} 块", text))
    if item.topics:
        places.append(Place("topics", "topics ", "\n".join(item.topics)))
    return places


def item_check(item: ImportItem) -> CheckResult:
    return text_check(item_places(item))


def blocked_reasons(result: CheckResult) -> list[str]:
    return [f"禁用词 “{hit.matched}”（{hit.position}）" for hit in result.blocked]


def notices(result: CheckResult) -> list[str]:
    """警告 and 纠错 hits: reported, not refused (the dashboard asks for the 警告 confirmations)."""
    lines = [f"警告词 “{hit.matched}”（{hit.position}），请在后台核对确认" for hit in result.warnings]
    lines += [
        f"纠错 “{hit.matched}” → “{hit.term.suggestion}”（{hit.position}）" for hit in result.corrections
    ]
    return lines

"""Turn import-file body HTML into ``BodyStreamBlock`` data.

The body first goes through ``content.sanitize.html_sanitize`` (the one allow-list sanitizer: p h2 h3
ul ol li strong em a img, b/i/br tolerated; comments, CDATA, event handlers and unknown tags never
survive; links only http, https, mailto, tel and site paths). h1 and h4–h6 are renamed to h2/h3
before that so their text stays a heading. Top-level h2/h3 become heading blocks, img become image
blocks, and runs of p/ul/ol become one paragraph block each; every paragraph block's HTML is the
sanitizer's output.
"""

import re
import uuid
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

from content.sanitize import html_sanitize

INLINE_TAGS = {"strong", "em", "a", "br"}
BLOCK_TAGS = {"p", "ul", "ol", "li"}
RENAMED = {"b": "strong", "i": "em"}
HEADING_RENAMES = re.compile(r"<(/?)h([1456])\b", re.IGNORECASE)


@dataclass
class ParsedBody:
    """A body split into blocks; images are referenced by their ``src`` until resolved."""

    blocks: list = field(
        default_factory=list
    )  # ("heading", dict) | ("paragraph", html) | ("image", src, alt)
    image_sources: list = field(default_factory=list)


def body_parse(html: str) -> ParsedBody:
    soup = BeautifulSoup(html_sanitize(_headings_rename(html or "")), "html.parser")
    _clean(soup)

    body = ParsedBody()
    pending: list[str] = []  # paragraph HTML waiting to become one paragraph block
    for node in list(soup.children):
        _node_add(body, pending, node)
    _paragraph_flush(body, pending)
    return body


def _paragraph_flush(body: ParsedBody, pending: list[str]) -> None:
    """The pending run of p/ul/ol becomes one paragraph block (none if it holds no text)."""
    text = html_sanitize("".join(pending).strip())
    if text:
        body.blocks.append(("paragraph", text))
    pending.clear()


def _node_add(body: ParsedBody, pending: list[str], node) -> None:
    """One top-level node: headings and images end the pending paragraph run, text joins it."""
    if isinstance(node, NavigableString):
        if str(node).strip():
            pending.append(f"<p>{_escape(str(node).strip())}</p>")
        return
    if node.name in {"h2", "h3"}:
        _paragraph_flush(body, pending)
        text = node.get_text(" ", strip=True)
        if text:
            body.blocks.append(("heading", {"text": text[:80], "level": node.name}))
    elif node.name == "img":
        _paragraph_flush(body, pending)
        _add_image(body, node)
    elif node.name in {"p", "ul", "ol"}:
        _text_block_add(body, pending, node)
    elif node.get_text(strip=True):  # stray inline content at the top level
        pending.append(f"<p>{node}</p>")


def _text_block_add(body: ParsedBody, pending: list[str], node: Tag) -> None:
    """A p/ul/ol joins the pending run; images inside it become image blocks after it."""
    images = node.find_all("img")
    for img in images:
        img.extract()
    if node.get_text(strip=True):
        pending.append(str(node))
    for img in images:
        _paragraph_flush(body, pending)
        _add_image(body, img)


def _add_image(body: ParsedBody, img: Tag) -> None:
    src = (img.get("src") or "").strip()
    if src:
        body.blocks.append(("image", src, (img.get("alt") or "").strip()))
        body.image_sources.append(src)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _headings_rename(html: str) -> str:
    """h1 → h2 and h4–h6 → h3, so the sanitizer keeps them as headings (it only knows h2/h3)."""
    return HEADING_RENAMES.sub(lambda m: f"<{m.group(1)}h{'2' if m.group(2) == '1' else '3'}", html)


def _clean(soup) -> None:
    """On sanitized HTML: b/i become strong/em; tags the body has no place for (sup, sub, Wagtail
    link types, block keys) are unwrapped or dropped, so an import stores the contract's tags only."""
    for tag in list(soup.find_all(True)):
        name = RENAMED.get(tag.name, tag.name)
        tag.name = name
        if name not in {"h2", "h3", "img"} | INLINE_TAGS | BLOCK_TAGS:
            tag.unwrap()
        elif name == "a" and not tag.get("href"):
            tag.unwrap()
        else:
            allowed = {"a": ("href",), "img": ("src", "alt")}.get(name, ())
            tag.attrs = {k: tag.get(k) for k in allowed if tag.get(k)}


def body_stream_data(parsed: ParsedBody, images_by_src: dict) -> list:
    """Raw StreamField data for ``parsed``; ``images_by_src`` maps src → Wagtail image."""
    data = []
    for block in parsed.blocks:
        kind = block[0]
        if kind == "paragraph":
            value = block[1]
        elif kind == "heading":
            value = block[1]
        else:
            image = images_by_src[block[1]]
            kind, value = "image", {"image": image.pk, "caption": block[2], "attribution": ""}
        data.append(
            {
                "type": kind,
                "value": value,
                "id": str(uuid.uuid5(uuid.NAMESPACE_OID, repr((len(data), kind, value)))),
            }
        )
    return data

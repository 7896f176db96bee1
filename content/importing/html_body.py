"""Turn import-file body HTML into ``BodyStreamBlock`` data.

Allowed input: p h2 h3 ul ol li strong em a img (b/i/br tolerated). Anything else is unwrapped
to its text; script/style are dropped with their contents; links keep only safe schemes.
Top-level h2/h3 become heading blocks, img become image blocks, and runs of p/ul/ol become
one paragraph block each.
"""

import uuid
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

INLINE_TAGS = {"strong", "em", "a", "br"}
BLOCK_TAGS = {"p", "ul", "ol", "li"}
RENAMED = {"b": "strong", "i": "em"}
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"}
SAFE_LINK_PREFIXES = ("http://", "https://", "mailto:", "tel:", "/")


@dataclass
class ParsedBody:
    """A body split into blocks; images are referenced by their ``src`` until resolved."""

    blocks: list = field(
        default_factory=list
    )  # ("heading", dict) | ("paragraph", html) | ("image", src, alt)
    image_sources: list = field(default_factory=list)

    @property
    def text_length(self) -> int:
        return sum(
            len(BeautifulSoup(b[1], "html.parser").get_text()) for b in self.blocks if b[0] == "paragraph"
        )


def body_parse(html: str) -> ParsedBody:
    soup = BeautifulSoup(html or "", "html.parser")
    for tag in soup.find_all(DROPPED_WITH_CONTENT):
        tag.decompose()
    _clean(soup)

    body = ParsedBody()
    pending: list[str] = []

    def flush():
        text = "".join(pending).strip()
        if text:
            body.blocks.append(("paragraph", text))
        pending.clear()

    for node in list(soup.children):
        if isinstance(node, NavigableString):
            if str(node).strip():
                pending.append(f"<p>{_escape(str(node).strip())}</p>")
            continue
        if node.name in {"h2", "h3"}:
            flush()
            text = node.get_text(" ", strip=True)
            if text:
                body.blocks.append(("heading", {"text": text[:80], "level": node.name}))
        elif node.name == "img":
            flush()
            _add_image(body, node)
        elif node.name in {"p", "ul", "ol"}:
            images = node.find_all("img")
            for img in images:
                img.extract()
            if node.get_text(strip=True):
                pending.append(str(node))
            for img in images:
                flush()
                _add_image(body, img)
        else:  # stray inline content at the top level
            if node.get_text(strip=True):
                pending.append(f"<p>{node}</p>")
    flush()
    return body


def _add_image(body: ParsedBody, img: Tag) -> None:
    src = (img.get("src") or "").strip()
    if src:
        body.blocks.append(("image", src, (img.get("alt") or "").strip()))
        body.image_sources.append(src)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clean(soup) -> None:
    """Keep allowed tags with allowed attributes only; unwrap everything else."""
    for tag in list(soup.find_all(True)):
        name = RENAMED.get(tag.name, tag.name)
        tag.name = name
        if name in {"h2", "h3", "img"} | INLINE_TAGS | BLOCK_TAGS:
            kept = {}
            if name == "a":
                href = (tag.get("href") or "").strip()
                if href.lower().startswith(SAFE_LINK_PREFIXES):
                    kept["href"] = href
                else:
                    tag.unwrap()
                    continue
            elif name == "img":
                kept = {k: tag.get(k) for k in ("src", "alt") if tag.get(k)}
            tag.attrs = kept
        elif name in {"h1", "h4", "h5", "h6"}:
            tag.name = "h3" if name != "h1" else "h2"
            tag.attrs = {}
        else:
            tag.unwrap()


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

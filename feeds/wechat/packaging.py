"""A page as a WeChat article: pure functions from page data and HTML to what ``draft/add`` accepts.

WeChat keeps only inline styles and a small set of tags, drops scripts, forms and external CSS, and
filters images not hosted by WeChat. So the body HTML is rebuilt here: unknown tags are unwrapped,
dangerous ones removed with their content, every attribute dropped except a few, and each kept tag
given the house inline style. Images are listed so the service can upload them and swap the URLs.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from bs4 import BeautifulSoup, Comment, Tag
from django.utils.html import escape as _escape

from content.warning import EmergencyWarning, warning_html

TITLE_LIMIT = 32
AUTHOR_LIMIT = 16
DIGEST_LIMIT = 128
CONTENT_CHAR_LIMIT = 20_000
CONTENT_BYTE_LIMIT = 1_000_000
COVER_SPEC = "fill-900x383|format-jpeg|jpegquality-85"  # 2.35:1, WeChat's cover crop
BODY_IMAGE_SPEC = "max-1080x1920|format-jpeg|jpegquality-80"

# Removed together with everything inside them.
DROP = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "form", "input", "button",
    "select", "textarea", "option", "link", "meta", "noscript", "template", "svg", "math", "canvas",
    "audio", "base", "head", "title", "dialog",
}  # fmt: skip
VIDEO_TAGS = {"video"}  # replaced by a pointer to the portal (WeChat cannot play our video URLs)
TEXT_STYLE = "font-size:16px;line-height:1.75;color:#333;margin:0 0 16px;"
STYLES = {
    "p": TEXT_STYLE,
    "h2": "font-size:19px;font-weight:bold;color:#0b5394;margin:24px 0 12px;",
    "h3": "font-size:17px;font-weight:bold;color:#0b5394;margin:20px 0 10px;",
    "h4": "font-size:16px;font-weight:bold;margin:16px 0 8px;",
    "ul": "padding-left:1.4em;margin:0 0 16px;",
    "ol": "padding-left:1.4em;margin:0 0 16px;",
    "li": "font-size:16px;line-height:1.75;color:#333;margin:0 0 6px;",
    "strong": "font-weight:bold;",
    "b": "font-weight:bold;",
    "em": "font-style:italic;",
    "i": "font-style:italic;",
    "blockquote": "border-left:4px solid #0b5394;background:#f2f7fc;padding:10px 14px;margin:0 0 16px;color:#333;",
    "section": "margin:0 0 16px;",
    "figure": "margin:0 0 16px;",
    "figcaption": "font-size:13px;color:#888;text-align:center;margin-top:6px;",
    "img": "max-width:100%;height:auto;display:block;margin:0 auto;",
    "table": "border-collapse:collapse;width:100%;margin:0 0 16px;font-size:14px;",
    "th": "border:1px solid #ccc;padding:6px;background:#f2f7fc;font-weight:bold;",
    "td": "border:1px solid #ccc;padding:6px;",
    "caption": "font-size:14px;font-weight:bold;margin-bottom:6px;",
    "hr": "border:0;border-top:1px solid #ddd;margin:20px 0;",
}
KEEP = set(STYLES) | {"br", "thead", "tbody", "tr", "sup", "sub", "u", "span", "code"}
RENAME = {"h1": "h2", "h5": "h4", "h6": "h4", "div": "section", "aside": "section", "article": "section"}
KEPT_ATTRIBUTES = {"img": {"src", "alt"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


@dataclass
class CleanBody:
    html: str
    image_sources: list = field(default_factory=list)  # src values in document order, unique


def truncate(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _video_note() -> Tag:
    soup = BeautifulSoup("", "html.parser")
    note = soup.new_tag("p", style=TEXT_STYLE + "color:#0b5394;")
    note.string = "（本文含视频，请点击文末“阅读原文”观看）"
    return note


def wechat_html_clean(html: str) -> CleanBody:
    """Portal HTML → HTML WeChat accepts, plus the image sources to upload."""
    soup = BeautifulSoup(html or "", "html.parser")
    _unsupported_remove(soup)
    sources: list[str] = []
    for tag in list(soup.find_all(True)):
        _tag_restyle(tag, sources)
    # Editors' blank paragraphs and the wrappers left by unwrapping add nothing.
    for tag in soup.find_all(["p", "section"]):
        if not tag.get_text(strip=True) and not tag.find("img"):
            tag.decompose()
    text = str(soup)
    text = re.sub(r"\n\s*\n+", "\n", text).strip()
    return CleanBody(html=text, image_sources=sources)


def _unsupported_remove(soup: BeautifulSoup) -> None:
    """Comments and ``DROP`` tags go with their content; videos become a note pointing to the portal."""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        name = tag.name.lower()
        if name in DROP:
            tag.decompose()
        elif name in VIDEO_TAGS:
            tag.replace_with(_video_note())


def _tag_restyle(tag: Tag, sources: list[str]) -> None:
    """Unwrap a tag WeChat does not keep; otherwise rename it, strip its attributes and give it the
    house style. Images without a usable source are removed; the others' sources join ``sources``."""
    name = RENAME.get(tag.name.lower(), tag.name.lower())
    if name == "a":  # WeChat only allows links to its own articles: keep the text
        tag.unwrap()
        return
    if name not in KEEP:
        tag.unwrap()
        return
    tag.name = name
    allowed = KEPT_ATTRIBUTES.get(name, set())
    tag.attrs = {k: v for k, v in tag.attrs.items() if k.lower() in allowed}
    if name == "img" and not _image_source_take(tag, sources):
        return
    if name in STYLES:
        tag["style"] = STYLES[name]


def _image_source_take(img: Tag, sources: list[str]) -> bool:
    """Add ``img``'s source to ``sources`` (once); an image with no source, or a script or inline
    data source, is removed instead and False returned."""
    src = str(img.get("src", "")).strip()
    if not src or src.lower().startswith(("javascript:", "data:")):
        img.decompose()
        return False
    if src not in sources:
        sources.append(src)
    return True


def images_replace(html: str, mapping: dict) -> str:
    """Swap image sources for their WeChat URLs; images that could not be uploaded are removed."""
    soup = BeautifulSoup(html, "html.parser")
    for img in soup.find_all("img"):
        new = mapping.get(img.get("src"))
        if new:
            img["src"] = new
        else:
            img.decompose()
    return str(soup)


def warning_html_for_wechat(warning: EmergencyWarning, *, now: datetime) -> str:
    """``content.warning``'s box in its inline-styled form, without the class names (WeChat keeps no
    stylesheet, and the cleaner's rule is to send only the attributes WeChat uses)."""
    soup = BeautifulSoup(warning_html(warning, now=now, inline_styles=True), "html.parser")
    for tag in soup.find_all(True):
        tag.attrs.pop("class", None)
    return str(soup)


def lead_html(page, *, now: datetime) -> str:
    """What goes before the body: for emergencies the warning box (level, hazard, status at ``now``,
    districts, window with the year, what to do), then the summary.

    An article is a snapshot: its status is the one at ``now`` (when it is packaged), and the window
    with its year lets a later reader see whether it still applies."""
    parts = []
    if page.content_type_key == "emergency":
        parts.append(warning_html_for_wechat(page.warning, now=now))
    if page.summary:
        parts.append(f'<blockquote style="{STYLES["blockquote"]}">{_escape(page.summary)}</blockquote>')
    return "".join(parts)


def article_fields_build(page, *, content: str, thumb_media_id: str, source_url: str) -> dict:
    """The ``draft/add`` article for ``page`` within WeChat's limits."""
    author = page.author or page.source or "科普鄂州"
    return {
        "title": truncate(page.title, TITLE_LIMIT),
        "author": truncate(author, AUTHOR_LIMIT),
        "digest": truncate(page.get_share_description() or page.summary or page.title, DIGEST_LIMIT),
        "content": content,
        "content_source_url": source_url,
        "thumb_media_id": thumb_media_id,
        "need_open_comment": 0,
        "only_fans_can_comment": 0,
        # The cover is already cropped to 2.35:1, so the crop is the whole picture.
        "pic_crop_235_1": "0_0_1_1",
        "pic_crop_1_1": "0.287_0_0.713_1",
    }


def content_fits(content: str) -> bool:
    return len(content) < CONTENT_CHAR_LIMIT and len(content.encode("utf-8")) < CONTENT_BYTE_LIMIT

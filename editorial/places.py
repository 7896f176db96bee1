"""Every piece of text a page shows, with a label an editor recognises (``Place``).

Generic on purpose: every editable text field of the concrete page type (so a new field is
checked without a change here), every text leaf of every StreamField block, tags, and the alt text
of each image the page shows (cover, poster, body images).
"""

import html
import re

from django.db import models
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock

from editorial.engine import Place

# Text that is an address or a copy of another field, not something the public reads.
SKIPPED_FIELDS = {"slug", "url_path", "draft_title", "import_fingerprint", "locale", "translation_key"}
IMAGE_FIELDS = ("cover_image", "poster_image")

_BREAK = re.compile(r"<(?:br|/p|/li|/h[1-6]|/div|/blockquote|/tr|/td|/th)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def html_text(source: str) -> str:
    """Visible text of (sanitized) rich text; block ends become line breaks so words of two
    paragraphs never run together into one expression."""
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", source or "")))


def page_places(page) -> list[Place]:
    places = []
    for field in page._meta.concrete_fields:
        if isinstance(field, StreamField):
            places.extend(stream_places(field.name, field.verbose_name, getattr(page, field.name)))
        elif _is_text_field(field):
            value = getattr(page, field.attname, "") or ""
            if value:
                places.append(Place(field.name, str(field.verbose_name), str(value)))
    topics = getattr(page, "topics", None)
    if topics is not None:
        names = [str(tag) for tag in topics.all()]
        if names:
            places.append(Place("topics", "主题", "\n".join(names)))
    for name in IMAGE_FIELDS:
        image = getattr(page, name, None) if hasattr(page, f"{name}_id") else None
        if image is not None:
            label = str(page._meta.get_field(name).verbose_name)
            places.append(Place(f"{name}.alt", f"{label}替代文本", image.default_alt_text or ""))
    return places


def _is_text_field(field) -> bool:
    return (
        isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.URLField | models.SlugField)
        and field.editable
        and not field.choices
        and field.name not in SKIPPED_FIELDS
    )


def stream_places(name: str, label: str, stream) -> list[Place]:
    places = []
    for number, child in enumerate(stream or (), start=1):
        block_label = child.block.label or child.block_type
        prefix = f"{label}第 {number} 块（{block_label}）"
        for suffix_key, suffix_label, text in _leaves(child.block, child.value):
            if text:
                key = f"{name}.{number}" + (f".{suffix_key}" if suffix_key else "")
                places.append(Place(key, prefix + (f"·{suffix_label}" if suffix_label else ""), text))
    return places


def _leaves(block, value, key: str = "", label: str = ""):
    """(key, label, text) of every text leaf of a block value."""
    if value is None:
        return
    if isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            yield from _leaves(
                child, value.get(name), _join(key, name, "."), _join(label, child.label or name, "·")
            )
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            yield from _leaves(block.child_block, item, key, label)
    elif isinstance(block, blocks.StreamBlock):
        for child in value:
            yield from _leaves(child.block, child.value, _join(key, child.block_type, "."), label)
    elif isinstance(block, blocks.RichTextBlock):
        yield key, label, html_text(getattr(value, "source", value))
    elif isinstance(block, ImageChooserBlock):
        yield _join(key, "alt", "."), _join(label, "替代文本", "·"), getattr(value, "default_alt_text", "")
    elif isinstance(block, TableBlock):
        rows = (value or {}).get("data") or []
        yield key, label, "\n".join(" | ".join(str(cell or "") for cell in row) for row in rows)
    elif isinstance(block, blocks.CharBlock | blocks.TextBlock):
        yield key, label, str(value)


def _join(left: str, right: str, separator: str) -> str:
    return f"{left}{separator}{right}" if left else str(right)

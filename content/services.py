"""Content writes that are not the import: re-sanitizing what is already stored.

``stored_html_resanitize`` runs ``content.sanitize.html_sanitize`` over every rich-text value in
every page's StreamFields and in every revision of those pages, and writes back only what changed.
It is idempotent (a second run changes nothing) and has no side effects beyond those rows: no
publishing, no signals, no search or cache work (the bodies it rewrites were already rendered
sanitized, see ``SanitizedRichTextBlock``; the stored bytes now say the same).
"""

import json
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Revision, get_page_models

from content.sanitize import html_sanitize

__all__ = ["ResanitizeReport", "stored_html_resanitize", "stream_raw_sanitize"]


@dataclass
class ResanitizeReport:
    pages_checked: int = 0
    revisions_checked: int = 0
    pages_changed: list = field(default_factory=list)  # (model label, pk)
    revisions_changed: list = field(default_factory=list)  # revision pks


def stream_raw_sanitize(block, raw):
    """``raw`` (the JSON-ready value of ``block``) with every rich-text value sanitized."""
    if isinstance(block, blocks.RichTextBlock):
        return html_sanitize(raw) if isinstance(raw, str) else raw
    if isinstance(block, blocks.StreamBlock):
        if not isinstance(raw, list):
            return raw
        out = []
        for item in raw:
            child = block.child_blocks.get(item.get("type")) if isinstance(item, dict) else None
            out.append(
                item if child is None else {**item, "value": stream_raw_sanitize(child, item.get("value"))}
            )
        return out
    if isinstance(block, blocks.StructBlock):
        if not isinstance(raw, dict):
            return raw
        return {
            key: stream_raw_sanitize(block.child_blocks[key], value) if key in block.child_blocks else value
            for key, value in raw.items()
        }
    if isinstance(block, blocks.ListBlock):
        if not isinstance(raw, list):
            return raw
        return [
            {**item, "value": stream_raw_sanitize(block.child_block, item.get("value"))}
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item
            else stream_raw_sanitize(block.child_block, item)
            for item in raw
        ]
    return raw


def _stream_fields(model) -> list:
    return [f for f in model._meta.get_fields() if isinstance(f, StreamField) and f.model is model]


def _revision_content_sanitize(content: dict, fields: list) -> dict:
    changed = dict(content)
    for stream_field in fields:
        stored = content.get(stream_field.name)
        raw = json.loads(stored) if isinstance(stored, str) else stored
        if not isinstance(raw, list):
            continue
        clean = stream_raw_sanitize(stream_field.stream_block, raw)
        if clean != raw:
            changed[stream_field.name] = json.dumps(clean) if isinstance(stored, str) else clean
    return changed


def stored_html_resanitize(*, dry_run: bool = False) -> ResanitizeReport:
    """Sanitize the rich text stored in pages and their revisions; with ``dry_run``, only report."""
    report = ResanitizeReport()
    for model in get_page_models():
        fields = _stream_fields(model)
        if not fields:
            continue
        with transaction.atomic():
            for page in model._default_manager.only("pk", *(f.name for f in fields)).iterator():
                report.pages_checked += 1
                updates = {}
                for stream_field in fields:
                    raw = list(getattr(page, stream_field.name).raw_data)
                    clean = stream_raw_sanitize(stream_field.stream_block, raw)
                    if clean != raw:
                        updates[stream_field.name] = clean
                if updates:
                    report.pages_changed.append((model._meta.label, page.pk))
                    if not dry_run:
                        model._default_manager.filter(pk=page.pk).update(**updates)
            content_type = ContentType.objects.get_for_model(model)
            for revision in (
                Revision.objects.filter(content_type=content_type).only("pk", "content").iterator()
            ):
                report.revisions_checked += 1
                content = revision.content if isinstance(revision.content, dict) else {}
                clean = _revision_content_sanitize(content, fields)
                if clean != content:
                    report.revisions_changed.append(revision.pk)
                    if not dry_run:
                        Revision.objects.filter(pk=revision.pk).update(content=clean)
    return report

"""Reads for syndication feeds: which content a feed URL means, one page of it, and its version.

A feed's version (ETag / Last-Modified) comes from the rows it would show — their ids and
``last_published_at`` — so any publish, unpublish, privacy change or deletion that affects the
feed changes it on the very next request, with no cache to wait for. Last-Modified also moves on
removals anywhere (they may take an item out of the feed without a newer item taking its place).

Emergency items state their status (生效中 / 未生效 / 已过期), which changes with no publication
when a window opens or closes. So the status of each emergency shown goes into the ETag, and the
latest window boundary already passed counts as a change for Last-Modified: the next request
after a boundary gets the document anew.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Max
from wagtail.models import Page, PageLogEntry

from content.emergency import emergency_window_state
from content.models import Audience, Topic
from content.selectors import content_base_queryset, content_filtered, content_specific_list
from content.types import content_type_get, content_type_of

FORMAT_VERSION = "2"  # 2: emergency items state their status
MAX_SLUG_LENGTH = 100
# Log actions that can take a page out of a feed without a newer publication.
REMOVAL_ACTIONS = (
    "wagtail.unpublish",
    "wagtail.unpublish.scheduled",
    "wagtail.delete",
    "wagtail.move",
    "wagtail.view_restriction.create",
    "wagtail.view_restriction.edit",
    "wagtail.view_restriction.delete",
)


@dataclass(frozen=True)
class FeedScope:
    """What one feed URL selects: everything, or one audience, topic or content type."""

    kind: str
    slug: str = ""
    name: str = ""  # 老年人 / 防灾减灾 / 应急科普
    audience: Audience | None = None
    topic: Topic | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.slug}"


def feed_scope_get(kind: str, slug: str = "") -> FeedScope | None:
    """The scope for a URL's kind and slug, or None when there is no such audience, topic or type."""
    if kind == "all":
        return FeedScope("all")
    if not slug or len(slug) > MAX_SLUG_LENGTH:
        return None
    if kind == "audience":
        audience = Audience.objects.filter(slug=slug).first()
        return FeedScope("audience", slug, audience.name, audience=audience) if audience else None
    if kind == "topic":
        topic = Topic.objects.filter(slug=slug).first()
        return FeedScope("topic", slug, topic.name, topic=topic) if topic else None
    content_type = content_type_get(slug) if kind == "type" else None
    return FeedScope("type", slug, content_type.label) if content_type else None


def feed_queryset(scope: FeedScope):
    """Live, public content of the scope as ``Page`` rows, newest first."""
    if scope.kind == "type":
        return content_base_queryset().type(content_type_of(scope.slug).model)
    return content_filtered(audience=scope.audience, topic=scope.topic)


def _changed_at(row) -> datetime | None:
    return row.last_published_at or row.first_published_at


def _window_status(row, now: datetime) -> str:
    """The row's emergency status at ``now`` ("" for other types), from the annotated window."""
    if row.window_from is None or row.window_to is None:
        return ""
    return emergency_window_state(row.window_from, row.window_to, now)


def _window_passed_at(row, now: datetime) -> datetime | None:
    """The latest boundary of the row's window at or before ``now``: when its status last changed."""
    passed = [moment for moment in (row.window_from, row.window_to) if moment is not None and moment <= now]
    return max(passed, default=None)


@dataclass(frozen=True)
class FeedSlice:
    scope: FeedScope
    number: int
    rows: list  # Page rows (pk, content type, dates only)
    has_next: bool
    etag: str
    last_modified: datetime | None


def feed_slice_get(
    scope: FeedScope, number: int, page_size: int, *, now: datetime, variant: str = ""
) -> FeedSlice | None:
    """Page ``number`` (from 1) of the scope and its version at ``now``; None past the last page.

    ``variant`` goes into the ETag (format, host: anything else the document depends on). Build
    the document with the same ``now``.
    """
    offset = (number - 1) * page_size
    rows = list(
        feed_queryset(scope)
        .only("pk", "content_type_id", "first_published_at", "last_published_at")
        .annotate(  # the window of emergencies (None for other types), in the same query
            window_from=F("emergencypage__effective_from"), window_to=F("emergencypage__expires_at")
        )[offset : offset + page_size + 1]
    )
    if not rows and number > 1:
        return None
    has_next = len(rows) > page_size
    rows = rows[:page_size]
    fingerprint = ";".join(
        f"{r.pk}:{r.last_published_at.isoformat() if r.last_published_at else ''}:{_window_status(r, now)}"
        for r in rows
    )
    etag = hashlib.sha1(
        f"{FORMAT_VERSION}|{variant}|{scope.key}|{number}|{page_size}|{has_next}|{fingerprint}".encode(),
        usedforsecurity=False,  # a version tag, not a secret
    ).hexdigest()
    dates = [d for d in (_changed_at(r) for r in rows) if d is not None]
    dates += [d for d in (_window_passed_at(r, now) for r in rows) if d is not None]
    removed = PageLogEntry.objects.filter(action__in=REMOVAL_ACTIONS).aggregate(at=Max("timestamp"))["at"]
    if removed:
        dates.append(removed)
    return FeedSlice(scope, number, rows, has_next, etag, max(dates) if dates else None)


def feed_pages_load(feed_slice: FeedSlice) -> list[Page]:
    """The slice's pages as their specific types, with everything an entry shows prefetched."""
    return content_specific_list(feed_slice.rows)

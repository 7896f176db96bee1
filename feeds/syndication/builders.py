"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 documents: pure functions, data in, bytes/dict out.

The XML formats use Django's syndication generators (``django.utils.feedgenerator``) extended with
full content (``content:encoded`` / Atom ``<content>``) and RFC 5005 paging links; JSON Feed is a
plain dict. Pages become ``FeedEntry`` values first (``feed_entry_from_page``: no queries on a page
loaded by the content selectors), so every format says the same thing.
"""

import mimetypes
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from django.utils import feedgenerator, timezone
from django.utils.html import escape, format_html

from content.warning import EmergencyWarning, warning_html
from feeds.text import xml_text_clean

LANGUAGE = "zh-CN"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
URL_ATTRIBUTES = ("href", "src", "poster")


@dataclass(frozen=True)
class FeedEnclosure:
    url: str
    mime_type: str
    length: int = 0  # bytes; 0 when the host does not tell us (the RSS convention)
    duration_seconds: int | None = None


@dataclass(frozen=True)
class FeedEntry:
    id: str  # urn:uuid:<page translation key>: stable across slug changes, moves and hosts
    url: str
    title: str
    summary: str
    content_html: str
    published: datetime
    updated: datetime
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    image: str = ""
    enclosure: FeedEnclosure | None = None
    extension: dict = field(default_factory=dict)  # JSON Feed "_kepu" object


@dataclass(frozen=True)
class FeedChannel:
    id: str
    title: str
    description: str
    home_url: str
    self_url: str
    first_url: str = ""
    next_url: str = ""
    previous_url: str = ""
    author: str = "科普鄂州"


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(microsecond=0)


def html_absolutize(html: str, base_url: str) -> str:
    """``html`` with every link, image and media URL made absolute against ``base_url``."""
    if not html:
        return ""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for attribute in URL_ATTRIBUTES:
            value = tag.get(attribute)
            if isinstance(value, str) and value.strip():
                tag[attribute] = urljoin(base_url, value.strip())
        srcset = tag.get("srcset")
        if isinstance(srcset, str) and srcset:
            candidates = []
            for candidate in srcset.split(","):
                parts = candidate.strip().split(maxsplit=1)
                if parts:
                    parts[0] = urljoin(base_url, parts[0])
                    candidates.append(" ".join(parts))
            tag["srcset"] = ", ".join(candidates)
    return str(soup)


def emergency_lead_html(warning: EmergencyWarning, *, now: datetime) -> str:
    """The warning box that opens an emergency item (``content.warning``, classes-only form): level,
    hazard, status at ``now`` (生效中 / 未生效 / 已过期), districts, window with the year, what to do."""
    return warning_html(warning, now=now)


def _video_enclosure(page, absolute) -> FeedEnclosure | None:
    url = page.video_source_url
    if not url:
        return None
    mime_type, _ = mimetypes.guess_type(url.split("?")[0])
    if mime_type is None or not mime_type.startswith("video/"):
        return None  # an embed page (bilibili…), not a media file: linked in the content instead
    length = page.video_file.file_size if page.video_file_id and page.video_file.file_size else 0
    return FeedEnclosure(absolute(url), mime_type, length, page.duration_seconds)


def feed_entry_from_page(page, *, body_html: str, image_url: str, absolute, now: datetime) -> FeedEntry:
    """One content page as a feed entry. ``page`` comes from the content selectors (audiences,
    topics, regions and cover renditions prefetched); ``body_html`` is its rendered body;
    ``absolute`` makes a site path absolute; ``now`` is when the feed is built (an emergency's
    status is stated as of then, and the feed's version changes when it changes)."""
    url = absolute(page.url)
    key = page.content_type_key
    warning = page.warning if key == "emergency" else None
    parts = []
    if warning is not None:
        parts.append(emergency_lead_html(warning, now=now))
    if image_url:
        parts.append(format_html('<p><img src="{}" alt="{}"></p>', image_url, page.title))
    if page.summary:
        parts.append(format_html("<p>{}</p>", page.summary))
    parts.append(body_html)
    enclosure = None
    if key == "video":
        enclosure = _video_enclosure(page, absolute)
        video_url = page.video_source_url
        if video_url:
            parts.append(
                format_html(
                    '<p><a href="{}">观看视频{}</a></p>',
                    absolute(video_url),
                    f"（时长 {page.duration_display}）" if page.duration_display else "",
                )
            )
        if page.transcript:
            parts.append(format_html("<h2>视频文稿</h2><p>{}</p>", page.transcript))
    audiences = list(page.audiences.all())
    topics = [item.tag for item in page.tagged_topics.all()]
    extension = {"type": key, "audiences": [a.slug for a in audiences], "topics": [t.name for t in topics]}
    if warning is not None:
        extension.update(
            severity=warning.severity.key,
            hazard=warning.hazard,
            effective_from=_local(warning.effective_from).isoformat(),
            expires_at=_local(warning.expires_at).isoformat(),
            status=warning.status(now),  # active / upcoming / expired at ``now``
        )
    authors = tuple(name for name in (page.author, page.source) if name) or ("科普鄂州",)
    published = page.first_published_at or page.last_published_at
    return FeedEntry(
        id=f"urn:uuid:{page.translation_key}",
        url=url,
        title=page.title,
        summary=page.summary,
        content_html=html_absolutize("".join(str(p) for p in parts), url),
        published=_local(published),
        updated=_local(page.last_published_at or published),
        authors=authors,
        categories=tuple(
            dict.fromkeys([page.content_type_label, *(a.name for a in audiences), *(t.name for t in topics)])
        ),
        image=image_url,
        enclosure=enclosure,
        extension=extension,
    )


class _PagedMixin:
    """RFC 5005 paging links (first / next / previous) at the feed level."""

    feed: dict  # Django's SyndicationFeed, which the generators combine this with

    def _paging_links(self, handler, tag: str):
        for rel in ("first", "next", "previous"):
            href = self.feed.get(f"{rel}_url")
            if href:
                handler.addQuickElement(tag, attrs={"rel": rel, "href": href})


class RssFeed(_PagedMixin, feedgenerator.Rss201rev2Feed):
    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        attrs["xmlns:dc"] = "http://purl.org/dc/elements/1.1/"
        return attrs

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        self._paging_links(handler, "atom:link")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class AtomFeed(_PagedMixin, feedgenerator.Atom1Feed):
    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        self._paging_links(handler, "link")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


def _clean(entry: FeedEntry) -> dict:
    """Entry fields as XML-safe strings (no control characters pasted in by editors)."""
    return {
        "title": xml_text_clean(entry.title),
        "summary": xml_text_clean(escape(entry.summary or entry.title)),  # both formats read it as HTML
        "content_html": xml_text_clean(entry.content_html),
        "authors": [xml_text_clean(a) for a in entry.authors],
        "categories": [xml_text_clean(c) for c in entry.categories],
    }


def _generator(cls, channel: FeedChannel, entries):
    feed = cls(
        title=xml_text_clean(channel.title),
        link=channel.home_url,
        description=xml_text_clean(channel.description),
        language=LANGUAGE,
        feed_url=channel.self_url,
        feed_guid=channel.id,
        author_name=channel.author,
        first_url=channel.first_url,
        next_url=channel.next_url,
        previous_url=channel.previous_url,
    )
    for entry in entries:
        clean = _clean(entry)
        enclosures = []
        if entry.enclosure:
            enclosures.append(
                feedgenerator.Enclosure(
                    entry.enclosure.url, str(entry.enclosure.length), entry.enclosure.mime_type
                )
            )
        feed.add_item(
            title=clean["title"],
            link=entry.url,
            description=clean["summary"],
            unique_id=entry.id,
            unique_id_is_permalink=False,
            pubdate=entry.published,
            updateddate=entry.updated,
            author_name=clean["authors"][0] if clean["authors"] else None,
            categories=clean["categories"],
            enclosures=enclosures,
            content_html=clean["content_html"],
        )
    return feed


def rss_feed_build(channel: FeedChannel, entries) -> bytes:
    return _generator(RssFeed, channel, entries).writeString("utf-8").encode("utf-8")


def atom_feed_build(channel: FeedChannel, entries) -> bytes:
    return _generator(AtomFeed, channel, entries).writeString("utf-8").encode("utf-8")


def json_feed_build(channel: FeedChannel, entries) -> dict:
    """A JSON Feed 1.1 document (https://jsonfeed.org/version/1.1)."""
    items: list[dict] = []
    feed = {
        "version": JSON_FEED_VERSION,
        "title": channel.title,
        "home_page_url": channel.home_url,
        "feed_url": channel.self_url,
        "description": channel.description,
        "language": LANGUAGE,
        "authors": [{"name": channel.author, "url": channel.home_url}],
        "items": items,
    }
    if channel.next_url:
        feed["next_url"] = channel.next_url
    for entry in entries:
        item = {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            "content_html": entry.content_html,
            "summary": entry.summary,
            "date_published": entry.published.isoformat(),
            "date_modified": entry.updated.isoformat(),
            "authors": [{"name": name} for name in entry.authors],
            "tags": list(entry.categories),
            "language": LANGUAGE,
            "_kepu": entry.extension,
        }
        if entry.image:
            item["image"] = entry.image
        if entry.enclosure:
            attachment = {"url": entry.enclosure.url, "mime_type": entry.enclosure.mime_type}
            if entry.enclosure.length:
                attachment["size_in_bytes"] = entry.enclosure.length
            if entry.enclosure.duration_seconds:
                attachment["duration_in_seconds"] = entry.enclosure.duration_seconds
            item["attachments"] = [attachment]
        items.append(item)
    return feed

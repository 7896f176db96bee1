"""What syndication adds to the portal: its sections of the /feeds/ page (every RSS, Atom and JSON
Feed URL; ``feeds.registry``) and the feeds a page advertises in its head (``content.feed_links``)."""

from django.conf import settings
from django.urls import reverse

from content.feed_links import AUDIENCE, SECTION, SITE, TOPIC, FeedLink, FeedSubject, feed_links_register
from content.models import CONTENT_TYPE_LABELS, Audience
from content.selectors import topic_popular_list
from feeds.registry import FeedsPageSection, feeds_page_section_register

from .views import feed_url_name

POPULAR_TOPICS = 30
FORMATS = [  # (format, MIME type, name in a link's title)
    ("rss", "application/rss+xml", "RSS"),
    ("atom", "application/atom+xml", "Atom"),
    ("json", "application/feed+json", "JSON Feed"),
]


def _context(request, now) -> dict:
    return {
        "audiences": list(Audience.objects.all()),
        "types": list(CONTENT_TYPE_LABELS.items()),
        "topics": topic_popular_list(limit=POPULAR_TOPICS),
        "page_size": settings.FEEDS_PAGE_SIZE,
    }


def _scope(subject: FeedSubject) -> tuple[str, str, str] | None:
    """(scope kind, slug, name for the title) of the feeds about ``subject``, None when there are none."""
    if subject.kind == SITE:
        return "all", "", ""
    if subject.kind in (AUDIENCE, TOPIC) and subject.obj is not None:
        return subject.kind, subject.obj.slug, subject.obj.name
    listed_type = getattr(subject.obj, "listed_type", "")
    if subject.kind == SECTION and listed_type:
        return "type", listed_type, subject.obj.title
    return None


def _feed_links(subject: FeedSubject) -> list[FeedLink]:
    scope = _scope(subject)
    if scope is None:
        return []
    kind, slug, name = scope
    site = settings.WAGTAIL_SITE_NAME
    prefix = f"{site} · {name}" if name else site
    args = [slug] if slug else []
    return [
        FeedLink(mime, f"{prefix} {label}", reverse(feed_url_name(fmt, kind), args=args))
        for fmt, mime, label in FORMATS
    ]


feeds_page_section_register(
    FeedsPageSection(
        key="syndication",
        order=10,
        template="syndication/feeds_page.html",
        lead_template="syndication/feeds_page_lead.html",
        context=_context,
    )
)
feed_links_register("syndication", _feed_links)

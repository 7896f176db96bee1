"""Syndication's sections of the /feeds/ page: every RSS, Atom and JSON Feed URL (feeds.registry)."""

from django.conf import settings

from content.models import CONTENT_TYPE_LABELS, Audience
from content.selectors import topic_popular_list
from feeds.registry import FeedsPageSection, feeds_page_section_register

POPULAR_TOPICS = 30


def _context(request, now) -> dict:
    return {
        "audiences": list(Audience.objects.all()),
        "types": list(CONTENT_TYPE_LABELS.items()),
        "topics": topic_popular_list(limit=POPULAR_TOPICS),
        "page_size": settings.FEEDS_PAGE_SIZE,
    }


feeds_page_section_register(
    FeedsPageSection(
        key="syndication",
        order=10,
        template="syndication/feeds_page.html",
        lead_template="syndication/feeds_page_lead.html",
        context=_context,
    )
)

"""What CAP adds to the portal: its section of the /feeds/ page (the CAP index and the document of
every current alert; ``feeds.registry``) and an emergency page's CAP document in the page's head
(``content.feed_links``)."""

from django.urls import reverse

from content.feed_links import PAGE, FeedLink, FeedSubject, feed_links_register
from content.models import EmergencyPage
from feeds.registry import FeedsPageSection, feeds_page_section_register

from .selectors import cap_page_current_list


def _context(request, now) -> dict:
    return {"alerts": cap_page_current_list(now=now)}


def _feed_links(subject: FeedSubject) -> list[FeedLink]:
    page = subject.obj
    if subject.kind != PAGE or not isinstance(page, EmergencyPage) or not (page.pk and page.live):
        return []  # a preview of a page never published has no CAP document
    return [FeedLink("application/cap+xml", "CAP 1.2 预警", reverse("cap_page", args=[page.pk]))]


feeds_page_section_register(
    FeedsPageSection(key="cap", order=20, template="cap/feeds_page.html", context=_context)
)
feed_links_register("cap", _feed_links)

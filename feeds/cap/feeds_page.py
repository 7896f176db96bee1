"""CAP's section of the /feeds/ page: the CAP index and the document of every current alert
(feeds.registry)."""

from feeds.registry import FeedsPageSection, feeds_page_section_register

from .selectors import cap_page_current_list


def _context(request, now) -> dict:
    return {"alerts": cap_page_current_list(now=now)}


feeds_page_section_register(
    FeedsPageSection(key="cap", order=20, template="cap/feeds_page.html", context=_context)
)

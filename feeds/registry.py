"""What each channel offers on the ``/feeds/`` page (订阅源).

The page belongs to no channel: it shows the sections the channels register, in their ``order``.
A channel registers in its own ``portal.py`` module (what it adds to the portal: these sections, and
the feed links of ``content.feed_links``), which ``FeedsConfig.ready()`` imports for every installed
app (``portal_modules_discover``, as Wagtail finds ``wagtail_hooks``). So the page names no channel,
and no channel imports another (syndication does not know CAP exists).

A section is a template with the context it needs, read at request time; ``lead_template``, if
any, adds a sentence to the page's introduction.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest
from django.utils.module_loading import autodiscover_modules

PORTAL_MODULE = "portal"


@dataclass(frozen=True)
class FeedsPageSection:
    key: str  # "syndication", "cap": a channel registering again replaces its section
    order: int  # place on the page, smallest first
    template: str  # one or more <section> elements
    context: Callable[[HttpRequest, datetime], dict]  # (request, now) → the templates' context
    lead_template: str = ""  # a sentence for the page's introduction


_sections: dict[str, FeedsPageSection] = {}


def feeds_page_section_register(section: FeedsPageSection) -> None:
    _sections[section.key] = section


def feeds_page_sections() -> list[FeedsPageSection]:
    """The registered sections, in page order."""
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def portal_modules_discover() -> None:
    """Import every installed app's ``portal`` module, where channels register what they add to the
    portal."""
    autodiscover_modules(PORTAL_MODULE)

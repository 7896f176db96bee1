"""Template helpers for the portal: QR codes, absolute URLs, severity styling, warning dates and
status, tap-to-call numbers."""

import hashlib
import logging

from django import template
from django.core.cache import cache
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from content import qr
from content.cards import cards_html
from content.emergency import SEVERITIES, WINDOW_STATE_LABELS
from content.feed_links import SITE, FeedSubject, feed_links_for
from content.hotlines import hotlines_linkify
from content.selectors import CARD_RENDITIONS
from content.warning import date_with_year as _date_with_year

register = template.Library()
logger = logging.getLogger(__name__)

QR_CACHE_SECONDS = 7 * 24 * 3600

CARD_FILTERS = tuple(Filter(spec=spec) for spec in CARD_RENDITIONS)  # parsed once, on first use

# A card's image slot (.card-grid in portal.css): 1 column, 2 from 640px, 3 from 1024px, capped by .container.
CARD_PICTURE_ATTRS = {
    "class": "card-image",
    "alt": "",  # the card's title says what the picture shows
    "sizes": "(min-width: 1224px) 385px, (min-width: 1024px) calc((100vw - 68px) / 3), "
    "(min-width: 640px) calc((100vw - 51px) / 2), calc(100vw - 34px)",
    "loading": "lazy",
}


@register.simple_tag
def card_picture(image):
    """A card's cover as ``<picture>``: the renditions listings prefetch (``CARD_RENDITIONS``: WebP
    with a JPEG fallback at three widths). Wagtail's ``{% picture %}`` parses its filter spec again
    on every render (≈0.4 ms a card); these filters are parsed once per process."""
    if not image:
        return ""
    renditions = get_renditions_or_not_found(image, CARD_FILTERS)
    return Picture(renditions, dict(CARD_PICTURE_ATTRS)).__html__()


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """``url`` made absolute against the current request (QR codes, Open Graph)."""
    request = context.get("request")
    if not url:
        return ""
    if request is None or url.startswith(("http://", "https://")):
        return url
    return request.build_absolute_uri(url)


@register.simple_tag(takes_context=True)
def content_cards(context, items):
    """The cards of a listing (``components/content_card.html`` each), kept by ``content.cards``."""
    return cards_html(items, context.get("request"))


@register.simple_tag
def feed_links(kind=SITE, subject=None):
    """``<link rel="alternate">`` for every feed the channels offer about the page's subject
    (``content.feed_links``): ``{% feed_links %}`` the site, ``{% feed_links "audience" audience %}``,
    ``{% feed_links "topic" topic %}``,
    ``{% feed_links "section" page %}``, ``{% feed_links "page" page %}``."""
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        ((link.mime, link.title, link.url) for link in feed_links_for(FeedSubject(kind, subject))),
    )


@register.simple_tag
def qr_svg(url, scale=4):
    """An inline SVG QR code for ``url`` (``content.qr``).

    Kept in the shared cache by URL as well: every process draws a URL once, but a fresh process
    would draw every page's code again, and the same URL always gives the same code, so a copy can
    never be stale."""
    key = "qr:2:" + hashlib.sha256(f"{scale}|{url}".encode()).hexdigest()  # 2: one drawing with the screens
    try:
        svg = cache.get(key)
    except Exception:  # any cache backend error (Redis down): draw the code instead
        logger.warning("qr_svg: cache unavailable", exc_info=True)
        svg = None
    if svg is None:
        svg = qr.qr_svg(url, scale=int(scale))
        try:
            cache.set(key, svg, QR_CACHE_SECONDS)
        except Exception:  # any cache backend error: the page still shows the code
            logger.warning("qr_svg: could not store", exc_info=True)
    return mark_safe(svg)  # noqa: S308 - segno output, URL is encoded into modules not markup


@register.filter
def severity(key):
    """The ``Severity`` record (label, level, colours) for a severity key."""
    return SEVERITIES.get(key)


@register.filter
def window_state_label(state):
    """生效中 / 未生效 / 已过期 for a window state key (``content.emergency``)."""
    return WINDOW_STATE_LABELS.get(state, "")


@register.filter
def date_with_year(moment):
    """``2026年6月30日 20:00``: warning dates always carry the year."""
    return _date_with_year(moment) if moment else ""


@register.filter
def hotlines(value):
    """Hotline and phone numbers as ``tel:`` links; plain text is escaped, safe HTML kept."""
    return hotlines_linkify(value)

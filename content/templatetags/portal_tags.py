"""Template helpers for the portal: QR codes, absolute URLs, severity styling, warning dates and
status, tap-to-call numbers."""

import segno
from django import template
from django.utils.safestring import mark_safe

from content.emergency import SEVERITIES, WINDOW_STATE_LABELS
from content.hotlines import hotlines_linkify
from content.warning import date_with_year as _date_with_year

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """``url`` made absolute against the current request (QR codes, Open Graph)."""
    request = context.get("request")
    if not url:
        return ""
    if request is None or url.startswith(("http://", "https://")):
        return url
    return request.build_absolute_uri(url)


@register.simple_tag
def qr_svg(url, scale=4):
    """An inline SVG QR code for ``url`` (dark modules on white, with a quiet zone)."""
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=int(scale), dark="#111", light="#fff", border=2)
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

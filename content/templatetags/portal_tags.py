"""Template helpers for the portal: QR codes, absolute URLs, severity styling."""

import segno
from django import template
from django.utils.safestring import mark_safe

from content.emergency import SEVERITIES

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

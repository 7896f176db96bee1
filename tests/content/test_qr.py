"""One QR drawing (content.qr) for the portal's detail pages and the screens' playlist."""

import re

from content.qr import qr_svg
from content.templatetags.portal_tags import qr_svg as qr_svg_tag

URL = "http://testserver/articles/a/"


def _modules(svg: str) -> str:
    return re.search(r'class="qrline"[^>]* d="([^"]+)"', svg).group(1)  # the dark modules


def test_portal_and_screens_draw_the_same_code(db):
    portal, screens = str(qr_svg_tag(URL)), qr_svg(URL, sized=False)
    assert _modules(portal) == _modules(screens)
    assert 'width="' in portal  # a fixed size on the page
    assert 'width="' not in screens  # the player scales it to the screen


def test_different_urls_give_different_codes():
    assert _modules(qr_svg(URL)) != _modules(qr_svg(URL.replace("/a/", "/b/")))

"""QR codes as inline SVG: one drawing for the portal's detail pages and the screens' playlist.

It lives in ``content`` because both the portal (content) and a channel (feeds/screens) draw codes,
and content may import no channel.
"""

from functools import lru_cache

import segno


@lru_cache(maxsize=4096)  # the same URL always gives the same code; drawing one costs about 5 ms
def qr_svg(url: str, *, scale: int = 4, sized: bool = True) -> str:
    """``url`` as an inline SVG QR code: black modules on white, a two-module quiet zone, error
    correction M (readable with a smudge or a reflection on a screen).

    ``sized=False`` leaves out width and height, so the code fills the box it is drawn in (the
    screens' player sizes it to the screen).
    """
    return segno.make(url, error="m").svg_inline(
        scale=scale, dark="#000", light="#fff", border=2, omitsize=not sized
    )

"""The screen feed as JSON-ready data: pure functions, no queries.

Everything the player needs travels in the feed (text, image URLs, the QR code as inline SVG) so a
screen can keep playing its last good feed with no server at all.

Emergency items carry their warning as ``content.warning.warning_dict`` (the fields screens,
syndication and WeChat share), plus the short keys the player draws from: ``severity`` (object),
``hazard`` (its Chinese name), ``instructions``, ``status``, ``takeover`` (this screen is taken
over) and ``frame`` (the warning plays in the rotation inside a frame of its colour).
"""

import re
from datetime import datetime

from django.utils import timezone

from content.qr import qr_svg
from content.warning import warning_dict

from .models import PORTRAIT

FEED_VERSION = 1
HEARTBEAT_SECONDS = 60
# Characters of body text that stay readable from three metres (about 56 px type on 1080p).
TEXT_LIMITS = {"landscape": 90, "portrait": 120}
MAX_INSTRUCTIONS = 6
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


def image_specs(screen) -> dict:
    """Wagtail rendition filter specs sized to the screen: the item picture and a full-screen poster."""
    width, height = screen.width, screen.height
    if screen.orientation == PORTRAIT:
        picture = f"fill-{width}x{height * 2 // 5}"
    else:
        picture = f"fill-{width * 11 // 20}x{height}"
    return {
        "picture": f"{picture}|jpegquality-80",
        "poster": f"fill-{width}x{height}|jpegquality-80",
    }


def text_for_distance(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, at a sentence end when one is close enough."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in SENTENCE_END.split(text):
        if len(kept) + len(sentence) > limit:
            break
        kept += sentence
    if len(kept) >= limit // 2:
        return kept
    return text[: limit - 1] + "…"


def _iso(moment: datetime | None):
    return timezone.localtime(moment).isoformat() if moment else None


def _rendition_data(rendition, absolute):
    if rendition is None:
        return None
    return {
        "url": absolute(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": rendition.alt or "",
    }


def _warning_fields(warning, *, takeover: bool, now: datetime) -> dict:
    data = warning_dict(warning, now=now)
    return {
        "severity": {
            "key": data["severity"],
            "label": data["label"],
            "level": data["level"],
            "colour": data["colour"],
            "text_colour": data["text_colour"],
        },
        "instructions": data["instructions"][:MAX_INSTRUCTIONS],
        "hazard": data["hazard_label"],
        "status": data["status"],
        "frame": not takeover,
        "warning": data,
    }


def feed_item_build(entry, *, screen, renditions, absolute, now: datetime) -> dict:
    """One playlist entry as the player sees it.

    ``renditions`` maps (image id, "picture"|"poster") to a rendition; ``absolute`` makes URLs
    absolute; ``now`` is the moment of the playlist (a warning's status is read at it).
    """
    page = entry.page
    key = page.content_type_key
    limit = TEXT_LIMITS.get(screen.orientation, 90)
    cover_id = page.cover_image_id
    item = {
        "id": page.pk,
        "type": key,
        "type_label": page.content_type_label,
        "title": page.title,
        "summary": page.summary,
        "text": text_for_distance(page.summary, limit),
        "image": _rendition_data(renditions.get((cover_id, "picture")), absolute),
        "video": None,
        "qr_url": absolute(page.url),
        "qr_svg": qr_svg(absolute(page.url), sized=False),  # cached: most of a rebuild
        "duration": entry.duration,
        "valid_until": _iso(entry.valid_until),
        "severity": None,
        "instructions": [],
        "status": None,
        "frame": False,
        "warning": None,
        "takeover": entry.takeover,
        "source": page.source,
    }
    if key == "video":
        poster_id = page.poster_image_id or cover_id
        item["video"] = {
            "url": absolute(page.video_source_url),
            "poster": _rendition_data(renditions.get((poster_id, "poster")), absolute),
        }
    if entry.warning is not None:
        item.update(_warning_fields(entry.warning, takeover=entry.takeover, now=now))
    return item


def screen_feed_build(screen, playlist, *, renditions, absolute, player_version: str, now: datetime) -> dict:
    """The whole feed document for ``screen`` at ``now`` (see docs/screens.md for the contract).

    Nothing in it is a timestamp of the build: what ``now`` decides (a warning's status) changes
    only at a window boundary, which is the playlist's ``next_change``. So an unchanged playlist
    has an unchanged ETag.
    """
    items = [
        feed_item_build(entry, screen=screen, renditions=renditions, absolute=absolute, now=now)
        for entry in playlist.entries
    ]
    return {
        "version": FEED_VERSION,
        "screen": {
            "id": screen.pk,
            "name": screen.name,
            "district": {"slug": screen.district.slug, "name": screen.district.name},
            "place_type": screen.place_type,
            "orientation": screen.orientation,
            "resolution": {"width": screen.width, "height": screen.height},
            "refresh_seconds": screen.refresh_seconds,
            "heartbeat_seconds": HEARTBEAT_SECONDS,
            "player_version": player_version,
        },
        "takeover": any(item["takeover"] for item in items),
        "next_change": _iso(playlist.next_change),
        "items": items,
    }

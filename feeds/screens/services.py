"""Writes and side effects for screens: creating, token rotation, building feeds, recording heartbeats."""

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from content.limits import MAX_YEAR, MIN_YEAR
from content.models import Audience, Region

from . import feed_cache
from .builders import image_specs, screen_feed_build
from .models import PlayRecord, Screen, ScreenGroup, ScreenHeartbeat
from .player import player_version
from .selectors import screen_get, screen_playlist_get
from .tokens import token_generate, token_hash

logger = logging.getLogger(__name__)

MAX_PLAYS_PER_HEARTBEAT = 500
MAX_ERRORS_PER_HEARTBEAT = 20
PLAY_ACCEPT_PAST = timedelta(days=30)  # a screen offline for a month still reports its plays
PLAY_ACCEPT_FUTURE = timedelta(minutes=10)  # tolerate a player clock slightly ahead


class ScreenInputError(ValueError):
    """Bad input from an operator or a player; the message is safe to show."""


# --- creating and securing screens -------------------------------------------------------


def screen_token_rotate(screen: Screen) -> str:
    """Give ``screen`` a new secret and return it; the old one stops working at once."""
    token = token_generate()
    screen.token_hash = token_hash(token)
    screen.token_rotated_at = timezone.now()
    screen.save(update_fields=["token_hash", "token_rotated_at", "updated_at"])
    return token


def _region_get(value: str) -> Region:
    region = Region.objects.filter(slug=value).first() or Region.objects.filter(name=value).first()
    if region is None:
        choices = "、".join(f"{r.slug}（{r.name}）" for r in Region.objects.all())
        raise ScreenInputError(f"未知区域“{value}”，可选：{choices}")
    return region


def _audiences_get(values) -> list:
    wanted = [v.strip() for v in values if v.strip()]
    found = {a.slug: a for a in Audience.objects.filter(slug__in=wanted)}
    found |= {a.name: a for a in Audience.objects.filter(name__in=wanted)}
    unknown = [v for v in wanted if v not in found]
    if unknown:
        choices = "、".join(f"{a.slug}（{a.name}）" for a in Audience.objects.all())
        raise ScreenInputError(f"未知受众“{'、'.join(unknown)}”，可选：{choices}")
    return list({found[v].pk: found[v] for v in wanted}.values())


@dataclass
class CreatedScreen:
    screen: Screen
    token: str


@transaction.atomic
def screen_create(
    *, name: str, district: str, audiences=(), group: str = "", place_type: str = "community", **fields
) -> CreatedScreen:
    """Create a screen (and its group, by name, if new); returns it with its one-time token."""
    name = (name or "").strip()
    if not name:
        raise ScreenInputError("屏幕名称不能为空")
    region = _region_get(district)
    audience_list = _audiences_get(audiences)
    screen_group = None
    if group:
        screen_group, _ = ScreenGroup.objects.get_or_create(name=group.strip())
    token = token_generate()
    screen = Screen(
        name=name,
        district=region,
        group=screen_group,
        place_type=place_type,
        token_hash=token_hash(token),
        token_rotated_at=timezone.now(),
        **fields,
    )
    screen.full_clean()
    screen.save()
    screen.audiences.set(audience_list)
    return CreatedScreen(screen=screen, token=token)


# --- the feed ----------------------------------------------------------------------------


def _auth_load(screen_id):
    row = Screen.objects.filter(pk=screen_id).values_list("token_hash", "enabled").first()
    return tuple(row) if row else None


def screen_auth_get(screen_id):
    """(token_hash, enabled) for the screen, cached; None when there is no such screen."""
    return feed_cache.auth_cached(screen_id, lambda: _auth_load(screen_id))


def screen_poll_state(screen_id, *, host: str, now: datetime | None = None) -> feed_cache.PollState:
    """Auth and the cached feed's ETag for a poll, in one cache round trip and no query when warm."""
    now = now or timezone.now()
    return feed_cache.poll_state_get(
        screen_id, host, now_ts=now.timestamp(), load_auth=lambda: _auth_load(screen_id)
    )


def _renditions_for(screen, entries) -> dict:
    """Screen-sized renditions for every picture and poster in the playlist, in two queries."""
    specs = image_specs(screen)
    wanted: dict[int, set[str]] = {}
    for entry in entries:
        page = entry.page
        if page.cover_image_id:
            wanted.setdefault(page.cover_image_id, set()).add("picture")
        if page.content_type_key == "video" and (page.poster_image_id or page.cover_image_id):
            wanted.setdefault(page.poster_image_id or page.cover_image_id, set()).add("poster")
    if not wanted:
        return {}
    images = get_image_model().objects.filter(pk__in=wanted).prefetch_renditions(*specs.values())
    renditions = {}
    for image in images:
        for kind in wanted[image.pk]:
            try:
                renditions[(image.pk, kind)] = image.get_rendition(specs[kind])
            except Exception:  # a missing or corrupt original must not take the feed down
                logger.exception("rendition %s failed for image %s", specs[kind], image.pk)
    return renditions


def _video_files_for(entries) -> None:
    """Load uploaded video documents in one query (``video_source_url`` reads them)."""
    videos = [e.page for e in entries if e.page.content_type_key == "video" and e.page.video_file_id]
    if videos:
        docs = get_document_model().objects.in_bulk([v.video_file_id for v in videos])
        for video in videos:
            video.video_file = docs.get(video.video_file_id)


@dataclass
class Feed:
    etag: str
    body: bytes


def screen_feed_get(state: feed_cache.PollState, *, absolute, now: datetime | None = None) -> Feed:
    """The screen's feed as bytes with its strong ETag, rebuilt only when something changed.

    ``state`` comes from ``screen_poll_state`` at the start of the request: its epochs were read
    before building, so a change that lands mid-build makes the stored feed stale at once.
    """
    body = feed_cache.feed_body_cached(state)
    if body is not None and state.etag is not None:  # a cached body always comes with its ETag
        return Feed(etag=state.etag, body=body)
    now = now or timezone.now()
    screen = screen_get(state.screen_id)
    if screen is None:
        raise Screen.DoesNotExist(state.screen_id)
    playlist = screen_playlist_get(screen, now=now)
    _video_files_for(playlist.entries)
    data = screen_feed_build(
        screen,
        playlist,
        renditions=_renditions_for(screen, playlist.entries),
        absolute=absolute,
        player_version=player_version(),
        now=now,
    )
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    expires = playlist.next_change.timestamp() if playlist.next_change else None
    feed_cache.feed_store(state, expires_ts=expires, etag=etag, body=body)
    return Feed(etag=etag, body=body)


# --- heartbeats and proof of play --------------------------------------------------------


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates: PostgreSQL refuses both


def _text(value, limit: int) -> str:
    return _UNSTORABLE.sub("", value[:limit]) if isinstance(value, str) else ""


def _int(value, *, minimum=0, maximum=10**9):
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        return None
    return value


def _aware_datetime(value: str) -> datetime | None:
    """An ISO 8601 time with an offset that exists and converts to UTC, else None.

    ``parse_datetime`` raises ValueError on month 13, Feb 30, hour 25, an offset of +99:00 or year 0;
    year 1 with +14:00 parses but overflows when converted to UTC (as the database does on save).
    """
    if len(value) > 64 or not value.isascii():  # \d in parse_datetime would take full-width digits
        return None
    try:
        parsed = parse_datetime(value.strip())
        if parsed is None or parsed.utcoffset() is None:
            return None
        parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return parsed if MIN_YEAR <= parsed.year <= MAX_YEAR else None


def heartbeat_parse(data) -> dict:
    """Validate a heartbeat document; raises ScreenInputError with a reason for the player's log."""
    if not isinstance(data, dict):
        raise ScreenInputError("心跳内容必须是 JSON 对象")
    plays = data.get("plays", [])
    errors = data.get("errors", [])
    playing = data.get("playing")
    if not isinstance(plays, list) or len(plays) > MAX_PLAYS_PER_HEARTBEAT:
        raise ScreenInputError(f"plays 必须是不超过 {MAX_PLAYS_PER_HEARTBEAT} 条的列表")
    if not isinstance(errors, list) or len(errors) > MAX_ERRORS_PER_HEARTBEAT:
        raise ScreenInputError(f"errors 必须是不超过 {MAX_ERRORS_PER_HEARTBEAT} 条的列表")
    if playing is not None and not isinstance(playing, dict):
        raise ScreenInputError("playing 必须是对象或 null")
    uptime = data.get("uptime_seconds")
    if uptime is not None and _int(uptime) is None:
        raise ScreenInputError("uptime_seconds 必须是非负整数")
    parsed_plays = []
    for n, play in enumerate(plays):
        if not isinstance(play, dict):
            raise ScreenInputError(f"plays[{n}] 必须是对象")
        page_id = _int(play.get("id"), minimum=1, maximum=2**62)
        duration = _int(play.get("duration", 0), maximum=86400)
        if page_id is None or not isinstance(play.get("started_at"), str) or duration is None:
            raise ScreenInputError(
                f"plays[{n}] 需要 id（整数）、started_at（带时区的 ISO 时间）和 duration（秒）"
            )
        started = _aware_datetime(play["started_at"])
        if started is None:
            raise ScreenInputError(
                f"plays[{n}].started_at 不是有效的时间：需要真实存在的日期和时刻、"
                f"{MIN_YEAR}–{MAX_YEAR} 年之间，并带时区偏移（如 2026-07-01T08:00:00+08:00）"
            )
        parsed_plays.append(
            {
                "page_id": page_id,
                "started_at": started,
                "duration": duration,
                "takeover": bool(play.get("takeover")),
            }
        )
    playing_id = _int(playing.get("id"), minimum=1, maximum=2**62) if playing else None
    return {
        "player_version": _text(data.get("player_version"), 40),
        "uptime_seconds": uptime,
        "playing_id": playing_id,
        "plays": parsed_plays,
        "errors": [_text(e, 300) for e in errors if isinstance(e, str)],
    }


@transaction.atomic
def screen_heartbeat_record(screen_id, report: dict, *, now: datetime | None = None) -> dict:
    """Store a parsed heartbeat and its plays; plays already stored are ignored (players resend)."""
    now = now or timezone.now()
    ids = {p["page_id"] for p in report["plays"]} | ({report["playing_id"]} - {None})
    titles = dict(Page.objects.filter(pk__in=ids).values_list("pk", "title"))
    playing_title = titles.get(report["playing_id"], "")
    ScreenHeartbeat.objects.create(
        screen_id=screen_id,
        received_at=now,
        player_version=report["player_version"],
        uptime_seconds=report["uptime_seconds"],
        playing_page_id=report["playing_id"] if report["playing_id"] in titles else None,
        playing_title=playing_title,
        errors=report["errors"],
    )
    Screen.objects.filter(pk=screen_id).update(
        last_seen_at=now,
        last_playing_title=playing_title,
        last_player_version=report["player_version"],
        last_uptime_seconds=report["uptime_seconds"],
        last_errors=report["errors"],
    )
    records = [
        PlayRecord(
            screen_id=screen_id,
            page_id=play["page_id"],
            page_title=titles[play["page_id"]][:255],
            started_at=play["started_at"],
            duration_seconds=play["duration"],
            takeover=play["takeover"],
            received_at=now,
        )
        for play in report["plays"]
        if play["page_id"] in titles
        and now - PLAY_ACCEPT_PAST <= play["started_at"] <= now + PLAY_ACCEPT_FUTURE
    ]
    PlayRecord.objects.bulk_create(records, ignore_conflicts=True)
    return {"accepted_plays": len(records), "rejected_plays": len(report["plays"]) - len(records)}

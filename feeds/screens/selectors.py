"""What a screen plays now, and what screens report back (monitoring, proof of play).

Playlist order: warnings in force for the screen's district (those that take over first, then
those that lead with a frame) · pinned items in their window · items of the schedules in force ·
the newest live content for the screen's audiences. Every pool starts from ``content.selectors``
(live, public); a page appears once.

Takeover rule (``EmergencyWarning.takes_over``, from ``content.emergency``): red and orange take
over the district's screens; yellow and blue lead the playlist and ordinary content keeps playing
after them; an editor can force or suppress takeover per warning.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from content.models import EmergencyPage, VideoPage
from content.selectors import content_base_queryset, content_specific_list, emergency_active_list
from content.types import content_type_of
from content.warning import EmergencyWarning

from .models import Screen, ScreenGroup, ScreenHeartbeat
from .scheduling import window_contains, window_next_change

EMERGENCY_DURATION = 30  # seconds per warning: long enough to read the instructions
ONLINE_WITHIN = timedelta(minutes=3)  # three missed heartbeats (60 s apart) → offline


@dataclass
class PlaylistEntry:
    page: object  # a specific content page
    duration: int
    takeover: bool = False
    valid_until: datetime | None = None
    warning: EmergencyWarning | None = None  # for emergencies: what every channel shows of them


@dataclass
class Playlist:
    entries: list
    next_change: datetime | None  # when the clock alone may change the playlist


def screen_get(screen_id) -> Screen | None:
    """The screen with what its feed needs (district, group, audiences), or None."""
    return (
        Screen.objects.select_related("district", "group")
        .prefetch_related("audiences")
        .filter(pk=screen_id)
        .first()
    )


def _group_with_rules(group_id) -> ScreenGroup | None:
    if group_id is None:
        return None
    return (
        ScreenGroup.objects.prefetch_related("schedules__topic", "pins", "exclusions")
        .filter(pk=group_id)
        .first()
    )


def _earliest(*moments):
    present = [m for m in moments if m is not None]
    return min(present) if present else None


def _page_duration(page, default: int) -> int:
    if isinstance(page, VideoPage) and page.duration_seconds:
        return min(max(page.duration_seconds, 5), 3600)
    if isinstance(page, EmergencyPage):
        return max(default, EMERGENCY_DURATION)
    return default


def _valid_until(page):
    return page.expires_at if isinstance(page, EmergencyPage) else None


def _warning(page) -> EmergencyWarning | None:
    return page.warning if isinstance(page, EmergencyPage) else None


def _screen_pool(*, now: datetime, audiences=None, topic=None, type_key: str = "", region=None):
    """Live content a screen may play (``Page`` rows, newest first): emergencies only while in force.

    ``audiences`` matches content for any of them; empty or None means every audience.
    With ``region``, emergencies must also be for that region (a warning for another
    district does not belong on this screen).
    """
    qs = content_base_queryset().in_force(now)
    if type_key:
        qs = qs.type(content_type_of(type_key).model)
    if region is not None:
        qs = qs.for_region(region)
    if audiences:
        qs = qs.for_audience(*audiences)
    if topic is not None:
        qs = qs.for_topic(topic)
    return qs


def _windows_in_force(rules, now: datetime) -> tuple[list, datetime | None]:
    """The pins or schedules whose window contains ``now``, in order, and the earliest moment any of
    their windows next opens or closes."""
    in_force, next_change = [], None
    for rule in rules:
        next_change = _earliest(next_change, window_next_change(rule, now))
        if window_contains(rule, now):
            in_force.append(rule)
    return in_force, next_change


def _pinned_pages(pins: list, now: datetime) -> list[tuple]:
    """(page, duration) for the live pages of ``pins``, in pin order; no query without pins."""
    if not pins:
        return []
    durations = {pin.page_id: pin.duration for pin in pins}
    pages = content_specific_list(_screen_pool(now=now).filter(pk__in=durations))
    order = {pin.page_id: i for i, pin in enumerate(pins)}
    return [(page, durations[page.pk]) for page in sorted(pages, key=lambda p: order[p.pk])]


def _next_warning_start(region, now: datetime) -> datetime | None:
    """When the next upcoming warning for ``region`` comes into force, if any."""
    return (
        EmergencyPage.objects.live()
        .public()
        .upcoming(now)
        .for_region(region)
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )


def screen_playlist_get(screen: Screen, *, now: datetime) -> Playlist:
    """The items ``screen`` plays at ``now`` and when that may next change by itself."""
    group = _group_with_rules(screen.group_id)
    default_duration = group.default_duration if group else 15
    limit = group.item_limit if group else 20
    entries, seen = [], set()

    def add(pages, *, duration=None, takeover=False):
        for page in pages:
            if page.pk in seen:
                continue
            seen.add(page.pk)
            entries.append(
                PlaylistEntry(
                    page=page,
                    duration=duration or _page_duration(page, default_duration),
                    takeover=takeover,
                    valid_until=_valid_until(page),
                    warning=_warning(page),
                )
            )

    # 1. Warnings in force for the district, whatever the audience: those that take over the
    #    screen (red, orange, or forced) first, then those that lead the playlist in a frame.
    in_force = emergency_active_list(now=now, region=screen.district_id)  # most severe first
    takes_over = {page.pk: page.warning.takes_over for page in in_force}
    add([page for page in in_force if takes_over[page.pk]], takeover=True)
    add([page for page in in_force if not takes_over[page.pk]])
    # A warning that starts later changes the playlist too (ends are the entries' valid_until, below).
    next_change = _next_warning_start(screen.district_id, now)

    exclusive = False
    if group is not None:
        # Warnings in force are already in: exclusions never apply to them.
        seen |= {e.page_id for e in group.exclusions.all()}
        pins, pins_change = _windows_in_force(group.pins.all(), now)
        schedules, schedules_change = _windows_in_force(group.schedules.all(), now)
        next_change = _earliest(next_change, pins_change, schedules_change)
        # 2. Pins in their window.
        for page, duration in _pinned_pages(pins, now):
            add([page], duration=duration)
        # 3. Schedules in force.
        for schedule in schedules:
            exclusive = exclusive or schedule.exclusive
            pool = _screen_pool(
                now=now, topic=schedule.topic, type_key=schedule.content_type, region=screen.district_id
            )
            add(content_specific_list(pool.exclude(pk__in=seen)[:limit]))

    # 4. The newest content for the screen's audiences, unless a schedule plays alone.
    if not exclusive:
        pool = _screen_pool(now=now, audiences=list(screen.audiences.all()), region=screen.district_id)
        add(content_specific_list(pool.exclude(pk__in=seen)[:limit]))

    # Items with a validity window drop out when it ends.
    for entry in entries:
        next_change = _earliest(next_change, entry.valid_until)
    return Playlist(entries=entries, next_change=next_change)


@dataclass(frozen=True)
class ContentScope:
    """What decides which screens can play a content page: its audiences and, for emergencies, regions."""

    emergency: bool
    audience_ids: frozenset = frozenset()
    region_ids: frozenset = frozenset()

    def __or__(self, other: "ContentScope") -> "ContentScope":
        return ContentScope(
            emergency=self.emergency or other.emergency,
            audience_ids=self.audience_ids | other.audience_ids,
            region_ids=self.region_ids | other.region_ids,
        )


def content_scope_get(model, page_id) -> ContentScope:
    """The scope of a content page as stored in the database (before or after a change)."""
    rows = model.objects.filter(pk=page_id)
    emergency = issubclass(model, EmergencyPage)
    return ContentScope(
        emergency=emergency,
        audience_ids=frozenset(a for a in rows.values_list("audiences", flat=True) if a),
        region_ids=frozenset(r for r in rows.values_list("regions", flat=True) if r)
        if emergency
        else frozenset(),
    )


def screen_ids_affected(page_id, scope: ContentScope) -> list:
    """Screens whose playlist a change to this page can change (one query).

    Mirrors ``screen_playlist_get``: an emergency plays only in its regions; other content on
    screens of its audiences and on screens with no audience (they play everything); any page on
    screens whose group has schedules (they pick by topic and type, not audience) or pins or
    excludes it.
    """
    reach = Q(group__pins__page_id=page_id) | Q(group__exclusions__page_id=page_id)
    if scope.emergency:
        reach |= Q(district_id__in=scope.region_ids)
    else:
        reach |= (
            Q(audiences__in=scope.audience_ids)
            | Q(audiences__isnull=True)
            | Q(group__schedules__isnull=False)
        )
    return list(Screen.objects.filter(reach).values_list("pk", flat=True).distinct())


def screen_ids_in_group(group_id) -> list:
    return list(Screen.objects.filter(group_id=group_id).values_list("pk", flat=True))


def screen_is_online(screen: Screen, *, now: datetime) -> bool:
    return screen.last_seen_at is not None and now - screen.last_seen_at <= ONLINE_WITHIN


def heartbeat_recent_list(screen: Screen, limit: int = 20) -> list:
    return list(ScreenHeartbeat.objects.filter(screen=screen).order_by("-received_at")[:limit])


__all__ = [
    "ContentScope",
    "content_scope_get",
    "screen_ids_affected",
    "screen_ids_in_group",
    "Playlist",
    "PlaylistEntry",
    "heartbeat_recent_list",
    "screen_get",
    "screen_is_online",
    "screen_playlist_get",
]

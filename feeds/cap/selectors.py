"""Reads of the CAP channel. A message is public while its page is live and public, and stays
public after the series is cancelled (what was announced, and its withdrawal, are on record)."""

from dataclasses import dataclass
from datetime import datetime

from content.emergency import EXPIRED, SEVERITIES, emergency_window_state
from content.models import EmergencyPage

from .builders import CANCEL
from .models import CapMessage


def _page_is_public(page_id) -> bool:
    return EmergencyPage.objects.live().public().filter(pk=page_id).exists()


def _visible(message: CapMessage | None, latest: CapMessage | None) -> bool:
    if message is None or latest is None:
        return False
    return latest.msg_type == CANCEL or _page_is_public(message.page_key)


def cap_message_latest(page_id: int) -> CapMessage | None:
    """The newest message about one emergency page, if it may be shown."""
    latest = CapMessage.objects.filter(page_key=page_id).order_by("-sequence").first()
    return latest if _visible(latest, latest) else None


def cap_message_get(identifier: str) -> CapMessage | None:
    """One message by its identifier, if it may be shown."""
    message = CapMessage.objects.filter(identifier=identifier).first()
    if message is None:
        return None
    latest = CapMessage.objects.filter(page_key=message.page_key).order_by("-sequence").first()
    return message if _visible(message, latest) else None


def _announced_state(message: CapMessage, now: datetime) -> str:
    """The window state of what the message announced (content.emergency's rule)."""
    return emergency_window_state(datetime.fromisoformat(message.info["effective"]), message.expires, now)


def cap_alert_current_list(*, now: datetime) -> list[CapMessage]:
    """The latest message of every alert in force or upcoming at ``now`` (not cancelled, not
    expired, page live and public), most severe first, then newest."""
    page_ids = list(EmergencyPage.objects.live().public().not_expired(now).values_list("pk", flat=True))
    latest: dict[int, CapMessage] = {}
    for message in CapMessage.objects.filter(page_key__in=page_ids).order_by("page_key", "sequence"):
        latest[message.page_key] = message
    current = [m for m in latest.values() if m.msg_type != CANCEL and _announced_state(m, now) != EXPIRED]
    rank = {key: s.rank for key, s in SEVERITIES.items()}
    return sorted(current, key=lambda m: (-rank.get(m.info.get("severity"), 0), -m.sent.timestamp()))


@dataclass(frozen=True)
class CurrentAlert:
    """An emergency in force or upcoming, as the /feeds/ page links its CAP document."""

    page_key: int
    headline: str
    status: str


def cap_page_current_list(*, now: datetime) -> list[CurrentAlert]:
    """Live, public emergencies not expired at ``now``, most severe first (content's window rule).

    Read from the pages, not the messages: the /feeds/ page is in the page cache, which a publish
    invalidates before the task worker records the CAP message.
    """
    pages = EmergencyPage.objects.live().public().not_expired(now).most_severe_first()
    return [
        CurrentAlert(page.pk, page.title, emergency_window_state(page.effective_from, page.expires_at, now))
        for page in pages.only("pk", "title", "effective_from", "expires_at")
    ]

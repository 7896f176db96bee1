"""Writes of the CAP channel: record the message a publication or withdrawal sends, with its audit entry.

Called after the publishing transaction commits (signal_handlers). A failure here never blocks
publishing an emergency: it is logged, and ``cap_messages_sync`` (``manage.py cap_sync``) repairs
the history from the pages' live state.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import PageLogEntry

from content.models import EmergencyPage
from content.warning import WHOLE_CITY

from .builders import ALERT, CANCEL, UPDATE
from .models import CapMessage

logger = logging.getLogger(__name__)

IDENTIFIER_PREFIX = "KPEZ"
AUDIT_PUBLISH = "kepu.emergency.publish"
AUDIT_CANCEL = "kepu.emergency.cancel"


# Fields of the record derived from the others (the warning's name from hazard and level): a
# record made before one of them existed announced the same thing without it.
DERIVED_INFO_KEYS = frozenset({"event"})


def cap_info_from_page(page) -> dict:
    """What a message announces about ``page``, JSON-ready: its warning (``page.warning``, the
    one value every channel renders) plus what only CAP carries (sender, audience, summary)."""
    warning = page.warning
    return {
        "hazard": warning.hazard,
        "severity": warning.severity.key,
        "event": warning.headline,
        "headline": warning.title,
        "description": page.summary or warning.title,
        "instruction": "\n".join(f"{n}. {line}" for n, line in enumerate(warning.instructions, 1)),
        "web_path": warning.url,
        "sender_name": page.source or settings.CAP_SENDER_NAME,
        "audience": "、".join(a.name for a in page.audiences.all()),
        "effective": timezone.localtime(warning.effective_from).isoformat(),
        "expires": timezone.localtime(warning.expires_at).isoformat(),
        "areas": [f"{WHOLE_CITY}{name}" for name in warning.regions],
    }


def cap_info_same(recorded: dict, current: dict) -> bool:
    """Whether a recorded message already announces ``current`` (``cap_info_from_page``)."""
    return recorded == {
        key: value for key, value in current.items() if key in recorded or key not in DERIVED_INFO_KEYS
    }


def cap_series_open(history: list[CapMessage]) -> list[CapMessage]:
    """The messages of the series still in force: from the last Alert on, unless it was cancelled."""
    if not history or history[-1].msg_type == CANCEL:
        return []
    start = max((i for i, m in enumerate(history) if m.msg_type == ALERT), default=0)
    return history[start:]


def _history(page_id) -> list[CapMessage]:
    return list(CapMessage.objects.select_for_update().filter(page_key=page_id).order_by("sequence"))


def _message_create(page_id, history, *, msg_type, info, references, revision_id, now) -> CapMessage:
    sent = timezone.localtime(now or timezone.now()).replace(microsecond=0)
    sequence = (history[-1].sequence + 1) if history else 1
    return CapMessage.objects.create(
        page_key=page_id,
        sequence=sequence,
        identifier=f"{IDENTIFIER_PREFIX}-{sent:%Y%m%d%H%M%S}-{page_id}-{sequence}",
        sender=settings.CAP_SENDER,
        sent=sent,
        status=settings.CAP_STATUS,
        msg_type=msg_type,
        references=" ".join(m.reference for m in references),
        info=info,
        revision_id=revision_id,
    )


def _announcement_due(page, history) -> bool:
    """Whether the live ``page`` needs a new Alert/Update: no open series, or it announced otherwise."""
    series = cap_series_open(history)
    return not series or not cap_info_same(series[-1].info, cap_info_from_page(page))


def _announcement_record(page, *, now=None) -> CapMessage | None:
    """An Alert (no open series) or an Update for the live ``page``; None when nothing changed."""
    history = _history(page.pk)
    if not _announcement_due(page, history):
        return None
    series = cap_series_open(history)
    return _message_create(
        page.pk,
        history,
        msg_type=UPDATE if series else ALERT,
        info=cap_info_from_page(page),
        references=series,
        revision_id=page.live_revision_id,
        now=now,
    )


def _publisher(page):
    entry = (
        PageLogEntry.objects.filter(page_id=page.pk, action__startswith="wagtail.publish")
        .select_related("user")
        .order_by("-timestamp", "-pk")
        .first()
    )
    return entry.user if entry else None


@dataclass(frozen=True)
class EmergencyRecordResult:
    message: CapMessage | None
    reason: str = ""


@transaction.atomic
def emergency_published_record(page_id, *, now=None) -> EmergencyRecordResult:
    """After an emergency page is published: an Alert (new series) or an Update, and the audit entry.

    Nothing is sent for a page that is no longer live and public, and no Update when nothing the
    message announces has changed (the audit entry is still written).
    """
    page = (
        EmergencyPage.objects.live()
        .public()
        .filter(pk=page_id)
        .prefetch_related("regions", "audiences")
        .first()
    )
    if page is None:
        return EmergencyRecordResult(None, "not live and public")
    message = _announcement_record(page, now=now)
    log(
        instance=page,
        action=AUDIT_PUBLISH,
        user=_publisher(page),
        revision=page.live_revision,
        data={
            "severity": page.severity,
            "msg_type": message.msg_type if message else "",
            "identifier": message.identifier if message else "",
        },
    )
    if message:
        logger.info("CAP %s %s for page %s", message.msg_type, message.identifier, page_id)
    return EmergencyRecordResult(message, "" if message else "unchanged")


@transaction.atomic
def emergency_withdrawn_record(page_id, *, now=None) -> EmergencyRecordResult:
    """After an emergency page is unpublished or deleted: a Cancel that closes its open series."""
    history = _history(page_id)
    series = cap_series_open(history)
    if not series:
        return EmergencyRecordResult(None, "no open series")
    message = _message_create(
        page_id,
        history,
        msg_type=CANCEL,
        info=series[-1].info,
        references=series,
        revision_id=series[-1].revision_id,
        now=now,
    )
    page = EmergencyPage.objects.filter(pk=page_id).first()
    if page is not None:  # a deleted page has Wagtail's own deletion entry
        log(
            instance=page,
            action=AUDIT_CANCEL,
            data={"severity": page.severity, "msg_type": CANCEL, "identifier": message.identifier},
        )
    logger.info("CAP Cancel %s for page %s", message.identifier, page_id)
    return EmergencyRecordResult(message)


def cap_messages_sync(*, dry_run: bool = False, now=None) -> dict:
    """Bring the history in line with the pages: an Alert/Update for live public emergencies whose
    last message does not match them, a Cancel for open series whose page is gone or withdrawn.

    Idempotent; for databases that had emergencies before CAP was added, or after a logged failure.
    """
    live = EmergencyPage.objects.live().public().prefetch_related("regions", "audiences").order_by("pk")
    live_ids = {page.pk for page in live}
    histories: dict[int, list[CapMessage]] = {}
    for message in CapMessage.objects.order_by("page_key", "sequence"):
        histories.setdefault(message.page_key, []).append(message)
    open_ids = {page_key for page_key, history in histories.items() if cap_series_open(history)}
    counts = {"published": 0, "cancelled": 0}
    for page in live:
        if not _announcement_due(page, histories.get(page.pk, [])):
            continue
        counts["published"] += 1
        if not dry_run:
            with transaction.atomic():
                _announcement_record(page, now=now)
    for page_id in sorted(open_ids - live_ids):
        counts["cancelled"] += 1
        if not dry_run:
            emergency_withdrawn_record(page_id, now=now)
    return counts

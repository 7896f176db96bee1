"""Time-driven publishing: Wagtail's scheduled go-live and expiry, run by one scheduler process.

Contract:
- ``scheduled_publish_run()`` does what Wagtail's own ``publish_scheduled`` command does (it calls
  it): revisions whose approved go-live time has passed are published, live pages whose expiry
  time has passed are unpublished. Each goes through Wagtail's publish/unpublish actions, so the
  ``page_published`` / ``page_unpublished`` receivers of every channel run as for an editor's
  click (screens, feeds, CAP Alert/Cancel, search).
- Anything already due is handled on the next run, so a scheduler that was down catches up as
  soon as it starts.
- Only one process runs it at a time: a short lock in the shared cache, so two schedulers started
  by mistake never publish the same revision twice.

Emergency windows (``effective_from`` / ``expires_at``) need no run here: every channel decides
"in force" at read time with ``content.emergency``, and cached answers carry the moment they stop
being true.
"""

import io
import logging
import os
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, Revision

logger = logging.getLogger(__name__)

LOCK_KEY = "scheduler:lock"


@dataclass
class ScheduledRun:
    went_live: list  # titles of pages published
    expired: list  # titles of pages unpublished
    skipped: bool = False  # another scheduler held the lock


def scheduled_due(now) -> tuple[list, list]:
    """(titles going live, titles expiring) at ``now``: what a run would do."""
    going_live = [r.object_str for r in Revision.objects.filter(approved_go_live_at__lt=now).order_by("pk")]
    expiring = list(Page.objects.filter(Q(live=True) & Q(expire_at__lt=now)).values_list("title", flat=True))
    return going_live, expiring


def scheduled_publish_run(*, lock_seconds: int = 60) -> ScheduledRun:
    """Publish what is due and unpublish what has expired, once (see the module contract)."""
    token = f"{os.getpid()}:{uuid.uuid4().hex}"
    if not cache.add(LOCK_KEY, token, lock_seconds):
        return ScheduledRun(went_live=[], expired=[], skipped=True)
    try:
        going_live, expiring = scheduled_due(timezone.now())
        if going_live or expiring:
            call_command("publish_scheduled", stdout=io.StringIO())
        for title in going_live:
            logger.info("scheduled publishing: went live: %s", title)
        for title in expiring:
            logger.info("scheduled publishing: expired: %s", title)
        return ScheduledRun(went_live=going_live, expired=expiring)
    finally:
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)

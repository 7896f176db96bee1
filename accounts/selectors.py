"""Reads for the 登录锁定 admin view: who is locked out now, and the recent failures behind it.

The policy counts failures per account and per address separately (AXES_LOCKOUT_PARAMETERS =
["username", "ip_address"]); one AccessAttempt row is one (account, address, browser) triple, so a
lockout is a sum over rows sharing the account or the address. Rows older than the cool-off no
longer count (axes deletes them on the next failure), so they are left out here too.
"""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Lockout:
    kind: str  # "username" | "ip_address"
    value: str
    failures: int
    last_failure: datetime
    locked_until: datetime | None  # None: the cool-off is off and only an administrator unlocks

    @property
    def kind_label(self) -> str:
        return "账户" if self.kind == "username" else "地址"


def _counting_attempts(now: datetime):
    rows = AccessAttempt.objects.all()
    if settings.AXES_COOLOFF_TIME:
        rows = rows.filter(attempt_time__gte=now - settings.AXES_COOLOFF_TIME)
    return rows


def login_lockout_list(*, now: datetime | None = None) -> list[Lockout]:
    """Accounts and addresses locked out at ``now``, most recent failure first."""
    now = now or timezone.now()
    rows = list(
        _counting_attempts(now).values("username", "ip_address", "failures_since_start", "attempt_time")
    )
    lockouts = []
    for kind in ("username", "ip_address"):
        totals: dict[str, list] = {}
        for row in rows:
            if not row[kind]:
                continue
            total = totals.setdefault(row[kind], [0, row["attempt_time"]])
            total[0] += row["failures_since_start"]
            total[1] = max(total[1], row["attempt_time"])
        for value, (failures, last) in totals.items():
            if failures >= settings.AXES_FAILURE_LIMIT:
                until = last + settings.AXES_COOLOFF_TIME if settings.AXES_COOLOFF_TIME else None
                lockouts.append(Lockout(kind, value, failures, last, until))
    return sorted(lockouts, key=lambda lockout: lockout.last_failure, reverse=True)


def login_attempt_list(*, now: datetime | None = None, limit: int = 100):
    """Failure counters still counting (one row per account, address and browser), newest first."""
    return _counting_attempts(now or timezone.now()).order_by("-attempt_time")[:limit]


def login_failure_log_list(*, limit: int = 100):
    """The permanent log of failed sign-ins (kept after unlocking), newest first."""
    return AccessFailureLog.objects.order_by("-attempt_time")[:limit]

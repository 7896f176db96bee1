"""Writes for sign-in protection: lifting a lockout (the admin view's 解除锁定 button)."""

import logging

from axes.utils import reset

from .lockout import log_quoted

logger = logging.getLogger(__name__)


def login_lockout_reset(*, kind: str, value: str, by=None) -> int:
    """Forget the failures counted against an account (``kind="username"``) or an address
    (``kind="ip_address"``); returns how many counters were removed. The failure log is kept."""
    if kind == "username":
        removed = reset(username=value)
    elif kind == "ip_address":
        removed = reset(ip=value)
    else:
        raise ValueError(f"unknown lockout kind: {kind!r}")
    logger.warning(
        "login lockout lifted: %s=%s by %s (%d counter(s) removed)",
        kind,
        log_quoted(value),
        log_quoted(getattr(by, "username", None)),
        removed,
    )
    return removed

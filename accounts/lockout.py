"""Hooks that django-axes calls (wired in cms/settings/base.py; policy in docs/security.md).

- ``client_ip_address(request)`` — the address a failure is counted against. ``REMOTE_ADDR`` unless
  ``TRUSTED_PROXY_COUNT`` (trusted reverse proxies in front of Django, each appending the address it saw
  to ``X-Forwarded-For``) is above 0; then the entry that many places from the right. Anything a
  client wrote further left is ignored, so it cannot choose its own address. A missing or malformed
  entry falls back to ``REMOTE_ADDR`` rather than to "no address" (which would pool every client).
- ``client_describe(...)`` — the client in one log line, quoted so a username cannot forge lines.
- ``lockout_response(request, response, credentials)`` — the Chinese lockout page, status 429.
"""

import ipaddress
import json
from datetime import timedelta

from django.conf import settings
from django.shortcuts import render


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(chain) >= count:
            forwarded = _valid_ip(chain[-count])
            if forwarded:
                return forwarded
    return _valid_ip(remote) or remote


def log_quoted(value, limit: int = 150) -> str:
    return json.dumps(str(value)[:limit], ensure_ascii=False) if value is not None else "-"


def client_describe(username, ip_address, user_agent, path_info, request) -> str:
    return (
        f"username={log_quoted(username)} ip={ip_address or '-'} "
        f"path={log_quoted(path_info)} user_agent={log_quoted(user_agent, 80)}"
    )


def lockout_minutes() -> int:
    cool_off = settings.AXES_COOLOFF_TIME
    return round(cool_off / timedelta(minutes=1)) if isinstance(cool_off, timedelta) else 0


def lockout_response(request, response=None, credentials=None):
    minutes = lockout_minutes()
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    response = render(request, "accounts/lockout.html", context, status=429)
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    response["Cache-Control"] = "no-store"
    return response

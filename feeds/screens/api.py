"""Screen HTTP API: the feed (GET, ETag/304) and the heartbeat (POST). Errors are JSON with a message.

Authentication: ``Authorization: Bearer <token>`` or the player's cookie; ``?token=`` only with
SCREENS_TOKEN_IN_QUERY on (feeds/screens/tokens.py). Unknown screen → 404, missing, wrong or rotated
token → 401, disabled screen → 403 (checked in that order so a disabled screen's state is not revealed
without its token).
"""

import json
import logging
import time

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.http import parse_etags
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from content.api_errors import api_error
from content.limits import MAX_HEARTBEAT_BYTES

from .models import Screen
from .services import (
    ScreenInputError,
    heartbeat_parse,
    screen_auth_get,
    screen_feed_get,
    screen_heartbeat_record,
    screen_poll_state,
)
from .tokens import screen_access, token_from_request

logger = logging.getLogger(__name__)

HEARTBEATS_PER_MINUTE = 10  # players send one a minute, more after an outage


# Refusals of screen_access, as JSON.
ACCESS_REFUSALS = {
    404: ("屏幕不存在", None),
    401: ("令牌无效或已更换", {"WWW-Authenticate": 'Bearer realm="screens"'}),
    403: ("该屏幕已停用", None),
}


def _authenticate(request, auth):
    """None when the request may proceed, else the error response."""
    status = screen_access(auth, token_from_request(request, query=True))
    if status == 200:
        return None
    message, headers = ACCESS_REFUSALS[status]
    return api_error(status, message, headers=headers)


def _etag_matches(request, etag: str) -> bool:
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    return etag in wanted or f"W/{etag}" in wanted or "*" in wanted


@require_GET
def screen_feed(request, screen_id: int):
    state = screen_poll_state(screen_id, host=request.get_host())
    denied = _authenticate(request, state.auth)
    if denied:
        return denied
    headers = {"Cache-Control": "private, no-cache", "Vary": "Authorization, Cookie"}
    if state.etag and _etag_matches(request, state.etag):  # the hot path: no body, no query
        return HttpResponse(status=304, headers={"ETag": state.etag, **headers})
    try:
        feed = screen_feed_get(state, absolute=request.build_absolute_uri)
    except Screen.DoesNotExist:
        return api_error(404, "屏幕不存在")
    headers["ETag"] = feed.etag
    if _etag_matches(request, feed.etag):
        return HttpResponse(status=304, headers=headers)
    return HttpResponse(feed.body, content_type="application/json; charset=utf-8", headers=headers)


def _rate_limited(screen_id) -> int | None:
    """Seconds to wait when this screen has sent too many heartbeats this minute."""
    window = int(time.time() // 60)
    key = f"screens:heartbeats:{screen_id}:{window}"
    cache.add(key, 0, 120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, 120)
        count = 1
    if count is None:  # the cache is down (production ignores Redis errors): no limit, no 500
        return None
    if count > HEARTBEATS_PER_MINUTE:
        return 60 - int(time.time() % 60)
    return None


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


@csrf_exempt
@require_POST
def screen_heartbeat(request, screen_id: int):
    denied = _authenticate(request, screen_auth_get(screen_id))
    if denied:
        return denied
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return api_error(400, "Content-Length 无效")
    if declared > MAX_HEARTBEAT_BYTES or len(request.body) > MAX_HEARTBEAT_BYTES:
        return api_error(400, f"心跳内容过大（上限 {MAX_HEARTBEAT_BYTES // 1024} KB）")
    wait = _rate_limited(screen_id)
    if wait:
        return api_error(429, "心跳过于频繁，请稍后再试", headers={"Retry-After": str(wait)})
    try:
        report = heartbeat_parse(json.loads(request.body.decode("utf-8"), parse_constant=_refuse_constant))
    except RecursionError:
        return api_error(400, "心跳内容嵌套过深")
    except ScreenInputError as exc:
        return api_error(400, str(exc))
    except ValueError:  # not UTF-8, not JSON, NaN/Infinity, or an integer of thousands of digits
        return api_error(400, "心跳内容不是有效的 UTF-8 JSON")
    result = screen_heartbeat_record(screen_id, report)
    if result["rejected_plays"]:
        logger.info(
            "screen %s: %s play(s) rejected (unknown item or implausible time)",
            screen_id,
            result["rejected_plays"],
        )
    return JsonResponse({"ok": True, **result}, status=200)

"""The kiosk player page. It only checks the token; the player script does the rest.

The link an administrator copies carries the token (``?token=``). Its first load swaps it for the
player's cookie and answers 303 to the same address without the token (feeds/screens/tokens.py), so
the token is in at most one access-log line and never in the address bar, history or a reload.
"""

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .builders import HEARTBEAT_SECONDS
from .models import Screen
from .player import player_version
from .services import screen_auth_get
from .tokens import screen_access, token_cookie_set, token_from_request

# Messages, not secrets (S105).
WRONG_TOKEN = "令牌无效或已更换，请在管理后台获取新的播放地址。"  # noqa: S105
NO_TOKEN = "缺少令牌：请用管理后台提供的播放地址（含令牌）打开一次本页面。"  # noqa: S105


def _refusal(request, status: int, message: str) -> HttpResponse:
    response = render(request, "screens/player_refused.html", {"message": message}, status=status)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _token_exchange(request, screen_id: int, token: str) -> HttpResponse:
    """A good ``?token=`` becomes the cookie, then 303 to the clean address (which tells a disabled
    screen apart)."""
    query = request.GET.copy()
    del query["token"]
    clean = request.path + (f"?{query.urlencode()}" if query else "")
    response = HttpResponseRedirect(clean, status=303)
    token_cookie_set(response, request, screen_id, token)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def screen_player(request, screen_id: int):
    exchange = "token" in request.GET  # the link from the admin: ?token= in the address
    token = request.GET["token"] if exchange else token_from_request(request)
    status = screen_access(screen_auth_get(screen_id), token)
    if status == 404:
        return _refusal(request, 404, "屏幕不存在，请检查地址中的屏幕编号。")
    if status == 401:
        return _refusal(request, 401, WRONG_TOKEN if token or exchange else NO_TOKEN)
    if exchange:
        return _token_exchange(request, screen_id, token)
    if status == 403:
        return _refusal(request, 403, "该屏幕已停用。")
    try:
        heartbeat = min(max(int(request.GET.get("heartbeat", HEARTBEAT_SECONDS)), 10), 600)
    except ValueError:
        heartbeat = HEARTBEAT_SECONDS
    config = {
        "screenId": screen_id,
        "feedUrl": reverse("screen_feed", args=[screen_id]),
        "heartbeatUrl": reverse("screen_heartbeat", args=[screen_id]),
        "playerVersion": player_version(),
        "heartbeatSeconds": heartbeat,
    }
    screen = Screen.objects.only("name", "orientation", "refresh_seconds").get(pk=screen_id)
    config["refreshSeconds"] = screen.refresh_seconds  # until the first feed arrives with its own
    response = render(request, "screens/player.html", {"screen": screen, "player_config": config})
    token_cookie_set(response, request, screen_id, token)  # renew: a kiosk can run for years
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response

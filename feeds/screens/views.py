"""The kiosk player page. It only checks the token; the player script does the rest."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .builders import HEARTBEAT_SECONDS
from .models import Screen
from .player import player_version
from .services import screen_auth_get
from .tokens import token_matches


def _refusal(request, status: int, message: str) -> HttpResponse:
    return render(request, "screens/player_refused.html", {"message": message}, status=status)


@require_GET
def screen_player(request, screen_id: int):
    auth = screen_auth_get(screen_id)
    if auth is None:
        return _refusal(request, 404, "屏幕不存在，请检查地址中的屏幕编号。")
    token = request.GET.get("token", "")
    if not token_matches(token, auth[0]):
        return _refusal(request, 401, "令牌无效或已更换，请在管理后台获取新的播放地址。")
    if not auth[1]:
        return _refusal(request, 403, "该屏幕已停用。")
    try:
        heartbeat = min(max(int(request.GET.get("heartbeat", HEARTBEAT_SECONDS)), 10), 600)
    except ValueError:
        heartbeat = HEARTBEAT_SECONDS
    config = {
        "screenId": screen_id,
        "token": token,
        "feedUrl": reverse("screen_feed", args=[screen_id]),
        "heartbeatUrl": reverse("screen_heartbeat", args=[screen_id]),
        "playerVersion": player_version(),
        "heartbeatSeconds": heartbeat,
    }
    screen = Screen.objects.only("name", "orientation", "refresh_seconds").get(pk=screen_id)
    config["refreshSeconds"] = screen.refresh_seconds  # until the first feed arrives with its own
    response = render(request, "screens/player.html", {"screen": screen, "player_config": config})
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response

"""``GET /api/v1/wechat/jssdk-config?url=``: what a portal page inside WeChat needs for ``wx.config``."""

import secrets
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.http.request import validate_host
from django.views.decorators.http import require_GET

from .client import WeChatClient, WeChatError, wechat_missing_settings
from .crypto import jssdk_signature

JSSDK_APIS = ["updateAppMessageShareData", "updateTimelineShareData"]


def _error(status, message):
    return JsonResponse(
        {"error": message, "status": status}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@require_GET
def jssdk_config(request):
    url = request.GET.get("url", "").strip()
    if not url or len(url) > 2000:
        return _error(400, "缺少 url 参数")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _error(400, "url 必须是完整的 http(s) 地址")
    allowed = settings.ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
    if not validate_host(parts.hostname, allowed):
        return _error(400, "只能为本站页面签名")
    missing = wechat_missing_settings()
    if missing:
        return _error(503, f"未配置公众号：缺少环境变量 {'、'.join(missing)}")
    try:
        ticket = WeChatClient.from_settings().jsapi_ticket()
    except WeChatError as exc:
        return _error(502, str(exc))
    timestamp = int(time.time())
    nonce = secrets.token_hex(8)
    response = JsonResponse(
        {
            "appId": settings.WECHAT_APP_ID,
            "timestamp": timestamp,
            "nonceStr": nonce,
            "signature": jssdk_signature(ticket, nonce, timestamp, url),
            "jsApiList": JSSDK_APIS,
        }
    )
    response["Cache-Control"] = "no-store"
    return response

"""``GET /api/v1/wechat/jssdk-config?url=``: what a portal page inside WeChat needs for ``wx.config``."""

import re
import secrets
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.http.request import split_domain_port, validate_host
from django.views.decorators.http import require_GET

from content.api_errors import api_error
from content.limits import MAX_JSSDK_URL_LENGTH

from .client import WeChatClient, WeChatError, wechat_missing_settings
from .crypto import jssdk_signature

JSSDK_APIS = ["updateAppMessageShareData", "updateTimelineShareData"]


# What a page URL may contain: printable ASCII only (a browser's location.href is already percent-encoded).
_URL_CHARS_RE = re.compile(r"[\x21-\x7e]+")
_HOST_RE = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?|\[[0-9a-f:.]+\]"
)


def site_page_url_host(url: str) -> str | None:
    """The host of ``url`` when it is a plain absolute http(s) URL, else None.

    Strict on purpose: parsers disagree on backslashes, userinfo and control characters
    (``https://evil.example\\@127.0.0.1/`` is 127.0.0.1 to ``urlsplit`` but evil.example to a browser),
    so anything a browser could read differently is refused rather than interpreted.
    """
    if not _URL_CHARS_RE.fullmatch(url) or "\\" in url:
        return None
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:  # also "Invalid IPv6 URL" from urlsplit itself
        return None
    if "@" in parts.netloc or not parts.netloc:
        return None
    host = parts.netloc.rsplit(":", 1)[0] if not parts.netloc.endswith("]") else parts.netloc
    host = host.lower()
    if not _HOST_RE.fullmatch(host):
        return None
    return host


def _site_hosts(request) -> list:
    """Hosts this site answers as: ALLOWED_HOSTS patterns (never the "*" wildcard) and the request's
    own host."""
    hosts = [h for h in settings.ALLOWED_HOSTS if h != "*"]
    own, _ = split_domain_port(request.get_host())
    if own:
        hosts.append(own)
    return hosts


@require_GET
def jssdk_config(request):
    url = request.GET.get("url", "").strip()
    if not url:
        return api_error(400, "缺少 url 参数")
    if len(url) > MAX_JSSDK_URL_LENGTH:
        return api_error(400, f"url 过长（最多 {MAX_JSSDK_URL_LENGTH} 个字符）")
    host = site_page_url_host(url)
    if host is None:
        return api_error(400, "url 必须是完整的 http(s) 地址，不能含反斜杠、用户名、空白或控制字符")
    if not validate_host(host, _site_hosts(request)):
        return api_error(400, "只能为本站页面签名")
    missing = wechat_missing_settings()
    if missing:
        return api_error(503, f"未配置公众号：缺少环境变量 {'、'.join(missing)}")
    try:
        ticket = WeChatClient.from_settings().jsapi_ticket()
    except WeChatError as exc:
        return api_error(502, str(exc))
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

"""The one module that talks to the WeChat API.

Contract: every call has a timeout; the access token (and JS-SDK ticket) is cached until five minutes
before it expires and refreshed once when WeChat says it is invalid or expired (40001, 40014, 42001);
rate-limit and system-busy answers (45009, 45011, -1) and network failures are retried with
backoff (``WECHAT_RETRY_DELAYS``) — except that calls WeChat does not make idempotent (``draft/add``,
``freepublish/submit``) are not repeated after a failure that may have come after WeChat did the work
(an answer that timed out or broke off, an HTTP 5xx): the caller looks before it tries again (see
``services.py``). Every failure becomes one ``WeChatError`` whose message is in
Chinese and safe to show to editors. The base URL is ``WECHAT_API_BASE``, so tests point the same
code at a local protocol-faithful server.
"""

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests
import urllib3
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

TOKEN_ERRORS = {40001, 40014, 42001}
RETRYABLE_ERRORS = {-1, 45009, 45011}
TOKEN_MARGIN = 300  # refresh this many seconds before WeChat's expiry
ERROR_MESSAGES = {
    -1: "微信系统繁忙，请稍后再试",
    40001: "access_token 无效（AppSecret 错误或令牌已被其他系统刷新）",
    40005: "图片格式不受支持（仅限 jpg/png）",
    40007: "素材 media_id 无效（素材或草稿已不存在）",
    40009: "图片大小超过限制",
    40013: "AppID 无效",
    40014: "access_token 不合法",
    40125: "AppSecret 无效",
    40164: "服务器 IP 不在公众号的 IP 白名单中",
    42001: "access_token 已过期",
    45002: "正文超过长度限制",
    45003: "标题超过长度限制",
    45004: "摘要超过长度限制",
    45009: "接口调用已达今日上限",
    45011: "接口调用过于频繁",
    45110: "作者超过长度限制",
    48001: "公众号没有该接口的权限（需认证的服务号或订阅号）",
    53503: "草稿未通过发布检查",
}


class WeChatError(Exception):
    """A WeChat failure with a message for editors; ``code`` is WeChat's errcode when there is one.

    ``maybe_done``: the request may have reached WeChat and been carried out although no answer
    came back (a read timeout, a broken connection, an HTTP 5xx from a gateway)."""

    def __init__(
        self, message: str, *, code: int | None = None, retryable: bool = False, maybe_done: bool = False
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.retryable = retryable
        self.maybe_done = maybe_done

    def __str__(self):
        return f"{self.message}（错误码 {self.code}）" if self.code is not None else self.message


class WeChatNotConfigured(WeChatError):
    pass


def wechat_missing_settings() -> list[str]:
    """The settings an API call needs that are not set (empty when the client can work)."""
    return [name for name in ("WECHAT_APP_ID", "WECHAT_APP_SECRET") if not getattr(settings, name, "")]


def _never_sent(exc: requests.RequestException) -> bool:
    """True when no connection to WeChat was made, so the request cannot have reached it."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError)  # e.g. connection refused


def _error(code: int, errmsg: str) -> WeChatError:
    message = ERROR_MESSAGES.get(code, f"微信接口返回错误：{errmsg}")
    return WeChatError(message, code=code, retryable=code in RETRYABLE_ERRORS)


@dataclass
class WeChatClient:
    app_id: str
    app_secret: str
    base_url: str = "https://api.weixin.qq.com"
    timeout: float = 10
    retry_delays: list = field(default_factory=lambda: [1, 4, 15])
    sleep: Callable[[float], object] = time.sleep
    session: requests.Session = field(default_factory=requests.Session)

    @classmethod
    def from_settings(cls) -> "WeChatClient":
        missing = wechat_missing_settings()
        if missing:
            raise WeChatNotConfigured(f"未配置公众号：缺少环境变量 {'、'.join(missing)}")
        return cls(
            app_id=settings.WECHAT_APP_ID,
            app_secret=settings.WECHAT_APP_SECRET,
            base_url=settings.WECHAT_API_BASE.rstrip("/"),
            timeout=settings.WECHAT_TIMEOUT,
            retry_delays=list(settings.WECHAT_RETRY_DELAYS),
        )

    # --- transport ---------------------------------------------------------------------

    def _send(self, method: str, path: str, *, params=None, payload=None, files=None) -> dict:
        """One HTTP exchange; WeChat errors come back as a dict with ``errcode``."""
        url = f"{self.base_url}{path}"
        kwargs = {"params": params, "timeout": self.timeout}
        if payload is not None:
            # UTF-8, not \\u escapes: WeChat would store the escapes literally.
            kwargs["data"] = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            kwargs["headers"] = {"Content-Type": "application/json; charset=utf-8"}
        if files is not None:
            kwargs["files"] = files
        try:
            response = self.session.request(method, url, **kwargs)
        except requests.RequestException as exc:
            raise WeChatError(
                f"无法连接微信服务器：{type(exc).__name__}", retryable=True, maybe_done=not _never_sent(exc)
            ) from exc
        if response.status_code >= 500:
            raise WeChatError(
                f"微信服务器错误（HTTP {response.status_code}）", retryable=True, maybe_done=True
            )
        try:
            data = json.loads(response.content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise WeChatError(f"微信服务器返回了无法识别的内容（HTTP {response.status_code}）") from exc
        if not isinstance(data, dict):
            raise WeChatError("微信服务器返回了无法识别的内容")
        return data

    def _with_retries(self, attempt, *, idempotent: bool = True):
        delays = list(self.retry_delays)
        while True:
            try:
                return attempt()
            except WeChatError as exc:
                if not exc.retryable or not delays or (exc.maybe_done and not idempotent):
                    raise
                delay = delays.pop(0)
                logger.warning("WeChat call failed (%s), retrying in %ss", exc, delay)
                self.sleep(delay)

    # --- access token and JS-SDK ticket ------------------------------------------------

    @property
    def _token_key(self):
        return f"wechat:token:{self.app_id}"

    def _fetch_token(self, force_refresh: bool) -> dict:
        data = self._send(
            "POST",
            "/cgi-bin/stable_token",
            payload={
                "grant_type": "client_credential",
                "appid": self.app_id,
                "secret": self.app_secret,
                "force_refresh": force_refresh,
            },
        )
        if data.get("errcode"):
            raise _error(data["errcode"], data.get("errmsg", ""))
        if not data.get("access_token"):
            raise WeChatError("微信没有返回 access_token")
        return data

    def access_token(self, *, rejected: str | None = None) -> str:
        """The cached token; ``rejected`` is a token WeChat just refused, forcing a new one."""
        token = cache.get(self._token_key)
        if token and token != rejected:
            return token
        data = self._with_retries(lambda: self._fetch_token(force_refresh=False))
        if data["access_token"] == rejected:  # WeChat still hands out the refused one
            data = self._with_retries(lambda: self._fetch_token(force_refresh=True))
        lifetime = max(int(data.get("expires_in", 7200)) - TOKEN_MARGIN, 60)
        cache.set(self._token_key, data["access_token"], lifetime)
        return data["access_token"]

    def jsapi_ticket(self) -> str:
        key = f"wechat:jsapi-ticket:{self.app_id}"
        ticket = cache.get(key)
        if ticket:
            return ticket
        data = self.call("GET", "/cgi-bin/ticket/getticket", params={"type": "jsapi"})
        lifetime = max(int(data.get("expires_in", 7200)) - TOKEN_MARGIN, 60)
        cache.set(key, data["ticket"], lifetime)
        return data["ticket"]

    # --- authenticated calls -------------------------------------------------------------

    def call(
        self, method: str, path: str, *, params=None, payload=None, files=None, idempotent: bool = True
    ) -> dict:
        """An API call with the access token: token refreshed once if refused, busy answers retried.

        ``idempotent=False``: a failure that may have come after WeChat did the work is not retried."""

        def attempt():
            token = self.access_token()
            for refreshed in (False, True):
                data = self._send(
                    method,
                    path,
                    params={**(params or {}), "access_token": token},
                    payload=payload,
                    files=files,
                )
                code = data.get("errcode") or 0
                if code in TOKEN_ERRORS and not refreshed:
                    logger.info("WeChat refused the access token (%s); refreshing once", code)
                    token = self.access_token(rejected=token)
                    continue
                if code:
                    raise _error(code, data.get("errmsg", ""))
                return data
            raise AssertionError("unreachable")

        return self._with_retries(attempt, idempotent=idempotent)

    def upload_body_image(self, content: bytes, filename: str, content_type: str) -> str:
        """An image for article bodies (jpg/png under 1 MB) → its WeChat-hosted URL."""
        data = self.call(
            "POST", "/cgi-bin/media/uploadimg", files={"media": (filename, content, content_type)}
        )
        return data["url"]

    def add_image_material(self, content: bytes, filename: str, content_type: str) -> str:
        """A permanent image (the cover) → its ``media_id``."""
        data = self.call(
            "POST",
            "/cgi-bin/material/add_material",
            params={"type": "image"},
            files={"media": (filename, content, content_type)},
        )
        return data["media_id"]

    def draft_add(self, article: dict) -> str:
        """Not idempotent: each call WeChat carries out makes another draft."""
        data = self.call("POST", "/cgi-bin/draft/add", payload={"articles": [article]}, idempotent=False)
        return data["media_id"]

    def draft_update(self, media_id: str, article: dict) -> None:
        self.call(
            "POST", "/cgi-bin/draft/update", payload={"media_id": media_id, "index": 0, "articles": article}
        )

    def draft_get(self, media_id: str) -> dict:
        """The draft (``news_item``); 40007 once it was published or deleted."""
        return self.call("POST", "/cgi-bin/draft/get", payload={"media_id": media_id})

    def draft_batchget(self, offset: int = 0, count: int = 20, *, no_content: bool = True) -> dict:
        """One page of the draft box (``total_count``, ``item_count``, ``item``); ``count`` 1..20."""
        payload = {"offset": offset, "count": count, "no_content": 1 if no_content else 0}
        return self.call("POST", "/cgi-bin/draft/batchget", payload=payload)

    def publish_submit(self, media_id: str) -> str:
        """Not idempotent: each call WeChat carries out starts a publish job."""
        data = self.call(
            "POST", "/cgi-bin/freepublish/submit", payload={"media_id": media_id}, idempotent=False
        )
        return str(data["publish_id"])

    def publish_get(self, publish_id: str) -> dict:
        return self.call("POST", "/cgi-bin/freepublish/get", payload={"publish_id": publish_id})

    def publish_batchget(self, offset: int = 0, count: int = 20, *, no_content: bool = True) -> dict:
        """One page of the successfully published articles (``item`` with ``article_id``); ``count`` 1..20."""
        payload = {"offset": offset, "count": count, "no_content": 1 if no_content else 0}
        return self.call("POST", "/cgi-bin/freepublish/batchget", payload=payload)

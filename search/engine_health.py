"""The circuit breaker in front of the external engine, shared by every process through the cache,
and what an engine failure means, in words an operator can act on.

After a failed search the engine is left alone for ``SEARCH_ENGINE_RETRY_SECONDS``: a hung or
unreachable node must not cost every search (in any worker) a timeout. Searches only read this
state; the failing search writes it once, with the failure's kind and message (shown by
``manage.py search_status`` and the admin's 搜索引擎 panel).

``engine_failure_describe(exc)`` → ``(kind, message)``: kind is one of ``auth`` (401/403),
``certificate`` (TLS verification, the CA file), ``connection`` (refused, unresolvable host),
``timeout``, ``index`` (missing index) or ``error``; the message is Chinese and never holds a
credential. ``secrets_redact(text)`` removes the configured credentials from any text we log.
"""

import base64
import binascii
import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from elastic_transport import ApiError, ConnectionTimeout, TlsError
from elastic_transport import ConnectionError as TransportConnectionError

logger = logging.getLogger(__name__)

KEY_PREFIX = "search:engine-resting:"

KIND_LABELS = {
    "auth": "认证失败",
    "certificate": "证书校验失败",
    "connection": "无法连接",
    "timeout": "请求超时",
    "index": "索引不存在",
    "error": "出错",
}


def _key(config_key: str) -> str:
    return KEY_PREFIX + hashlib.sha256(config_key.encode()).hexdigest()[:16]


def engine_resting(config_key: str) -> bool:
    """Whether searches should skip the engine configured as ``config_key`` for now."""
    return cache.get(_key(config_key)) is not None


def engine_rest_reason(config_key: str) -> dict | None:
    """The failure that put the engine to rest (``kind``, ``message``, ``at``), or None."""
    value = cache.get(_key(config_key))
    return value if isinstance(value, dict) else None


def engine_failed(config_key: str, name: str, error: Exception) -> None:
    """Record a failed search: every process answers from the database for a while."""
    retry = getattr(settings, "SEARCH_ENGINE_RETRY_SECONDS", 30)
    kind, message = engine_failure_describe(error)
    cache.set(_key(config_key), {"kind": kind, "message": message, "at": timezone.now().isoformat()}, retry)
    logger.warning(
        "search engine %s unavailable (%s: %s), answering from the database for the next %ss",
        name,
        kind,
        message,
        retry,
    )


def engine_rest_end(config_key: str) -> None:
    """Let searches try the engine again now (the upkeep job saw it answer)."""
    cache.delete(_key(config_key))


# --------------------------------------------------------------------------------------------
# What went wrong
# --------------------------------------------------------------------------------------------


def _chain(exc: BaseException):
    """The exception and its causes (``raise ... from``, then implicit context), at most 8 deep."""
    item: BaseException | None = exc
    seen = 0
    while item is not None and seen < 8:
        yield item
        item = item.__cause__ or item.__context__
        seen += 1


def _host(exc: BaseException) -> str:
    """``host:port`` of the failed node when the error names it (never user or password)."""
    node = getattr(getattr(exc, "meta", None), "node", None)
    if node is not None and getattr(node, "host", None):
        return f"{node.host}:{node.port}"
    for item in _chain(exc):
        match = re.search(r"host='([^']+)', port=(\d+)", str(item))
        if match:
            return f"{match.group(1)}:{match.group(2)}"
    return ""


def _api_failure(exc: ApiError) -> tuple[str, str]:
    status = exc.meta.status
    if status == 401:
        return (
            "auth",
            "认证失败：API 密钥或用户名密码错误（HTTP 401），请检查 ELASTICSEARCH_API_KEY 或 ELASTICSEARCH_USERNAME / ELASTICSEARCH_PASSWORD",
        )
    if status == 403:
        return "auth", "认证失败：API 密钥或用户没有所需权限（HTTP 403）"
    if status == 404 and "index_not_found" in str(exc):
        return "index", "索引不存在（后台任务会从数据库重建）"
    return "error", f"Elasticsearch 返回错误（HTTP {status}）"


def _tls_failure(exc: TlsError) -> tuple[str, str]:
    text = " ".join(str(item) for item in _chain(exc))
    if any(isinstance(item, (FileNotFoundError, PermissionError)) for item in _chain(exc)):
        return "certificate", "证书校验失败：ELASTICSEARCH_CA_CERTS 指向的 CA 文件不存在或不可读"
    if "Hostname mismatch" in text or "doesn't match" in text or "IP address mismatch" in text:
        return "certificate", "证书校验失败：服务器证书与主机名不符，请检查 ELASTICSEARCH_URLS 中的主机名"
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        reason = re.search(r"certificate verify failed: ([^()\]]+?)\s*(?:\(|\]|$)", text)
        detail = f"（{reason.group(1)}）" if reason else ""
        return (
            "certificate",
            f"证书校验失败：服务器证书不是由 ELASTICSEARCH_CA_CERTS 中的 CA 签发{detail}，请检查 ELASTICSEARCH_CA_CERTS",
        )
    if "WRONG_VERSION_NUMBER" in text or "wrong version number" in text:
        return (
            "certificate",
            "TLS 握手失败：该地址可能不是 https，请检查 ELASTICSEARCH_URLS 的 http:// 与 https://",
        )
    return "certificate", "证书校验失败（TLS 握手失败），请检查 ELASTICSEARCH_CA_CERTS"


def _connection_failure(exc: BaseException) -> tuple[str, str]:
    text = " ".join(str(item) for item in _chain(exc))
    host = _host(exc)
    where = f"（{host}）" if host else ""
    if "Connection refused" in text:
        why = "连接被拒绝"
    elif "resolve" in text or "Name or service not known" in text or "nodename nor servname" in text:
        why = "主机名无法解析"
    elif "timed out" in text:
        why = "连接超时"
    elif "No route to host" in text or "Network is unreachable" in text:
        why = "网络不可达"
    else:
        why = "连接失败"
    return "connection", f"无法连接 Elasticsearch{where}：{why}，请检查 ELASTICSEARCH_URLS 和网络"


def engine_failure_describe(exc: BaseException) -> tuple[str, str]:
    """``(kind, message)`` for an engine failure (the exception or anything it was raised from)."""
    for item in _chain(exc):
        if isinstance(item, ApiError):
            return _api_failure(item)
        if isinstance(item, TlsError):
            return _tls_failure(item)
        if isinstance(item, ConnectionTimeout):
            return "timeout", "请求超时：Elasticsearch 没有在限定时间内回答"
        if isinstance(item, TransportConnectionError):
            return _connection_failure(item)
    return "error", f"Elasticsearch 出错（{type(exc).__name__}）"


# --------------------------------------------------------------------------------------------
# Credentials never in our logs
# --------------------------------------------------------------------------------------------


def _secrets() -> set[str]:
    found: set[str] = set()
    for config in settings.WAGTAILSEARCH_BACKENDS.values():
        options = config.get("OPTIONS") or {}
        api_key, basic_auth = options.get("api_key"), options.get("basic_auth")
        if isinstance(api_key, tuple):
            found.update(api_key[1:])
            found.add(base64.b64encode(":".join(api_key).encode()).decode())
        elif isinstance(api_key, str) and api_key:
            found.add(api_key)
            try:
                found.update(base64.b64decode(api_key, validate=True).decode().split(":")[1:])
            except (binascii.Error, UnicodeDecodeError):
                pass  # not an encoded key: the key itself is hidden
        if isinstance(basic_auth, tuple) and len(basic_auth) == 2:
            found.add(basic_auth[1])
            found.add(base64.b64encode(":".join(basic_auth).encode()).decode())
    return {s for s in found if s and len(s) >= 3}


def secrets_redact(text: str) -> str:
    """``text`` with every configured credential (and its base64 header forms) replaced by ***."""
    for secret in sorted(_secrets(), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text

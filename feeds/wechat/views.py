"""``/wechat/callback``: WeChat's server verification (GET) and messages (POST), plain or AES mode.

Refusals: bad signature (including any non-hex or non-ASCII ``signature``/``msg_signature``) or a
timestamp more than five minutes off (a replay) → 403; a body that is too large, not XML, in an unknown
encoding, or undecryptable → 400; callback not configured → 503. Safe mode is enforced: when
``WECHAT_AES_KEY`` is set, a POST without ``encrypt_type=aes``, ``msg_signature`` and an ``Encrypt``
element is refused (403/400), because the URL ``signature`` does not cover the body. A message WeChat resends
(same MsgId, because our first answer was slow) gets the same answer once more, not a second search.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from content.limits import MAX_WECHAT_CALLBACK_BYTES

from . import crypto, replies
from .keywords import message_answer

logger = logging.getLogger(__name__)

TIMESTAMP_TOLERANCE = 300
DEDUP_SECONDS = 60


def _plain(text: str, status: int = 200) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def _fresh(timestamp: str) -> bool:
    try:
        return abs(time.time() - int(timestamp)) <= TIMESTAMP_TOLERANCE
    except (TypeError, ValueError):
        return False


def _dedup_key(message: dict) -> str:
    ident = (
        message.get("MsgId")
        or f"{message.get('FromUserName')}:{message.get('CreateTime')}:{message.get('Event')}"
    )
    return f"wechat:msg:{ident}"


def _body_size_refusal(request) -> HttpResponse | None:
    """400 for a body over the limit, judged by Content-Length before the body is read."""
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return _plain("Content-Length 无效", 400)
    if declared > MAX_WECHAT_CALLBACK_BYTES:  # before reading the body
        return _plain(f"消息过大（上限 {MAX_WECHAT_CALLBACK_BYTES // 1024} KB）", 400)
    if len(request.body) > MAX_WECHAT_CALLBACK_BYTES:
        return _plain(f"消息过大（上限 {MAX_WECHAT_CALLBACK_BYTES // 1024} KB）", 400)
    return None


def _envelope_refusal(outer: dict, query, token: str, timestamp: str, nonce: str) -> HttpResponse | None:
    """Why an AES-mode envelope cannot be opened (no key, no ``Encrypt``, bad ``msg_signature``), or None."""
    if not settings.WECHAT_AES_KEY:
        return _plain("安全模式未配置（缺少 WECHAT_AES_KEY）", 503)
    ciphertext = outer.get("Encrypt", "")
    if not ciphertext:
        return _plain("消息无效：安全模式的消息缺少 Encrypt", 400)
    if not crypto.signature_matches(query.get("msg_signature", ""), token, timestamp, nonce, ciphertext):
        return _plain("消息签名无效", 403)
    return None


def _envelope_open(outer: dict) -> dict:
    """The message inside a checked AES-mode envelope; raises like ``crypto.decrypt``/``message_parse``."""
    inner = crypto.decrypt(
        outer.get("Encrypt", ""), aes_key=settings.WECHAT_AES_KEY, app_id=settings.WECHAT_APP_ID
    )
    return replies.message_parse(inner.encode())


def _answer_once(message: dict, absolute) -> str:
    """The answer to ``message``; a resend within ``DEDUP_SECONDS`` gets the cached one, not a new search."""
    key = _dedup_key(message)
    answer = cache.get(key)
    if answer is None:
        answer = message_answer(message, absolute=absolute)
        cache.set(key, answer, DEDUP_SECONDS)
    return answer


def _encrypted_reply(answer: str, token: str, nonce: str) -> HttpResponse:
    """``answer`` sealed in the AES-mode reply envelope, signed with our token."""
    reply_nonce = nonce
    reply_time = str(int(time.time()))
    sealed = crypto.encrypt(answer, aes_key=settings.WECHAT_AES_KEY, app_id=settings.WECHAT_APP_ID)
    envelope = replies.encrypted_envelope(
        sealed,
        signature=crypto.signature(token, reply_time, reply_nonce, sealed),
        timestamp=reply_time,
        nonce=reply_nonce,
    )
    return HttpResponse(envelope, content_type="application/xml; charset=utf-8")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def wechat_callback(request):
    token = settings.WECHAT_TOKEN
    if not token:
        return _plain("公众号回调未配置（缺少 WECHAT_TOKEN）", 503)
    query = request.GET
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    if not crypto.signature_matches(query.get("signature", ""), token, timestamp, nonce):
        return _plain("签名无效", 403)
    if not _fresh(timestamp):
        return _plain("时间戳过期", 403)
    if request.method == "GET":
        return _plain(query.get("echostr", ""))

    refusal = _body_size_refusal(request)
    if refusal is not None:
        return refusal
    encrypted = query.get("encrypt_type") == "aes"
    if settings.WECHAT_AES_KEY and not (encrypted and query.get("msg_signature")):
        # The URL signature covers only token, timestamp and nonce, never the body: with the AES key set,
        # a plain (or unsigned) body could be forged by anyone who saw one signed URL.
        return _plain("已启用安全模式：只接受加密并带 msg_signature 的消息", 403)
    try:
        outer = replies.message_parse(request.body)
        message = outer
        if encrypted:
            refusal = _envelope_refusal(outer, query, token, timestamp, nonce)
            if refusal is not None:
                return refusal
            message = _envelope_open(outer)
    except (replies.MessageError, crypto.WeChatCryptoError) as exc:
        logger.info("WeChat callback refused: %s", exc)
        return _plain(f"消息无效：{exc}", 400)

    answer = _answer_once(message, request.build_absolute_uri)
    if answer == "success" or not encrypted:
        return HttpResponse(
            answer, content_type="application/xml; charset=utf-8" if answer != "success" else "text/plain"
        )
    return _encrypted_reply(answer, token, nonce)

"""WeChat's signature and message-encryption algorithms (pure functions).

- Callback signature: sha1 of the sorted, concatenated token, timestamp and nonce.
- Safe mode (安全模式): AES-256-CBC, key = base64(EncodingAESKey + "="), IV = key[:16], PKCS#7 padding
  to 32-byte blocks; plaintext = 16 random bytes + 4-byte big-endian length + message + app id;
  msg_signature = sha1 of the sorted token, timestamp, nonce and ciphertext.
- JS-SDK: sha1 of ``jsapi_ticket=…&noncestr=…&timestamp=…&url=…`` (url without its #fragment).
"""

import base64
import hashlib
import hmac
import os
import re
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class WeChatCryptoError(ValueError):
    """A message that cannot be decrypted or does not belong to this account."""


def signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()  # noqa: S324 - WeChat's algorithm


_SIGNATURE_RE = re.compile(r"[0-9a-fA-F]{40}")


def signature_matches(expected, *parts: str) -> bool:
    """Constant-time check of a hex sha1 signature. Anything that is not 40 hex digits (empty, non-ASCII,
    not a string) is simply a mismatch: ``hmac.compare_digest`` raises on non-ASCII ``str``, and a
    signature arrives from an unauthenticated query string."""
    if not isinstance(expected, str) or not _SIGNATURE_RE.fullmatch(expected):
        return False
    return hmac.compare_digest(signature(*parts).encode("ascii"), expected.lower().encode("ascii"))


def jssdk_signature(ticket: str, noncestr: str, timestamp: int | str, url: str) -> str:
    url = url.split("#", 1)[0]
    text = f"jsapi_ticket={ticket}&noncestr={noncestr}&timestamp={timestamp}&url={url}"
    return hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 - WeChat's algorithm


def _key(aes_key: str) -> bytes:
    try:
        key = base64.b64decode(aes_key + "=")
    except (ValueError, TypeError) as exc:
        raise WeChatCryptoError("EncodingAESKey 无效：必须是 43 个字符") from exc
    if len(key) != 32:
        raise WeChatCryptoError("EncodingAESKey 无效：必须是 43 个字符")
    return key


def encrypt(message: str, *, aes_key: str, app_id: str, random_prefix: bytes | None = None) -> str:
    key = _key(aes_key)
    body = message.encode()
    plain = (random_prefix or os.urandom(16)) + struct.pack(">I", len(body)) + body + app_id.encode()
    pad = BLOCK - len(plain) % BLOCK
    plain += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def decrypt(ciphertext: str, *, aes_key: str, app_id: str) -> str:
    key = _key(aes_key)
    try:
        data = base64.b64decode(ciphertext, validate=True)
    except (ValueError, TypeError) as exc:
        raise WeChatCryptoError("密文不是有效的 base64") from exc
    if not data or len(data) % 16:
        raise WeChatCryptoError("密文长度无效")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= BLOCK:
        raise WeChatCryptoError("填充无效")
    plain = plain[:-pad]
    if len(plain) < 20:
        raise WeChatCryptoError("明文过短")
    (length,) = struct.unpack(">I", plain[16:20])
    message, from_app = plain[20 : 20 + length], plain[20 + length :]
    if len(message) != length:
        raise WeChatCryptoError("消息长度无效")
    if from_app.decode(errors="replace") != app_id:
        raise WeChatCryptoError("消息不属于本公众号")
    try:
        return message.decode()
    except UnicodeDecodeError as exc:
        raise WeChatCryptoError("消息不是 UTF-8") from exc

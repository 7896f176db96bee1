"""Screen secrets: generated here, shown once, stored only as a SHA-256 hash."""

import hashlib
import hmac
import secrets


def token_generate() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def token_matches(token: str | None, stored_hash: str) -> bool:
    if not token or not stored_hash or len(token) > 200:
        return False
    return hmac.compare_digest(token_hash(token), stored_hash)

"""Screen secrets: generated here, shown once, stored only as a SHA-256 hash.

How a request carries a screen's token (docs/screens.md, "Tokens and the player link"):

1. ``Authorization: Bearer <token>`` — other players and integrations.
2. The player's cookies — the kiosk player. Its link ``/screens/<id>/player/?token=…`` is exchanged on
   first load for two cookies holding the token (HttpOnly, SameSite=Strict, Secure over HTTPS):
   ``kepu_screen_token`` scoped to ``/screens/<id>/`` and ``kepu_screen_api_token`` scoped to
   ``/api/v1/screens/<id>/`` (two names: one response cannot set one name twice). The browser is then
   sent on to the clean address, so the token reaches at most one access-log line and no script reads it.
3. ``?token=`` on the API — only with ``SCREENS_TOKEN_IN_QUERY`` on (off by default): query strings
   end up in proxy and server logs.

A header that is present wins over the cookie, so a wrong header is refused even with a good cookie.

``screen_access`` is the one check both flows use (the API answers its refusals as JSON, the player
page as a page): unknown screen 404, missing, wrong or rotated token 401, disabled screen 403, in
that order so a disabled screen's state is not revealed without its token.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

# Cookie names, not secrets (S105). The player page, path /screens/<id>/; its feed and heartbeat,
# path /api/v1/screens/<id>/.
TOKEN_COOKIE = "kepu_screen_token"  # noqa: S105
TOKEN_API_COOKIE = "kepu_screen_api_token"  # noqa: S105
TOKEN_COOKIE_MAX_AGE = 400 * 24 * 3600  # the most browsers keep a cookie; renewed on every player load
MAX_TOKEN_LENGTH = 200


def token_generate() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def token_matches(token: str | None, stored_hash: str) -> bool:
    if not token or not stored_hash or len(token) > MAX_TOKEN_LENGTH:
        return False
    return hmac.compare_digest(token_hash(token), stored_hash)


def screen_access(auth: tuple[str, bool] | None, token: str | None) -> int:
    """The HTTP status a request presenting ``token`` earns: 200 to go ahead, else 404, 401 or 403.

    ``auth`` is the screen's ``(token_hash, enabled)`` (``services.screen_auth_get``), None when
    there is no such screen.
    """
    if auth is None:
        return 404
    stored_hash, enabled = auth
    if not token_matches(token, stored_hash):
        return 401
    return 200 if enabled else 403


def token_cookies(screen_id: int) -> list[tuple[str, str]]:
    """(name, path) of the player's two cookies: its page and its API (paths as in feeds/screens/urls.py)."""
    return [(TOKEN_COOKIE, f"/screens/{screen_id}/"), (TOKEN_API_COOKIE, f"/api/v1/screens/{screen_id}/")]


def token_from_request(request, *, query: bool = False) -> str | None:
    """The token a request presents: Bearer header, else cookie, else (when ``query``) ``?token=``."""
    header = request.headers.get("Authorization")
    if header is not None:
        return header[7:].strip() if header[:7].lower() == "bearer " else None
    cookie = request.COOKIES.get(TOKEN_API_COOKIE) or request.COOKIES.get(TOKEN_COOKIE)
    if cookie:
        return cookie
    if query and settings.SCREENS_TOKEN_IN_QUERY:
        return request.GET.get("token")
    return None


def token_cookie_set(response, request, screen_id: int, token: str) -> None:
    """Store the token in the player's cookies (page path and API path)."""
    secure = settings.SESSION_COOKIE_SECURE or request.is_secure()
    for name, path in token_cookies(screen_id):
        response.set_cookie(
            name,
            token,
            max_age=TOKEN_COOKIE_MAX_AGE,
            path=path,
            secure=secure,
            httponly=True,
            samesite="Strict",
        )

"""The one error envelope of every JSON API (search, screens, WeChat JS-SDK, a busy database).

DESIGN.md §3: a refused request answers its HTTP status with ``{"error": "<Chinese message>"}`` and
nothing else (the status is the HTTP status, not repeated in the body). Errors are never cached: the
same request may succeed a moment later (a token fixed, a database no longer busy).

It lives in ``content`` because every app may import ``content`` and no app may import a channel.
"""

from django.http import JsonResponse


def api_error(status: int, message: str, *, headers: dict[str, str] | None = None) -> JsonResponse:
    """``{"error": message}`` with ``status``, readable Chinese (not ``\\u`` escapes), ``no-store``."""
    response = JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response

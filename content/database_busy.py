"""A database that cannot take a write right now is "busy", not broken: 503 with Retry-After.
The same for a database that is restarting or briefly unreachable.

SQLite runs in WAL mode (readers never wait for a writer) with a busy timeout, and PostgreSQL with a
``lock_timeout`` (settings); a write that still cannot get its lock in that time raises
``OperationalError``. Whatever raised it — a view, a middleware saving the session, a signal — the
500 handler (``content.views.server_error``) turns it into ``busy_response``: the client is told to
come back in a few seconds, and nothing is half-written (the transaction rolled back).
"""

from django.db import OperationalError
from django.http import HttpResponse
from django.template import loader

from content.api_errors import api_error

RETRY_AFTER_SECONDS = 5
SQLITE_BUSY_MESSAGES = ("database is locked", "database table is locked", "database schema is locked")
POSTGRES_BUSY_STATES = {"55P03", "40P01", "57014"}  # lock_not_available, deadlock, query_canceled (timeouts)
# The server is restarting or unreachable (connection exceptions, "cannot connect now"): also a
# moment to retry, not a bug. Connections are health-checked, so the next request reconnects.
POSTGRES_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03"}
POSTGRES_UNAVAILABLE_MESSAGES = (
    "the connection is closed",
    "connection refused",
    "server closed the connection",
    # Refused while connecting (psycopg gives these no SQLSTATE): a restart in progress.
    "the database system is shutting down",
    "the database system is starting up",
    "the database system is in recovery mode",
)
BUSY_MESSAGE = "系统繁忙，请稍后重试"


def database_busy(exc: BaseException | None) -> bool:
    """Whether ``exc`` means "the database could not get a lock in time" or "is restarting or
    unreachable": a moment to retry, not a real failure."""
    if not isinstance(exc, OperationalError):
        return False
    state = getattr(exc.__cause__, "sqlstate", None) or ""
    if state in POSTGRES_BUSY_STATES or state in POSTGRES_UNAVAILABLE_STATES or state.startswith("08"):
        return True
    text = str(exc).lower()
    return any(message in text for message in (*SQLITE_BUSY_MESSAGES, *POSTGRES_UNAVAILABLE_MESSAGES))


def busy_response(request) -> HttpResponse:
    """503 with Retry-After: JSON for API and heartbeat clients, a self-contained page for people."""
    if request.path.startswith(("/api/", "/wechat/")):
        response = api_error(503, BUSY_MESSAGE)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response

"""Which database errors mean "busy, retry" (503) rather than a real failure (500)."""

import json

from django.db import OperationalError
from django.test import RequestFactory

from content.database_busy import busy_response, database_busy


class _PgError(Exception):
    def __init__(self, sqlstate):
        super().__init__("canceling statement due to lock timeout")
        self.sqlstate = sqlstate


def _wrapped(cause):
    try:
        raise OperationalError(str(cause)) from cause
    except OperationalError as exc:
        return exc


def test_sqlite_lock_and_postgres_lock_timeouts_are_busy():
    assert database_busy(OperationalError("database is locked"))
    assert database_busy(_wrapped(_PgError("55P03")))  # lock_timeout
    assert database_busy(_wrapped(_PgError("40P01")))  # deadlock: retrying helps


def test_a_restarting_or_unreachable_database_is_a_moment_to_retry():
    assert database_busy(_wrapped(_PgError("57P01")))  # admin shutdown (a restart)
    assert database_busy(_wrapped(_PgError("08006")))  # connection failure
    assert database_busy(OperationalError("the connection is closed"))
    # Connection attempts during a restart, as psycopg words them (no SQLSTATE), seen in bench-faults.
    for phase in ("shutting down", "starting up"):
        assert database_busy(
            OperationalError(
                'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
                f"FATAL:  the database system is {phase}"
            )
        )


def test_other_failures_are_not_busy():
    assert not database_busy(OperationalError("no such table: wagtailcore_page"))
    assert not database_busy(_wrapped(_PgError("42P01")))  # undefined table: a real bug
    assert not database_busy(ValueError("database is locked"))
    assert not database_busy(None)


def test_busy_answers_json_to_api_clients_and_a_page_to_people():
    api = busy_response(RequestFactory().post("/api/v1/screens/1/heartbeat"))
    assert api.status_code == 503 and api["Retry-After"] == "5"
    assert json.loads(api.content) == {"error": "系统繁忙，请稍后重试"}
    page = busy_response(RequestFactory().get("/articles/"))
    assert page.status_code == 503 and "系统繁忙，请稍后再试" in page.content.decode()

"""`search_sync --watch` is a long-lived process: a database restart must not end it."""

import io

import pytest
from django.core.management import call_command
from django.db import OperationalError


class _Stop(Exception):
    pass


@pytest.mark.django_db
def test_watch_survives_a_database_outage_and_carries_on(monkeypatch):
    calls = []

    def flush():
        calls.append("flush")
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return 2

    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise _Stop

    monkeypatch.setattr("search.management.commands.search_sync.search_pending_flush", flush)
    monkeypatch.setattr("search.management.commands.search_sync.time.sleep", sleep)
    out = io.StringIO()
    with pytest.raises(_Stop):
        call_command("search_sync", "--watch", "--interval", "0.01", stdout=out)
    assert calls == ["flush", "flush"]  # it kept going after the outage
    assert "已同步 2 个" in out.getvalue()


@pytest.mark.django_db
def test_a_single_run_reports_a_database_outage(monkeypatch):
    def flush():
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("search.management.commands.search_sync.search_pending_flush", flush)
    with pytest.raises(OperationalError):
        call_command("search_sync", stdout=io.StringIO())

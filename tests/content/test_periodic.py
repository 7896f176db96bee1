"""The scheduler's tick runs every registered housekeeping job; one failing job stops no other."""

import pytest
from django.core.management import call_command

from content import periodic

pytestmark = pytest.mark.django_db


def test_a_tick_runs_every_job_even_after_one_fails(monkeypatch, caplog):
    ran = []

    def broken():
        raise RuntimeError("cache unreachable")

    monkeypatch.setattr(periodic, "_jobs", {"broken": broken, "healthy": lambda: ran.append("healthy")})
    call_command("run_scheduler", "--once")
    assert ran == ["healthy"]
    assert "periodic job broken failed" in caplog.text


def test_the_apps_register_their_jobs():
    assert {"screens_reconcile"} <= set(periodic.periodic_jobs())

"""`run_worker`: heartbeats, and a database outage that does not end the process."""

import datetime as dt
import io
import logging
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import InterfaceError, OperationalError
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tasks_ops import worker as worker_module
from tasks_ops.models import TaskWorker
from tasks_ops.services import worker_heartbeat, worker_unregister


def test_heartbeat_registers_the_worker_then_moves_last_seen(db, now):
    worker_heartbeat("host-1-abc", started_at=now, now=now)
    row = TaskWorker.objects.get()
    assert (row.worker_id, row.started_at, row.last_seen, row.pid > 0, bool(row.host)) == (
        "host-1-abc",
        now,
        now,
        True,
        True,
    )
    later = now + dt.timedelta(seconds=5)
    worker_heartbeat("host-1-abc", started_at=now, now=later)
    row.refresh_from_db()
    assert (row.started_at, row.last_seen) == (now, later)


def test_heartbeat_writes_the_row_again_after_it_was_pruned(db, now):
    worker_heartbeat("host-1-abc", started_at=now, now=now)
    TaskWorker.objects.all().delete()  # pruned while this worker could not reach the database
    worker_heartbeat("host-1-abc", started_at=now, now=now + dt.timedelta(seconds=60))
    assert TaskWorker.objects.get().started_at == now
    worker_unregister("host-1-abc")
    assert not TaskWorker.objects.exists()


def test_heartbeat_beat_writes_and_recovers_orphans(running_task, now, settings):
    settings.TASKS_WORKER_LOST_AFTER_SECONDS = 30
    orphan = running_task("gone-1-abc")
    beat = worker_module.Heartbeat("host-1-abc", every=5, recover_every=30)
    beat.beat(now)
    assert TaskWorker.objects.get().last_seen == now
    orphan.refresh_from_db()
    assert orphan.status == TaskResultStatus.READY


def test_heartbeat_survives_a_database_outage_and_warns_once(db, monkeypatch, caplog):
    def down(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused\nIs it running?")

    beat = worker_module.Heartbeat("host-1-abc", every=5, recover_every=30)
    monkeypatch.setattr(worker_module, "worker_heartbeat", down)
    with caplog.at_level(logging.INFO, logger="tasks_ops"):
        for _ in range(3):
            beat.beat()
        monkeypatch.undo()
        beat.beat()
    assert [record.getMessage().split(": ", 1)[1] for record in caplog.records] == [
        "heartbeat not written, database unavailable (OperationalError: connection to server at 127.0.0.1 "
        "failed: Connection refused); trying every 5 s",
        "heartbeat written again",
    ]
    assert TaskWorker.objects.filter(worker_id="host-1-abc").exists()


def test_worker_id_is_host_pid_random_and_fits_the_library_limit():
    first, second = worker_module.worker_id_new(), worker_module.worker_id_new()
    assert first != second
    assert len(first) <= 64
    assert f"-{os.getpid()}-" in first


@pytest.fixture
def database_backend(monkeypatch):
    """run_worker refuses the immediate backend (the test settings); give it the real queue."""
    backend = DatabaseBackend(alias="default", params={"BACKEND": "django_tasks_db.DatabaseBackend"})
    monkeypatch.setattr(
        "tasks_ops.management.commands.run_worker.task_backends", {"default": backend}, raising=True
    )
    return backend


@pytest.fixture
def quiet_worker(settings, monkeypatch):
    """No heartbeat thread beats during the test (its thread would open its own connection), no
    signal handlers left behind, and no real waiting."""
    settings.TASKS_WORKER_HEARTBEAT_SECONDS = 3600
    settings.TASKS_WORKER_LOST_AFTER_SECONDS = 7200
    monkeypatch.setattr(Worker, "configure_signals", lambda self: None)
    sleeps = []
    monkeypatch.setattr(worker_module.time, "sleep", sleeps.append)
    return sleeps


def test_run_worker_refuses_the_immediate_backend(db):
    with pytest.raises(CommandError, match="TASKS_BACKEND 不是数据库队列"):
        call_command("run_worker", stdout=io.StringIO())


def test_run_worker_resumes_after_database_errors_then_stops_cleanly(
    db, database_backend, quiet_worker, running_task, monkeypatch, caplog
):
    calls = []

    def run(self):
        calls.append(self.worker_id)
        assert TaskWorker.objects.filter(worker_id=self.worker_id).exists()  # registered before the loop
        if len(calls) == 1:
            # The loop dies after running a task but before recording it: the task is still ours.
            running_task(self.worker_id, started_ago=1)
            raise OperationalError("server closed the connection unexpectedly\n\tThis probably means ...")
        if len(calls) == 2:
            raise InterfaceError("connection already closed")
        # Back: what the dead loop held is in the queue again; then a clean stop (SIGTERM when idle).

    monkeypatch.setattr(Worker, "run", run)
    with caplog.at_level(logging.WARNING, logger="tasks_ops"):
        call_command("run_worker", "--interval", "0.1", "--no-startup-delay", stdout=io.StringIO())
    assert len(calls) == 3 and len(set(calls)) == 1  # same worker, same id, resumed twice
    assert quiet_worker == [worker_module.BACKOFF_FIRST, worker_module.BACKOFF_FIRST * 2]  # bounded backoff
    assert "database unavailable (OperationalError: server closed the connection unexpectedly)" in caplog.text
    assert "database unavailable (InterfaceError: connection already closed)" in caplog.text
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    assert not TaskWorker.objects.exists()  # a clean exit removes its row


def test_run_worker_backoff_is_bounded(db, database_backend, quiet_worker, monkeypatch):
    calls = []

    def run(self):
        calls.append(1)
        if len(calls) <= 8:
            raise OperationalError("the database system is starting up")

    monkeypatch.setattr(Worker, "run", run)
    call_command("run_worker", stdout=io.StringIO())
    assert quiet_worker == [1, 2, 4, 8, 10, 10, 10, 10]


def test_run_worker_removes_its_row_when_stopped_by_a_signal(db, database_backend, quiet_worker, monkeypatch):
    def run(self):
        raise SystemExit(0)  # the library's SIGTERM handler while idle

    monkeypatch.setattr(Worker, "run", run)
    with pytest.raises(SystemExit):
        call_command("run_worker", stdout=io.StringIO())
    assert not TaskWorker.objects.exists()


def test_run_worker_passes_the_options_to_the_library_worker(db, database_backend, quiet_worker, monkeypatch):
    seen = {}

    def run(self):
        seen.update(
            queues=self.queue_names, interval=self.interval, batch=self.batch, max_tasks=self.max_tasks
        )

    monkeypatch.setattr(Worker, "run", run)
    call_command(
        "run_worker", "--queue-name", "default,wechat", "--interval", "0.5", "--batch", "--max-tasks", "7"
    )
    assert seen == {"queues": ["default", "wechat"], "interval": 0.5, "batch": True, "max_tasks": 7}

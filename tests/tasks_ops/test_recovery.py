"""A task left RUNNING by a worker that died goes back to the queue; live workers keep theirs."""

import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tasks_ops.models import TaskWorker
from tasks_ops.selectors import tasks_orphaned
from tasks_ops.services import WorkerLost, tasks_orphans_recover, worker_tasks_release


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.TASKS_WORKER_LOST_AFTER_SECONDS = 30
    settings.TASKS_MAX_ORPHAN_RECOVERIES = 3


def _status(task) -> str:
    task.refresh_from_db()
    return task.status


def test_task_of_a_worker_that_never_beat_again_goes_back_to_the_queue(running_task, now, caplog):
    task = running_task("gone-1-abc")
    with caplog.at_level(logging.WARNING, logger="tasks_ops"):
        recovered = tasks_orphans_recover(now)
    assert [orphan.result.id for orphan in recovered] == [task.id]
    task.refresh_from_db()
    assert (task.status, task.started_at, task.worker_ids) == (TaskResultStatus.READY, None, ["gone-1-abc"])
    assert list(DBTaskResult.objects.ready()) == [task]  # any worker claims it again
    assert f"task tests.tasks_ops.blocking.task_block id={task.id} put back in the queue" in caplog.text
    assert "gone-1-abc" in caplog.text


def test_task_of_a_worker_with_a_stale_heartbeat_goes_back_and_the_worker_row_is_pruned(
    running_task, worker_seen, now
):
    worker_seen("stale-1-abc", ago=31)
    task = running_task("stale-1-abc")
    assert len(tasks_orphans_recover(now)) == 1
    assert _status(task) == TaskResultStatus.READY
    assert not TaskWorker.objects.exists()


def test_task_of_a_live_worker_is_left_alone(running_task, worker_seen, now):
    worker_seen("alive-1-abc", ago=4)
    task = running_task("alive-1-abc", started_ago=3600)  # a long task: its worker still beats
    assert tasks_orphans_recover(now) == []
    assert _status(task) == TaskResultStatus.RUNNING
    assert TaskWorker.objects.filter(worker_id="alive-1-abc").exists()


def test_only_the_last_claim_counts(running_task, worker_seen, now):
    worker_seen("alive-2-abc", ago=1)
    task = running_task("gone-1-abc", "alive-2-abc")  # recovered once, claimed again by a live worker
    assert tasks_orphans_recover(now) == []
    assert _status(task) == TaskResultStatus.RUNNING


def test_task_claimed_moments_ago_is_left_alone(running_task, now):
    task = running_task("new-1-abc", started_ago=5)  # its worker may not have written a heartbeat yet
    assert tasks_orphans_recover(now) == []
    assert _status(task) == TaskResultStatus.RUNNING


def test_task_lost_more_often_than_the_limit_is_marked_failed(running_task, now, caplog):
    last_chance = running_task("a-1", "b-1", "c-1")  # recovered twice: one recovery left
    given_up = running_task("a-2", "b-2", "c-2", "d-2")  # recovered three times already
    with caplog.at_level(logging.WARNING, logger="tasks_ops"):
        tasks_orphans_recover(now)
    assert _status(last_chance) == TaskResultStatus.READY
    given_up.refresh_from_db()
    assert given_up.status == TaskResultStatus.FAILED
    assert given_up.finished_at == now
    assert given_up.exception_class_path == "tasks_ops.services.WorkerLost"
    assert "第 4 次失联" in given_up.traceback and "TASKS_MAX_ORPHAN_RECOVERIES=3" in given_up.traceback
    [error] = given_up.task_result.errors
    assert error.exception_class is WorkerLost
    assert f"id={given_up.id} failed: its worker d-2 was lost, run 4 times" in caplog.text


def test_max_recoveries_setting_is_honoured(running_task, now, settings):
    settings.TASKS_MAX_ORPHAN_RECOVERIES = 0
    task = running_task("a-1")
    tasks_orphans_recover(now)
    assert _status(task) == TaskResultStatus.FAILED


def test_two_recoverers_recover_a_task_once(running_task, now, monkeypatch):
    task = running_task("gone-1-abc")
    snapshot = tasks_orphaned(now)  # what a second recoverer read at the same moment
    assert len(tasks_orphans_recover(now)) == 1
    monkeypatch.setattr("tasks_ops.services.tasks_orphaned", lambda now: snapshot)
    assert tasks_orphans_recover(now) == []

    # Claimed again by another worker before the slow recoverer writes: its stale view changes nothing.
    task.refresh_from_db()
    task.claim("alive-2-abc")
    assert tasks_orphans_recover(now) == []
    task.refresh_from_db()
    assert (task.status, task.worker_ids) == (TaskResultStatus.RUNNING, ["gone-1-abc", "alive-2-abc"])


def test_a_task_that_finished_meanwhile_is_not_recovered(running_task, now, monkeypatch):
    task = running_task("slow-1-abc")
    snapshot = tasks_orphaned(now)
    task.set_successful(None)  # its worker was only slow, and recorded the outcome
    monkeypatch.setattr("tasks_ops.services.tasks_orphaned", lambda now: snapshot)
    assert tasks_orphans_recover(now) == []
    assert _status(task) == TaskResultStatus.SUCCESSFUL


def test_a_worker_releases_what_it_holds_after_its_loop_stopped(running_task, worker_seen, now):
    worker_seen("me-1-abc")
    mine = running_task("me-1-abc", started_ago=1)
    other = running_task("other-1-abc", started_ago=1)
    assert [orphan.result.id for orphan in worker_tasks_release("me-1-abc", now)] == [mine.id]
    assert _status(mine) == TaskResultStatus.READY
    assert _status(other) == TaskResultStatus.RUNNING


def test_recovery_costs_two_queries_when_nothing_runs(db, now, django_assert_num_queries):
    with django_assert_num_queries(2):  # running tasks; prune stale worker rows
        assert tasks_orphans_recover(now) == []


def test_tasks_recover_command_lists_without_changing_on_dry_run(running_task):
    task = running_task("gone-1-abc")
    out = StringIO()
    call_command("tasks_recover", "--dry-run", stdout=out)
    assert f"将重新排队：tests.tasks_ops.blocking.task_block id={task.id}" in out.getvalue()
    assert _status(task) == TaskResultStatus.RUNNING
    call_command("tasks_recover", stdout=out)
    assert f"已重新排队：tests.tasks_ops.blocking.task_block id={task.id}" in out.getvalue()
    assert _status(task) == TaskResultStatus.READY
    out = StringIO()
    call_command("tasks_recover", stdout=out)
    assert "没有失联任务进程留下的任务" in out.getvalue()

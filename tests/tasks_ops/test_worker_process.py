"""A task whose worker is SIGKILLed mid-run is run again by another worker, and completes once.

Real processes (tests/system/stack.py): `manage.py run_worker` on a throwaway database with the
database task queue; the task (tests/tasks_ops/blocking.py) is enqueued from a `manage.py shell`.
"""

import os
import signal

from tests.system.stack import PYTHON, Stack, process, throwaway_database, wait_until

LOST_AFTER = 3  # TASKS_WORKER_LOST_AFTER_SECONDS: short, so the test takes seconds


def _shell(stack: Stack, code: str) -> str:
    return stack.manage("shell", "-v0", "-c", code).strip()


def _lines(path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def test_task_of_a_killed_worker_runs_again_on_another_worker_and_completes_once(tmp_path):
    with throwaway_database() as database_url:
        stack = Stack(
            {
                "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
                "DEBUG": "0",
                "DATABASE_URL": database_url,
                "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
                "TASKS_WORKER_HEARTBEAT_SECONDS": "0.5",
                "TASKS_WORKER_LOST_AFTER_SECONDS": str(LOST_AFTER),
                "CACHE_DIR": str(tmp_path / "cache"),
                "MEDIA_ROOT": str(tmp_path / "media"),
                "SEARCH_BACKEND": "database",
                "LOG_LEVEL": "INFO",
            }
        )
        stack.manage("migrate", "--noinput", "-v0")
        work = tmp_path / "task"
        work.mkdir()
        (work / "hold").touch()
        worker = [PYTHON, "manage.py", "run_worker", "--interval", "0.2", "--no-startup-delay"]

        with process(worker, env=stack.env, log=tmp_path / "worker-1.log", ready_url=None) as first:
            task_id = _shell(
                stack,
                f"from tests.tasks_ops.blocking import task_block; print(task_block.enqueue({str(work)!r}).id)",
            )
            wait_until(lambda: _lines(work / "runs"), timeout=20, what="the first worker to start the task")
            os.killpg(first.pid, signal.SIGKILL)  # mid-task: no chance to record anything
            first.wait(10)
        assert _lines(work / "runs") == [str(first.pid)] and not _lines(work / "done")
        (work / "hold").unlink()  # the next run finishes at once

        log = tmp_path / "worker-2.log"
        with process(worker, env=stack.env, log=log, ready_url=None) as second:
            wait_until(lambda: _lines(work / "done"), timeout=LOST_AFTER * 5, what="the task to run again")
        assert second.returncode == 0, log.read_text()  # SIGTERM: a clean stop

        assert _lines(work / "runs") == [str(first.pid), str(second.pid)]
        assert _lines(work / "done") == [str(second.pid)]  # completed once, by the second worker
        assert f"id={task_id} put back in the queue" in log.read_text()
        state = _shell(
            stack,
            "from django_tasks_db.models import DBTaskResult; from tasks_ops.models import TaskWorker\n"
            f"task = DBTaskResult.objects.get(id={task_id!r})\n"
            "print(task.status, len(task.worker_ids), TaskWorker.objects.count())",
        )
        # Run by two workers; neither left a row (the first was pruned, the second removed its own).
        assert state.split() == ["SUCCESSFUL", "2", "0"]

"""Task worker heartbeats, and tasks orphaned by a worker that died put back in the queue.

Contract: a task claimed by a worker (django-tasks-db sets it RUNNING and appends the worker's id to
``worker_ids``) stays RUNNING until that worker records its outcome. A worker killed mid-task
(SIGKILL, OOM, a lost host) never does, so a worker is *lost* when its heartbeat row
(``TaskWorker.last_seen``) is older than ``TASKS_WORKER_LOST_AFTER_SECONDS`` or gone, and its
RUNNING tasks go back to READY for any worker to claim. Tasks must be idempotent (they are: search
sync, CAP, WeChat): a recovered task may have done part or all of its work before it was lost.

A task lost more than ``TASKS_MAX_ORPHAN_RECOVERIES`` times is marked FAILED instead (a task that
kills its worker every time must not do so forever). Each change is one conditional UPDATE on the
state that was read, so two recoverers running at once change a task once.
"""

import logging
import os
import socket
from datetime import datetime, timedelta
from traceback import format_exception

from django.conf import settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import TaskWorker
from .selectors import Orphan, tasks_held_by, tasks_orphaned

logger = logging.getLogger(__name__)

__all__ = [
    "WorkerLost",
    "tasks_orphans_recover",
    "worker_heartbeat",
    "worker_tasks_release",
    "worker_unregister",
    "workers_stale_prune",
]


class WorkerLost(Exception):
    """The error recorded on a task given up after its worker was lost too often."""


def tasks_orphans_recover(now: datetime | None = None) -> list[Orphan]:
    """Put tasks orphaned by lost workers back to READY (or FAILED, past the limit); prune the lost
    workers' rows. Returns the tasks this call changed. Cheap when nothing is running (one query)."""
    now = now or timezone.now()
    changed = [orphan for orphan in tasks_orphaned(now) if _orphan_recover(orphan, now)]
    workers_stale_prune(now)
    return changed


def worker_tasks_release(worker_id: str, now: datetime | None = None) -> list[Orphan]:
    """Put back the tasks ``worker_id`` still holds. Called by the worker itself when its run loop
    stopped on a database error: it runs none of them, but may not have been able to record how
    the last one ended."""
    now = now or timezone.now()
    return [orphan for orphan in tasks_held_by(worker_id) if _orphan_recover(orphan, now)]


def worker_heartbeat(
    worker_id: str, *, started_at: datetime | None = None, now: datetime | None = None
) -> None:
    """Record that ``worker_id`` (this process) is alive; creates its row if missing (first beat,
    or pruned while the database was unreachable)."""
    now = now or timezone.now()
    if TaskWorker.objects.filter(worker_id=worker_id).update(last_seen=now):
        return
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"last_seen": now},
        create_defaults={
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": started_at or now,
            "last_seen": now,
        },
    )


def worker_unregister(worker_id: str) -> None:
    """A worker stopping cleanly removes its row (it holds no task any more)."""
    TaskWorker.objects.filter(worker_id=worker_id).delete()


def workers_stale_prune(now: datetime | None = None) -> int:
    """Delete the rows of lost workers. A worker that was only cut off from the database writes its
    row again on its next heartbeat."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.TASKS_WORKER_LOST_AFTER_SECONDS)
    deleted, _ = TaskWorker.objects.filter(last_seen__lt=cutoff).delete()
    return deleted


def _orphan_recover(orphan: Orphan, now: datetime) -> bool:
    result = orphan.result
    # Only the claim that was read: not if its worker finished it meanwhile, another recoverer got
    # there first, or another worker has claimed it again since.
    same_claim = DBTaskResult.objects.filter(
        id=result.id,
        status=TaskResultStatus.RUNNING,
        worker_ids=result.worker_ids,
        started_at=result.started_at,
    )
    limit = settings.TASKS_MAX_ORPHAN_RECOVERIES
    if orphan.gives_up:
        error = WorkerLost(
            f"运行此任务的 worker 进程第 {orphan.runs} 次失联（被杀死或主机宕机），"
            f"已重新排队 {orphan.runs - 1} 次，达到上限 TASKS_MAX_ORPHAN_RECOVERIES={limit}，不再重试。"
            f"最后一个 worker：{orphan.lost_worker_id}"
        )
        changed = same_claim.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback="".join(format_exception(error)),
        )
        if changed:
            logger.error(
                "task %s id=%s failed: its worker %s was lost, run %d times (limit %d recoveries)",
                result.task_path,
                result.id,
                orphan.lost_worker_id,
                orphan.runs,
                limit,
            )
        return bool(changed)
    # READY with its run_after unchanged (it was due when claimed), so ready() finds it at once.
    changed = same_claim.update(status=TaskResultStatus.READY, started_at=None)
    if changed:
        logger.warning(
            "task %s id=%s put back in the queue: its worker %s was lost (run %d of at most %d)",
            result.task_path,
            result.id,
            orphan.lost_worker_id,
            orphan.runs,
            limit + 1,
        )
    return bool(changed)

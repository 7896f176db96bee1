"""Reads about task workers and the tasks they hold."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import TaskWorker


@dataclass(frozen=True)
class Orphan:
    """A RUNNING task whose worker is gone, as it was read (the snapshot a recovery must match)."""

    result: DBTaskResult
    lost_worker_id: str | None
    gives_up: bool  # run (and lost) too often: to be marked FAILED, not queued again

    @property
    def runs(self) -> int:
        """How many times a worker claimed it: each claim appends the worker's id."""
        return len(self.result.worker_ids)


def tasks_orphaned(now: datetime | None = None) -> list[Orphan]:
    """RUNNING tasks whose last worker has sent no heartbeat for ``TASKS_WORKER_LOST_AFTER_SECONDS``
    (its row is stale or gone) and that started longer ago than that.

    Two queries at most, one when nothing is running. The age condition keeps a task just claimed
    by a worker whose first heartbeat is not written yet out of it.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.TASKS_WORKER_LOST_AFTER_SECONDS)
    running = _running(DBTaskResult.objects.running().filter(started_at__lt=cutoff))
    if not running:
        return []
    alive = set(
        TaskWorker.objects.filter(
            worker_id__in={_last_worker(result) for result in running} - {None}, last_seen__gte=cutoff
        ).values_list("worker_id", flat=True)
    )
    return [_orphan(result) for result in running if _last_worker(result) not in alive]


def tasks_held_by(worker_id: str) -> list[Orphan]:
    """RUNNING tasks last claimed by ``worker_id``, whatever their age. Only the worker itself may
    call them orphans: when its run loop has stopped, it is running none of them."""
    running = _running(DBTaskResult.objects.running())
    return [_orphan(result) for result in running if _last_worker(result) == worker_id]


def _running(queryset) -> list[DBTaskResult]:
    return list(queryset.only("id", "status", "task_path", "worker_ids", "started_at").order_by("started_at"))


def _last_worker(result: DBTaskResult) -> str | None:
    return result.worker_ids[-1] if result.worker_ids else None


def _orphan(result: DBTaskResult) -> Orphan:
    runs = len(result.worker_ids)
    return Orphan(
        result=result,
        lost_worker_id=_last_worker(result),
        gives_up=runs > settings.TASKS_MAX_ORPHAN_RECOVERIES,
    )

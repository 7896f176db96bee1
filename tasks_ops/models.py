"""Live task workers: one row per running ``manage.py run_worker``, kept fresh by its heartbeat."""

from django.db import models


class TaskWorker(models.Model):
    """A task worker process. ``worker_id`` is what django-tasks-db writes into a task's
    ``worker_ids`` when the worker claims it; a task whose last worker has no recent ``last_seen``
    was orphaned (``tasks_ops.services.tasks_orphans_recover``)."""

    worker_id = models.CharField("worker 编号", max_length=64, unique=True)
    host = models.CharField("主机名", max_length=255)
    pid = models.PositiveIntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    last_seen = models.DateTimeField("最近心跳", db_index=True)

    class Meta:
        verbose_name = "任务进程"
        verbose_name_plural = "任务进程"
        ordering = ["started_at"]

    def __str__(self) -> str:
        return self.worker_id

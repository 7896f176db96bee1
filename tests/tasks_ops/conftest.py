import datetime as dt
import uuid

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from tasks_ops.models import TaskWorker


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def running_task(db, now):
    """A task some worker claimed ``started_ago`` seconds before ``now``; ``worker_ids`` in claim order."""

    def make(*worker_ids: str, started_ago: float = 120) -> DBTaskResult:
        return DBTaskResult.objects.create(
            status=TaskResultStatus.RUNNING,
            task_path="tests.tasks_ops.blocking.task_block",
            args_kwargs={"args": ["/nonexistent"], "kwargs": {}},
            backend_name="default",
            run_after=get_date_max(),
            started_at=now - dt.timedelta(seconds=started_ago),
            worker_ids=list(worker_ids) or [f"host-1-{uuid.uuid4().hex[:8]}"],
            exception_class_path="",
            traceback="",
        )

    return make


@pytest.fixture
def worker_seen(db, now):
    """A worker row whose last heartbeat was ``ago`` seconds before ``now``."""

    def make(worker_id: str, *, ago: float = 1) -> TaskWorker:
        seen = now - dt.timedelta(seconds=ago)
        return TaskWorker.objects.create(
            worker_id=worker_id, host="host", pid=1, started_at=seen - dt.timedelta(hours=1), last_seen=seen
        )

    return make

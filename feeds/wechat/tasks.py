"""WeChat work as tasks; both are idempotent and safe to retry."""

import time
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .services import wechat_publish_check, wechat_push_run


@task()
def wechat_push_task(push_id: int) -> None:
    """Idempotent: finished steps of the push are skipped when it runs again."""
    wechat_push_run(push_id)


@task()
def wechat_publish_check_task(push_id: int, attempt: int) -> None:
    """Idempotent: does nothing once the push has left 发布中."""
    wechat_publish_check(push_id, attempt)


def wechat_publish_check_later(push_id: int, attempt: int, delay: float) -> None:
    """Check again after ``delay`` seconds: a deferred task on a real queue. The immediate backend
    (development, tests) has no queue to wait in, so there the check runs after a short sleep."""
    if wechat_publish_check_task.get_backend().supports_defer:
        run_after = timezone.now() + timedelta(seconds=delay)
        wechat_publish_check_task.using(run_after=run_after).enqueue(push_id, attempt)
        return
    time.sleep(delay)
    wechat_publish_check_task.enqueue(push_id, attempt)

from django_tasks import task

from .services import wechat_push_run


@task()
def wechat_push_task(push_id: int) -> None:
    """Idempotent: finished steps of the push are skipped when it runs again."""
    wechat_push_run(push_id)

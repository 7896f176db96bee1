from django_tasks import task

from editorial.recheck import published_recheck


@task()
def published_recheck_task() -> None:
    """Idempotent: brings the published-content report up to the current word list."""
    published_recheck()

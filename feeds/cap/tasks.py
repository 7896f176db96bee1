"""CAP recording as tasks: enqueued after the publishing transaction commits, run by the task worker.

Both are idempotent and safe to retry or to run out of order: each reads the page's state when it
runs (an Alert/Update only for a live, public page whose announcement changed; a Cancel only for
an open series), so a retry or a late run records nothing twice.
"""

from django_tasks import task

from . import services


@task()
def cap_publication_record_task(page_id: int) -> None:
    services.emergency_published_record(page_id)


@task()
def cap_withdrawal_record_task(page_id: int) -> None:
    services.emergency_withdrawn_record(page_id)

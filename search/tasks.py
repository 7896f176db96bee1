from django_tasks import task

from .documents import search_document_sync


@task()
def search_document_sync_task(page_id: int) -> None:
    """Idempotent: makes search agree with the page's current state, however often it runs."""
    search_document_sync(page_id)

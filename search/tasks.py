from django_tasks import task

from .documents import search_document_sync, search_pending_flush


@task()
def search_document_sync_task(page_id: int) -> None:
    """Idempotent: makes search agree with the page's current state, however often it runs."""
    search_document_sync(page_id)


@task()
def search_pending_flush_task() -> None:
    """Idempotent: replays whatever engine writes are still queued (none: nothing to do)."""
    search_pending_flush()

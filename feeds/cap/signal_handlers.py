"""Emergency publications and withdrawals become CAP messages: a task enqueued once the
transaction commits (``tasks.py``), so recording never blocks or undoes the publication itself.
``manage.py cap_sync`` repairs the history after a failure.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from content.models import EmergencyPage

from .tasks import cap_publication_record_task, cap_withdrawal_record_task


def on_emergency_published(sender, instance, **kwargs):
    page_id = instance.pk
    transaction.on_commit(lambda: cap_publication_record_task.enqueue(page_id), robust=True)


def on_emergency_withdrawn(sender, instance, **kwargs):
    page_id = instance.pk
    transaction.on_commit(lambda: cap_withdrawal_record_task.enqueue(page_id), robust=True)


def register_signal_handlers():
    page_published.connect(on_emergency_published, sender=EmergencyPage, dispatch_uid="cap_published")
    page_unpublished.connect(on_emergency_withdrawn, sender=EmergencyPage, dispatch_uid="cap_unpublished")
    post_delete.connect(on_emergency_withdrawn, sender=EmergencyPage, dispatch_uid="cap_deleted")

"""Emergency publications and withdrawals become CAP messages once the transaction commits.

``robust`` callbacks: a failure is logged and never undoes or blocks the publication itself
(``manage.py cap_sync`` repairs the history).
"""

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from content.models import EmergencyPage

from . import services


def on_emergency_published(sender, instance, **kwargs):
    page_id = instance.pk
    transaction.on_commit(lambda: services.emergency_published_record(page_id), robust=True)


def on_emergency_withdrawn(sender, instance, **kwargs):
    page_id = instance.pk
    transaction.on_commit(lambda: services.emergency_withdrawn_record(page_id), robust=True)


def register_signal_handlers():
    page_published.connect(on_emergency_published, sender=EmergencyPage, dispatch_uid="cap_published")
    page_unpublished.connect(on_emergency_withdrawn, sender=EmergencyPage, dispatch_uid="cap_unpublished")
    post_delete.connect(on_emergency_withdrawn, sender=EmergencyPage, dispatch_uid="cap_deleted")

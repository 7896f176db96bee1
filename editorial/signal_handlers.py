"""Every publish (editor, workflow approval, import, scheduled go-live) keeps the page's entry in the
published-content report current, so the report only needs a re-check when the list changes."""

import logging

from django.db import transaction
from wagtail.signals import page_published

from editorial.recheck import content_page_models, published_record

logger = logging.getLogger(__name__)


def page_published_record(sender, instance, **kwargs):
    if sender not in content_page_models():
        return

    def record():
        try:
            published_record(instance)
        except Exception:  # the report is a convenience: publishing must never fail for it
            logger.exception("editorial: could not record the published check of page %s", instance.pk)

    transaction.on_commit(record)


def connect():
    page_published.connect(page_published_record, dispatch_uid="editorial_page_published_record")

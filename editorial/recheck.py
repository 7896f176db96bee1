"""Re-checking published content against the list as it is now (the report; lists change)."""

import logging

from django.db import transaction

from content.models.base import BasePage
from editorial.engine import current_list
from editorial.models import PublishedCheck
from editorial.places import page_places

logger = logging.getLogger(__name__)

BATCH = 200


def content_page_models():
    return [model for model in BasePage.__subclasses__() if not model._meta.abstract]


def published_record(page, word_list=None) -> bool:
    """Check one live page as the public sees it and keep the result; True when it hits the list."""
    word_list = word_list or current_list()
    result = word_list.check(page_places(page))
    PublishedCheck.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "list_version": word_list.version,
            "revision_id": page.live_revision_id,
            **PublishedCheck.fields_of(result),
        },
    )
    return bool(result.hits)


def published_recheck(*, only_stale: bool = True) -> dict:
    """Check every live content page whose stored result is for another list version (or all).

    The page row holds the live version's fields, so this checks what the public sees, not drafts."""
    word_list = current_list()
    version = word_list.version
    counts = {"checked": 0, "with_hits": 0}
    for model in content_page_models():
        pages = model.objects.live().order_by("pk")
        if only_stale:
            fresh = PublishedCheck.objects.filter(list_version=version).values("page_id")
            pages = pages.exclude(pk__in=fresh)
        last_pk = 0
        while True:
            batch = list(pages.filter(pk__gt=last_pk)[:BATCH])
            if not batch:
                break
            last_pk = batch[-1].pk
            with transaction.atomic():
                for page in batch:
                    counts["with_hits"] += published_record(page, word_list)
                    counts["checked"] += 1
    logger.info("editorial: re-checked %(checked)d published pages, %(with_hits)d with hits", counts)
    return counts


def stale_count() -> int:
    """Live content pages not yet checked against the current list version."""
    version = current_list().version
    fresh = PublishedCheck.objects.filter(list_version=version).values("page_id")
    return sum(model.objects.live().exclude(pk__in=fresh).count() for model in content_page_models())

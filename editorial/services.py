"""Checking pages, the rule for going public, and what is recorded about it."""

import logging

from django.utils import timezone
from wagtail.log_actions import log

from editorial.engine import CheckResult, Place, text_check
from editorial.models import PageCheck
from editorial.places import page_places

logger = logging.getLogger(__name__)

CONFIRM_FIELD = "wordcheck_confirm"  # the checkbox in the editor's 错敏词检查 panel
CONFIRM_LOG_ACTION = "editorial.confirm_warnings"
MAX_LISTED = 5  # hits named in one error message; the panel lists them all


def page_check(page, *, topics=None) -> CheckResult:
    """Check everything the page shows; ``topics`` replaces the saved tags (an edit form's own)."""
    places = page_places(page)
    if topics is not None:
        places = [place for place in places if place.key != "topics"]
        names = [str(name) for name in topics]
        if names:
            places.append(Place("topics", "主题", "\n".join(names)))
    return text_check(places)


def hit_line(hit) -> str:
    fix = f"，建议：{hit.term.suggestion}" if hit.term.suggestion else ""
    return f"“{hit.matched}”（{hit.position}{fix}）"


def _listed(hits) -> str:
    shown = "；".join(hit_line(hit) for hit in hits[:MAX_LISTED])
    return shown + (f"；等共 {len(hits)} 处" if len(hits) > MAX_LISTED else "")


def going_public_errors(result: CheckResult, confirmed_key: str) -> list[str]:
    """Why the page may not be submitted for review or published yet ([] when it may).

    A 禁用 hit always stops it. 警告 hits need the editor's confirmation of exactly this set of
    expressions (``CheckResult.warning_key``): a new warning added after confirming asks again."""
    errors = []
    if result.blocked:
        errors.append(
            f"有 {len(result.blocked)} 处禁用词，改正后才能提交审核或发布：{_listed(result.blocked)}"
        )
    if result.warnings and confirmed_key != result.warning_key:
        errors.append(
            f"有 {len(result.warnings)} 处警告词，请在“错敏词检查”中逐条核对并勾选确认后再提交：{_listed(result.warnings)}"
        )
    return errors


def check_record(
    page, result: CheckResult, *, user=None, confirmed: bool = False, action: str = ""
) -> PageCheck:
    """Keep the check of the page's newest draft; a confirmation is logged in the page history."""
    now = timezone.now()
    check, _ = PageCheck.objects.get_or_create(page_id=page.pk)
    check.revision_id = page.latest_revision_id
    for name, value in PageCheck.fields_of(result).items():
        setattr(check, name, value)
    check.warning_key = result.warning_key
    if confirmed and result.warnings:
        check.confirmed_key = result.warning_key
        check.confirmed_by = user if getattr(user, "pk", None) else None
        check.confirmed_at = now
        log(
            instance=page,
            action=CONFIRM_LOG_ACTION,
            user=user if getattr(user, "pk", None) else None,
            data={"terms": result.warning_terms, "count": len(result.warnings), "action": action},
        )
    check.save()
    return check

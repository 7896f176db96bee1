"""Read-side queries for the 错敏词 checks (used by the dashboard and the report)."""

from dataclasses import dataclass, field

from django.db.models import F

from editorial.models import PageCheck


@dataclass
class AwaitingConfirmation:
    """A page whose latest draft has 警告 hits that nobody has confirmed yet."""

    page: object  # the specific Page
    terms: list[str] = field(default_factory=list)  # the 警告 expressions found, in order of first place


def pages_awaiting_confirmation(limit: int = 10) -> tuple[int, list[AwaitingConfirmation]]:
    """(total, first `limit` pages) with unconfirmed 警告 hits, newest check first."""
    checks = PageCheck.objects.filter(warnings__gt=0).exclude(confirmed_key=F("warning_key"))
    total = checks.count()
    rows = list(checks.select_related("page").order_by("-checked_at")[:limit]) if total else []
    found = []
    for check in rows:
        terms = list(dict.fromkeys(hit["phrase"] for hit in check.hits if hit.get("level") == "warn"))
        found.append(AwaitingConfirmation(page=check.page.specific_deferred, terms=terms))
    return total, found

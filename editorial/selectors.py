"""Read-side queries for the 错敏词 checks (used by the dashboard and the report)."""

from dataclasses import dataclass, field


@dataclass
class AwaitingConfirmation:
    """A page whose latest draft has 警告 hits that nobody has confirmed yet."""

    page: object  # the specific Page
    terms: list[str] = field(default_factory=list)  # the 警告 expressions found, in order of first place


def pages_awaiting_confirmation(limit: int = 10) -> tuple[int, list[AwaitingConfirmation]]:
    """(total, first `limit` pages) with unconfirmed 警告 hits, newest edit first."""
    return 0, []

"""When an emergency's search document is in force: content.emergency's rule, for search.

A window is [effective_from, expires_at) — ``content.emergency.emergency_window_state`` is the
rule and ``window_q`` its database form. Search keeps the window on ``SearchDocument`` and needs
the rule twice: in Python (the database engine's ranking, the status of each result, always
computed at query time so a warning indexed while in force shows as expired once its window
closes) and as an Elasticsearch filter. Both live here; nothing else in search compares a
window with the clock.
"""

from datetime import datetime

from content.emergency import ACTIVE, emergency_window_state

EMERGENCY_KIND = "emergency"


def document_window_status(kind: str, effective_from, expires_at, now: datetime) -> str | None:
    """active / upcoming / expired for an emergency document with a window, else None."""
    if kind != EMERGENCY_KIND or effective_from is None or expires_at is None:
        return None
    return emergency_window_state(effective_from, expires_at, now)


def document_in_force(kind: str, effective_from, expires_at, now: datetime) -> bool:
    return document_window_status(kind, effective_from, expires_at, now) == ACTIVE


def es_in_force_filter(*, kind_field: str, effective_from_field: str, expires_at_field: str, now) -> list:
    """``document_in_force`` as Elasticsearch filter clauses: an emergency with
    effective_from <= now < expires_at (the same as ``window_q(ACTIVE, now)``)."""
    moment = now.isoformat()
    return [
        {"term": {kind_field: EMERGENCY_KIND}},
        {"range": {effective_from_field: {"lte": moment}}},
        {"range": {expires_at_field: {"gt": moment}}},
    ]

"""When an emergency's search document is in force: content.emergency's rule, for search.

A window is [effective_from, expires_at) — ``content.emergency.WINDOW_BOUNDS`` is the rule,
``emergency_window_state`` its Python form and ``window_q`` its database form. Search keeps the
window on ``SearchDocument`` and needs the rule twice: in Python (the database engine's ranking,
the status of each result, always computed at query time so a warning indexed while in force
shows as expired once its window closes) and as an Elasticsearch filter, built from the same
bounds. Both live here; nothing else in search compares a window with the clock.
"""

from datetime import datetime

from content.emergency import ACTIVE, WINDOW_BOUNDS, emergency_window_state
from content.types import EMERGENCY

EMERGENCY_KIND = EMERGENCY.key


def document_window_status(kind: str, effective_from, expires_at, now: datetime) -> str | None:
    """active / upcoming / expired for an emergency document with a window, else None."""
    if kind != EMERGENCY_KIND or effective_from is None or expires_at is None:
        return None
    return emergency_window_state(effective_from, expires_at, now)


def document_in_force(kind: str, effective_from, expires_at, now: datetime) -> bool:
    return document_window_status(kind, effective_from, expires_at, now) == ACTIVE


def es_in_force_filter(*, kind_field: str, effective_from_field: str, expires_at_field: str, now) -> list:
    """``document_in_force`` as Elasticsearch filter clauses: an emergency with
    effective_from <= now < expires_at (``WINDOW_BOUNDS[ACTIVE]``, as ``window_q(ACTIVE, now)``)."""
    fields = {"effective_from": effective_from_field, "expires_at": expires_at_field}
    moment = now.isoformat()
    return [
        {"term": {kind_field: EMERGENCY_KIND}},
        *({"range": {fields[name]: {op: moment}}} for name, op in WINDOW_BOUNDS[ACTIVE]),
    ]

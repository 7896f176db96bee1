"""When a screen schedule or pin applies: pure functions of the window and ``now``.

A window has optional weekdays ("12345"), a daily time range (which may cross midnight) and an
inclusive date range. Blank parts mean "always". A range that crosses midnight belongs to the day
it starts on: Friday 22:00–02:00 covers Friday night and the first two hours of Saturday.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def _day_matches(window, day: date) -> bool:
    if window.weekdays and str(day.isoweekday()) not in window.weekdays:
        return False
    if window.start_date and day < window.start_date:
        return False
    if window.end_date and day > window.end_date:
        return False
    return True


def window_contains(window, now: datetime) -> bool:
    """Is ``now`` (any timezone) inside the window, read in the site's local time?"""
    local = timezone.localtime(now)
    start, end = window.start_time, window.end_time
    today = local.date()
    if start is None or end is None:
        return _day_matches(window, today)
    clock = local.time()
    if start < end:
        return start <= clock < end and _day_matches(window, today)
    # Crosses midnight: the evening part belongs to today, the early-morning part to yesterday.
    if clock >= start:
        return _day_matches(window, today)
    if clock < end:
        return _day_matches(window, today - timedelta(days=1))
    return False


def window_next_change(window, now: datetime) -> datetime | None:
    """The earliest instant after ``now`` at which ``window_contains`` may change, or None if never.

    Membership only changes at a daily start or end time, at midnight (weekday and date bounds),
    so the candidates are those instants today and tomorrow.
    """
    if not (window.weekdays or window.start_time or window.start_date or window.end_date):
        return None
    local = timezone.localtime(now)
    tz = local.tzinfo
    candidates = []
    for offset in (0, 1, 2):
        day = local.date() + timedelta(days=offset)
        for moment in (time(0, 0), window.start_time, window.end_time):
            if moment is not None:
                candidates.append(datetime.combine(day, moment, tzinfo=tz))
    later = [c for c in candidates if c > local]
    return min(later) if later else None

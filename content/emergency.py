"""The emergency domain: vocabulary, the one rule for when a warning is in force, and the
takeover rule for screens.

Levels follow the Emergency Response Law (突发事件应对法): 红/橙/黄/蓝 = 一/二/三/四级.

Contract:
- A window is [effective_from, expires_at): in force from the first instant, expired at the last.
- ``WINDOW_BOUNDS`` is the rule, written once; ``emergency_window_state`` reads it in Python,
  ``window_q`` builds the database filter from it (for querysets of ``EmergencyPage`` or, with
  ``prefix="emergencypage__"``, of ``Page``), and ``search.windows`` the Elasticsearch filter.
  Nothing else compares ``effective_from`` or ``expires_at`` with the clock.
- Red and orange (一级/二级) take over screens; yellow and blue lead the playlist with a warning
  frame. An editor can force or suppress takeover per warning (``takeover_applies``).
"""

import operator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, IntegerField, Q, TextChoices, Value, When


class Hazard(TextChoices):
    FLOOD = "flood", "洪涝"
    TYPHOON = "typhoon", "台风"
    RAINSTORM = "rainstorm", "暴雨"
    HEATWAVE = "heatwave", "高温"
    COLD_WAVE = "cold_wave", "寒潮"
    EARTHQUAKE = "earthquake", "地震"
    FIRE = "fire", "火灾"
    EPIDEMIC = "epidemic", "传染病疫情"
    GEOLOGICAL = "geological", "地质灾害"
    CHEMICAL = "chemical", "危险化学品"


HAZARD_CHOICES = Hazard.choices
HAZARD_LABELS = dict(HAZARD_CHOICES)


@dataclass(frozen=True)
class Severity:
    key: str
    label: str  # 红色
    level: str  # 一级
    colour: str  # background colour on the portal and screens
    text_colour: str  # readable foreground on that background
    rank: int  # higher = more severe
    takes_over: bool  # takes over screens by default (一级/二级)


SEVERITIES = {
    s.key: s
    for s in [
        Severity("blue", "蓝色", "四级", "#1565c0", "#ffffff", 1, False),
        Severity("yellow", "黄色", "三级", "#f9c80e", "#1a1a1a", 2, False),
        Severity("orange", "橙色", "二级", "#ef6c00", "#ffffff", 3, True),
        Severity("red", "红色", "一级", "#c62828", "#ffffff", 4, True),
    ]
}
# The model field's choices, from the registry above (blue … red): 红色（一级）.
SeverityLevel = TextChoices(
    "SeverityLevel", [(s.key.upper(), (s.key, f"{s.label}（{s.level}）")) for s in SEVERITIES.values()]
)
SEVERITY_CHOICES = SeverityLevel.choices

ACTIVE, UPCOMING, EXPIRED = "active", "upcoming", "expired"
WINDOW_STATES = (ACTIVE, UPCOMING, EXPIRED)
WINDOW_STATE_LABELS = {ACTIVE: "生效中", UPCOMING: "未生效", EXPIRED: "已过期"}


class Takeover(TextChoices):
    AUTO = "auto", "按预警级别（红色、橙色接管大屏）"
    FORCE = "force", "强制接管大屏"
    SUPPRESS = "suppress", "不接管，加入节目单并加预警边框"


TAKEOVER_AUTO, TAKEOVER_FORCE, TAKEOVER_SUPPRESS = (
    Takeover.AUTO.value,
    Takeover.FORCE.value,
    Takeover.SUPPRESS.value,
)
TAKEOVER_CHOICES = Takeover.choices


# Each state as (field, comparison of the field with now): in force while effective_from <= now
# < expires_at. The comparisons are named as Django lookups and Elasticsearch ranges both name them.
WINDOW_BOUNDS = {
    ACTIVE: (("effective_from", "lte"), ("expires_at", "gt")),
    UPCOMING: (("effective_from", "gt"),),
    EXPIRED: (("expires_at", "lte"),),
}
_COMPARISONS = {"lte": operator.le, "gt": operator.gt}


def emergency_window_state(effective_from: datetime, expires_at: datetime, now: datetime) -> str:
    """Where ``now`` falls in the window [effective_from, expires_at)."""
    values = {"effective_from": effective_from, "expires_at": expires_at}
    for state in (UPCOMING, EXPIRED):
        if all(_COMPARISONS[op](values[name], now) for name, op in WINDOW_BOUNDS[state]):
            return state
    return ACTIVE


def emergency_is_active(page, now: datetime) -> bool:
    """An emergency is active when it is live and ``now`` is inside its window."""
    return bool(page.live) and (emergency_window_state(page.effective_from, page.expires_at, now) == ACTIVE)


def window_q(state: str, now: datetime, prefix: str = "") -> Q:
    """``emergency_window_state(...) == state`` as a filter; ``prefix`` reaches the fields through a join."""
    if state not in WINDOW_BOUNDS:
        raise ValueError(f"unknown window state {state!r}")
    return Q(**{f"{prefix}{name}__{op}": now for name, op in WINDOW_BOUNDS[state]})


def window_rank_expression(now: datetime, prefix: str = "") -> Case:
    """0 for in force, 1 upcoming, 2 expired: ``order_by`` it to list warnings in force first."""
    return Case(
        When(window_q(ACTIVE, now, prefix), then=Value(0)),
        When(window_q(UPCOMING, now, prefix), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def severity_rank_expression(prefix: str = "") -> Case:
    """The severity's rank (red 4 … blue 1) as a database expression, for ordering."""
    return Case(
        *(When(**{f"{prefix}severity": s.key}, then=Value(s.rank)) for s in SEVERITIES.values()),
        default=Value(0),
        output_field=IntegerField(),
    )


def takeover_applies(severity: str, mode: str) -> bool:
    """Whether a warning in force takes over its districts' screens."""
    if mode == TAKEOVER_FORCE:
        return True
    if mode == TAKEOVER_SUPPRESS:
        return False
    level = SEVERITIES.get(severity)
    return bool(level and level.takes_over)

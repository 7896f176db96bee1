"""Emergency vocabulary and the one pure rule for when an emergency is in force.

Levels follow the Emergency Response Law (突发事件应对法): 红/橙/黄/蓝 = 一/二/三/四级.
"""

from dataclasses import dataclass
from datetime import datetime

HAZARD_CHOICES = [
    ("flood", "洪涝"),
    ("typhoon", "台风"),
    ("rainstorm", "暴雨"),
    ("heatwave", "高温"),
    ("cold_wave", "寒潮"),
    ("earthquake", "地震"),
    ("fire", "火灾"),
    ("epidemic", "传染病疫情"),
    ("geological", "地质灾害"),
    ("chemical", "危险化学品"),
]


@dataclass(frozen=True)
class Severity:
    key: str
    label: str  # 红色预警
    level: str  # 一级
    colour: str  # background colour on the portal and screens
    text_colour: str  # readable foreground on that background
    rank: int  # higher = more severe


SEVERITIES = {
    s.key: s
    for s in [
        Severity("blue", "蓝色", "四级", "#1565c0", "#ffffff", 1),
        Severity("yellow", "黄色", "三级", "#f9c80e", "#1a1a1a", 2),
        Severity("orange", "橙色", "二级", "#ef6c00", "#ffffff", 3),
        Severity("red", "红色", "一级", "#c62828", "#ffffff", 4),
    ]
}
SEVERITY_CHOICES = [(s.key, f"{s.label}（{s.level}）") for s in SEVERITIES.values()]

ACTIVE, UPCOMING, EXPIRED = "active", "upcoming", "expired"
WINDOW_STATE_LABELS = {ACTIVE: "生效中", UPCOMING: "未生效", EXPIRED: "已过期"}


def emergency_window_state(effective_from: datetime, expires_at: datetime, now: datetime) -> str:
    """Where ``now`` falls in the window [effective_from, expires_at)."""
    if now < effective_from:
        return UPCOMING
    if now >= expires_at:
        return EXPIRED
    return ACTIVE


def emergency_is_active(page, now: datetime) -> bool:
    """An emergency is active when it is live and ``now`` is inside its window."""
    return bool(page.live) and (emergency_window_state(page.effective_from, page.expires_at, now) == ACTIVE)

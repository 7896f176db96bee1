"""The warning of an emergency page as one value, and the one place it is rendered.

Every channel shows a warning the same way: level and colour, hazard, districts, window (always
with the year), status at ``now`` (生效中 / 未生效 / 已过期) and what to do. Build the value with
``warning_of(page)`` from a page loaded by ``content.selectors`` (regions prefetched), then pick
the format the channel needs:

- ``warning_html``  — the box as HTML: CSS classes for the portal; ``inline_styles=True`` for
  places that keep no stylesheet (WeChat articles); syndication uses the classes-only form.
- ``warning_text``  — plain text (WeChat replies, logs, screen captions).
- ``warning_dict``  — JSON-ready (screen feeds, JSON Feed ``_kepu``, the search API).
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.html import format_html, format_html_join

from .emergency import (
    HAZARD_LABELS,
    SEVERITIES,
    WINDOW_STATE_LABELS,
    Severity,
    emergency_window_state,
    takeover_applies,
)

WHOLE_CITY = "鄂州市"


def warning_name(hazard: str, severity: str) -> str:
    """暴雨红色预警: a warning is named by its hazard and its level (unknown parts degrade gently)."""
    level = SEVERITIES.get(severity)
    return f"{HAZARD_LABELS.get(hazard, '突发事件')}{level.label if level else ''}预警"


def date_with_year(moment: datetime) -> str:
    """``2026年6月30日 20:00`` in local time: a warning's dates always carry the year."""
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


@dataclass(frozen=True)
class EmergencyWarning:
    page_id: int
    title: str
    url: str  # site-relative
    severity: Severity
    hazard: str
    regions: tuple  # region names
    effective_from: datetime
    expires_at: datetime
    instructions: tuple  # lines, without editors' numbering
    takeover_mode: str

    @property
    def hazard_label(self) -> str:
        return HAZARD_LABELS.get(self.hazard, "突发事件")

    @property
    def headline(self) -> str:
        """暴雨红色预警: the hazard and the level, as Chinese warnings are named."""
        return warning_name(self.hazard, self.severity.key)

    @property
    def regions_text(self) -> str:
        return "、".join(self.regions) or WHOLE_CITY

    @property
    def window_text(self) -> str:
        return f"{date_with_year(self.effective_from)} 至 {date_with_year(self.expires_at)}"

    @property
    def takes_over(self) -> bool:
        """Takes over its districts' screens while in force (red/orange, unless an editor decided)."""
        return takeover_applies(self.severity.key, self.takeover_mode)

    def status(self, now: datetime) -> str:
        return emergency_window_state(self.effective_from, self.expires_at, now)

    def status_label(self, now: datetime) -> str:
        return WINDOW_STATE_LABELS[self.status(now)]


def warning_of(page) -> EmergencyWarning:
    """The warning of an ``EmergencyPage`` (its regions should be prefetched)."""
    return EmergencyWarning(
        page_id=page.pk,
        title=page.title,
        url=page.url or "",
        severity=SEVERITIES[page.severity],
        hazard=page.hazard,
        regions=tuple(r.name for r in page.regions.all()),
        effective_from=page.effective_from,
        expires_at=page.expires_at,
        instructions=tuple(page.instruction_lines),
        takeover_mode=page.takeover,
    )


def warning_text(warning: EmergencyWarning, *, now: datetime) -> str:
    """Plain text: headline with status, title, districts, window, numbered instructions."""
    lines = [
        f"【{warning.headline}·{warning.status_label(now)}】{warning.title}",
        f"影响区域：{warning.regions_text}",
        f"有效时间：{warning.window_text}",
    ]
    lines += [f"{n}. {line}" for n, line in enumerate(warning.instructions, 1)]
    return "\n".join(lines)


def warning_dict(warning: EmergencyWarning, *, now: datetime) -> dict:
    """JSON-ready fields of a warning; times are ISO 8601 with the +08:00 offset."""
    status = warning.status(now)
    return {
        "severity": warning.severity.key,
        "label": f"{warning.severity.label}预警",
        "level": warning.severity.level,
        "colour": warning.severity.colour,
        "text_colour": warning.severity.text_colour,
        "hazard": warning.hazard,
        "hazard_label": warning.hazard_label,
        "headline": warning.headline,
        "regions": list(warning.regions),
        "effective_from": timezone.localtime(warning.effective_from).isoformat(),
        "expires_at": timezone.localtime(warning.expires_at).isoformat(),
        "window": warning.window_text,
        "status": status,
        "status_label": WINDOW_STATE_LABELS[status],
        "takeover": warning.takes_over,
        "instructions": list(warning.instructions),
    }


def _style(inline_styles: bool, css: str) -> str:
    return format_html(' style="{}"', css) if inline_styles else ""


def warning_html(warning: EmergencyWarning, *, now: datetime, inline_styles: bool = False) -> str:
    """The warning box. Class names for the portal's stylesheet; ``inline_styles`` adds the colours
    and spacing as ``style`` attributes for readers that drop stylesheets (WeChat)."""
    sev = warning.severity
    status = warning.status(now)
    box = _style(
        inline_styles,
        f"background:{sev.colour};color:{sev.text_colour};padding:12px 14px;margin:0 0 16px;border-radius:4px;",
    )
    head = _style(inline_styles, f"font-size:18px;font-weight:bold;margin:0 0 6px;color:{sev.text_colour};")
    meta = _style(inline_styles, f"font-size:15px;margin:0 0 4px;color:{sev.text_colour};")
    steps = ""
    if warning.instructions:
        steps = format_html(
            '<p class="warning-steps-title"{}>防范指引</p><ol class="warning-steps"{}>{}</ol>',
            meta,
            meta,
            format_html_join("", "<li>{}</li>", ((line,) for line in warning.instructions)),
        )
    return format_html(
        '<section class="warning-box warning-{} warning-status-{}"{}>'
        '<p class="warning-headline"{}>{} · {} · <span class="warning-status">{}</span></p>'
        '<p class="warning-title"{}>{}</p>'
        '<p class="warning-meta"{}>影响区域：{}</p>'
        '<p class="warning-meta"{}>有效时间：{}</p>'
        "{}</section>",
        sev.key,
        status,
        box,
        head,
        warning.headline,
        sev.level,
        WINDOW_STATE_LABELS[status],
        meta,
        warning.title,
        meta,
        warning.regions_text,
        meta,
        warning.window_text,
        steps,
    )

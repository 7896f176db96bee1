from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from content.emergency import ACTIVE
from content.selectors import banner_warnings, section_list
from content.types import EMERGENCY

BANNER_SHOWN = 2  # warnings shown in the banner; the rest behind "查看全部 N 条"


@dataclass(frozen=True)
class WarningBanner:
    """The site-wide banner: every warning in force (``EmergencyWarning`` values, most severe first),
    the first ``BANNER_SHOWN`` of them shown, and the emergency section filtered to warnings in force."""

    warnings: tuple
    all_url: str  # "" when there is no live emergency section

    def __bool__(self) -> bool:
        return bool(self.warnings)

    @property
    def count(self) -> int:
        return len(self.warnings)

    @property
    def shown(self) -> tuple:
        return self.warnings[:BANNER_SHOWN]

    @property
    def has_more(self) -> bool:
        return self.count > BANNER_SHOWN


def portal(request):
    """Site-wide template values; each is only queried if a template uses it.

    ``warning_banner`` is read by ``templates/base.html`` on every portal page (the static 500 page
    has no context and no banner).
    """
    nav_sections = SimpleLazyObject(section_list)

    def warning_banner():
        warnings = banner_warnings()
        if not warnings:
            return WarningBanner((), "")
        section = next((s for s in nav_sections if s.listed_type == EMERGENCY.key), None)
        all_url = f"{section.url}?status={ACTIVE}" if section is not None and section.url else ""
        return WarningBanner(warnings, all_url)

    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        # The page's address without its query: pages are cached and shared with tracking
        # parameters (from=singlemessage, utm_*), which must not end up in a cached copy.
        "canonical_url": SimpleLazyObject(lambda: request.build_absolute_uri(request.path)),
        "nav_sections": nav_sections,
        "warning_banner": SimpleLazyObject(warning_banner),
    }

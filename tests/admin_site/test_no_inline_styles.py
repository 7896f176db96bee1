"""Admin templates carry no inline styles (issue 17): Wagtail's own classes, or static/css/kepu-admin.css.
The public error pages (500.html, 503.html) keep theirs on purpose: they must render when nothing else
does."""

import re
from pathlib import Path

from django.conf import settings

INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


def _admin_templates():
    templates = Path(settings.BASE_DIR) / "templates"
    yield from templates.glob("*/admin/**/*.html")
    yield from (templates / "admin_site").glob("**/*.html")
    yield from (templates / "wagtailadmin").glob("**/*.html")
    yield from (Path(settings.BASE_DIR) / "dashboard" / "templates").glob("**/*.html")


def test_admin_templates_have_no_inline_styles():
    checked = list(_admin_templates())
    assert len(checked) > 10
    offenders = [str(path) for path in checked if INLINE_STYLE.search(path.read_text("utf-8"))]
    assert offenders == []

"""The channels' kernel: the /feeds/ page is composed from what each channel registers, and the
import rule holds (no channel imports another, absolutely or relatively; content and search import
no channel)."""

import ast
from pathlib import Path

import pytest

from content.feed_links import PAGE, SITE, FeedSubject, feed_links_for
from feeds import registry
from feeds.registry import FeedsPageSection, feeds_page_sections

ROOT = Path(__file__).resolve().parents[2]
FEEDS = ROOT / "feeds"
CHANNELS = sorted(p.name for p in FEEDS.iterdir() if (p / "apps.py").exists())


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path):
    """Every module ``path`` imports, relative imports resolved to absolute names."""
    package = _module_of(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(filter(None, [base, node.module]))
            yield module
            if not node.module:  # from .. import cap
                yield from (f"{module}.{alias.name}" for alias in node.names)


def _offending(directory: Path, forbidden: set[str]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted(directory.rglob("*.py"))
        for module in _imported_modules(path)
        if any(module == name or module.startswith(name + ".") for name in forbidden)
    ]


def test_relative_imports_are_resolved():
    path = FEEDS / "cap" / "portal.py"
    assert "feeds.cap.selectors" in set(_imported_modules(path))


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_channel_imports_no_other_channel_even_relatively(channel):
    others = {f"feeds.{name}" for name in CHANNELS if name != channel}
    assert not _offending(FEEDS / channel, others)


def test_the_kernel_imports_no_channel():
    channels = {f"feeds.{name}" for name in CHANNELS}
    kernel = [f"{p.name}: {m}" for p in FEEDS.glob("*.py") for m in _imported_modules(p)]
    assert not [line for line in kernel if any(line.split(": ")[1].startswith(c) for c in channels)]


@pytest.mark.parametrize("app", ["content", "search"])
def test_content_and_search_import_no_channel(app):
    assert not _offending(ROOT / app, {"feeds"})


def test_channels_register_their_sections_of_the_feeds_page():
    sections = feeds_page_sections()
    assert [s.key for s in sections][:2] == ["syndication", "cap"]  # RSS/Atom/JSON first, then CAP


@pytest.mark.django_db
def test_the_feeds_page_shows_what_a_channel_registers(client, monkeypatch):
    section = FeedsPageSection(
        key="another",
        order=99,
        template="syndication/feeds_page_lead.html",  # any template: this one prints page_size
        context=lambda request, now: {"page_size": 987654},
    )
    monkeypatch.setitem(registry._sections, section.key, section)
    html = client.get("/feeds/").content.decode()
    assert "每页 987654 条" in html.split('aria-labelledby="feeds-cap"')[1]  # after CAP, by its order


PORTAL_TEMPLATES = [ROOT / "templates" / "base.html", *sorted((ROOT / "templates" / "pages").glob("*.html"))]


@pytest.mark.parametrize("template", PORTAL_TEMPLATES, ids=lambda p: p.name)
def test_portal_templates_name_no_channel_url(template):
    text = template.read_text(encoding="utf-8")
    assert not [name for name in ("'feed_", '"feed_', "'cap_", '"cap_') if name in text]


def test_feed_links_come_from_the_channels():
    links = feed_links_for(FeedSubject(SITE))
    assert [(link.mime, link.url) for link in links] == [
        ("application/rss+xml", "/feeds/rss.xml"),
        ("application/atom+xml", "/feeds/atom.xml"),
        ("application/feed+json", "/feeds/feed.json"),
    ]
    assert feed_links_for(FeedSubject(PAGE, object())) == []  # not an emergency: no CAP document

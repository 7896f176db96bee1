"""True status wherever a warning appears on the portal, the /emergency/ status filter, tap-to-call
numbers on the warning page, and accessible severity colours."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from freezegun import freeze_time

from content.emergency import SEVERITIES
from search.documents import search_document_sync
from tests.factories import ArticlePageFactory, EmergencyPageFactory

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 7, 10, 12, 0, tzinfo=TZ)
HOUR = dt.timedelta(hours=1)


def warning(parent, title, state, **kwargs):
    window = {
        "active": (NOW - HOUR, NOW + 24 * HOUR),
        "upcoming": (NOW + HOUR, NOW + 24 * HOUR),
        "expired": (NOW - 48 * HOUR, NOW - HOUR),
    }[state]
    kwargs.setdefault("effective_from", window[0])
    kwargs.setdefault("expires_at", window[1])
    return EmergencyPageFactory(parent=parent, title=title, **kwargs)


def card_of(html: str, title: str) -> str:
    for card in re.findall(r"<article class=\"card .*?</article>", html, re.S):
        if f">{title}<" in card:
            return card
    raise AssertionError(f"no card for {title}")


def titles_of(html: str) -> list[str]:
    return re.findall(r'<h3 class="card-title">(.*?)</h3>', html)


@pytest.fixture
def frozen():
    with freeze_time(NOW):
        yield


@pytest.fixture
def three(frozen, emergency_index):
    """One warning in each state, all red, for farmers and the flood topic."""
    return {
        state: warning(
            emergency_index,
            f"{label}的暴雨预警",
            state,
            severity="red",
            audiences=["farmers"],
            topics=["防汛"],
        )
        for state, label in [("active", "生效中"), ("upcoming", "未生效"), ("expired", "已过期")]
    }


# Cards: home, section listing, audience and topic pages


@pytest.mark.parametrize("url", ["/", "/emergency/", "/audiences/farmers/", "/topics/防汛/"])
def test_cards_show_the_true_status_next_to_the_colour(client, three, url):
    html = client.get(url).content.decode()
    for state, label in [("active", "生效中"), ("upcoming", "未生效"), ("expired", "已过期")]:
        card = card_of(html, f"{label}的暴雨预警")
        assert f'<span class="badge sev-badge sev-red window-{state}">红色预警</span>' in card, (url, state)
        assert f'<span class="window-state window-{state}">{label}</span>' in card, (url, state)


def test_expired_card_does_not_look_current(client, three):
    html = client.get("/emergency/").content.decode()
    assert 'class="card card-emergency card-window-expired"' in card_of(html, "已过期的暴雨预警")
    assert 'class="card card-emergency card-window-active"' in card_of(html, "生效中的暴雨预警")


def test_card_dates_carry_the_year(client, frozen, emergency_index):
    warning(emergency_index, "有日期的预警", "active", first_published_at=NOW - HOUR)
    assert "2026-07-10" in card_of(client.get("/emergency/").content.decode(), "有日期的预警")


def test_card_status_changes_at_the_window_edges(client, emergency_index):
    warning(emergency_index, "边界预警", "active", effective_from=NOW, expires_at=NOW + 2 * HOUR)
    for moment, label in [
        (NOW - dt.timedelta(seconds=1), "未生效"),
        (NOW, "生效中"),
        (NOW + 2 * HOUR - dt.timedelta(seconds=1), "生效中"),
        (NOW + 2 * HOUR, "已过期"),
    ]:
        with freeze_time(moment):
            card = card_of(client.get("/emergency/").content.decode(), "边界预警")
        assert f">{label}</span>" in card, moment


# The warning page


def test_detail_page_shows_status_and_dates_with_the_year(client, three):
    active = client.get(three["active"].url).content.decode()
    assert '<span class="window-state window-active">生效中</span>' in active
    assert "2026年7月10日 11:00</time> 至 <time" in active and "2026年7月11日 12:00" in active
    assert "现在该做什么" in active


def test_expired_detail_page_says_so_and_is_muted(client, three):
    html = client.get(three["expired"].url).content.decode()
    assert 'class="emergency-panel sev-red window-expired"' in html
    assert '<span class="window-state window-expired">已过期</span>' in html
    assert "此预警已于 2026年7月10日 11:00 过期，以下内容仅供参考。" in html
    assert "现在该做什么" not in html


def test_upcoming_detail_page_says_when_it_starts(client, three):
    html = client.get(three["upcoming"].url).content.decode()
    assert '<span class="window-state window-upcoming">未生效</span>' in html
    assert "此预警将于 2026年7月10日 13:00 起生效。" in html


def test_hotlines_in_instructions_and_body_are_tap_to_call(client, frozen, emergency_index):
    page = warning(
        emergency_index,
        "暴雨预警",
        "active",
        instructions="1. 遇险立即拨打110或119\n2. 降雨量达120毫米时不要出门\n3. 咨询防汛办0711-3221234",
        body=[
            ("paragraph", "<p>受伤拨打120，市民热线<a href='https://example.org'>12345</a>；2026年防汛。</p>")
        ],
    )
    html = client.get(page.url).content.decode()
    instructions = re.search(r'<ol class="instructions">.*?</ol>', html, re.S).group(0)
    assert '<a class="tel" href="tel:110">110</a>或<a class="tel" href="tel:119">119</a>' in instructions
    assert "降雨量达120毫米" in instructions
    assert '<a class="tel" href="tel:07113221234">0711-3221234</a>' in instructions
    body = re.search(r'<div class="body">.*?</div>', html, re.S).group(0)
    assert '受伤拨打<a class="tel" href="tel:120">120</a>' in body
    # never a link inside a link
    assert 'href="https://example.org">12345</a>' in body and "tel:12345" not in body
    assert "2026年防汛" in body


def test_hostile_instructions_are_escaped(client, frozen, emergency_index):
    page = warning(emergency_index, "预警", "active", instructions="<script>alert(1)</script>拨打110")
    html = client.get(page.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert '&lt;script&gt;alert(1)&lt;/script&gt;拨打<a class="tel" href="tel:110">110</a>' in html


# Search results


def test_search_results_show_the_true_status(client, emergency_index):
    # Real time: the search path keeps process-wide clocks (statistics buffer, engine back-off)
    # that a frozen clock would skew for the tests after this one.
    now = timezone.now()
    windows = {
        "active": (now - HOUR, now + HOUR),
        "upcoming": (now + HOUR, now + 2 * HOUR),
        "expired": (now - 2 * HOUR, now - HOUR),
    }
    labels = {"active": "生效中", "upcoming": "未生效", "expired": "已过期"}
    for state, (start, end) in windows.items():
        page = EmergencyPageFactory(
            parent=emergency_index, title=f"{labels[state]}的暴雨预警", effective_from=start, expires_at=end
        )
        search_document_sync(page.pk)
    html = client.get("/search/", {"q": "暴雨预警"}).content.decode()
    banner = re.search(r'<section class="emergency-banner".*?</section>', html, re.S).group(0)
    assert "生效中的暴雨预警" in banner and "已过期的暴雨预警" not in banner
    results = re.findall(r'<li class="search-result.*?</li>', html, re.S)
    assert len(results) == 3
    for state, label in labels.items():
        (result,) = [r for r in results if f"{label}的" in re.sub(r"</?mark>", "", r)]
        assert f'class="search-result search-result-{state}"' in result
        assert f'<span class="badge sev-badge sev-orange window-{state}">橙色预警</span>' in result
        assert f'<span class="window-state window-{state}">{label}</span>' in result


# The /emergency/ filter


def test_emergency_section_lists_warnings_in_force_first(client, three):
    titles = titles_of(client.get("/emergency/").content.decode())
    assert titles == ["生效中的暴雨预警", "未生效的暴雨预警", "已过期的暴雨预警"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [("active", "生效中的暴雨预警"), ("upcoming", "未生效的暴雨预警"), ("expired", "已过期的暴雨预警")],
)
def test_status_filter_keeps_one_state(client, three, status, expected):
    html = client.get("/emergency/", {"status": status}).content.decode()
    assert titles_of(html) == [expected]
    assert "共 1 条" in html
    assert re.search(rf'<a href="/emergency/\?status={status}" aria-current="true">', html)


@pytest.mark.parametrize("junk", ["", "all", "ACTIVE", "<x-junk>", "expired'"])
def test_unknown_status_means_all(client, three, junk):
    html = client.get("/emergency/", {"status": junk}).content.decode()
    assert len(titles_of(html)) == 3
    assert '<a href="/emergency/" aria-current="true">全部</a>' in html
    assert "<x-junk>" not in html


def test_status_and_audience_combine_and_each_link_keeps_the_other(client, three, emergency_index):
    warning(emergency_index, "给青少年的生效预警", "active", audiences=["youth"])
    html = client.get("/emergency/", {"status": "active", "audience": "farmers"}).content.decode()
    assert titles_of(html) == ["生效中的暴雨预警"]
    assert '<a href="/emergency/?audience=farmers&amp;status=expired" >已过期</a>' in html
    assert '<a href="/emergency/?status=active" >全部</a>' in html  # audience 全部 keeps the status
    assert '<a href="/emergency/?audience=youth&amp;status=active" >青少年</a>' in html
    assert '<a href="/emergency/?audience=farmers" >全部</a>' in html  # status 全部 keeps the audience


def test_pagination_keeps_both_filters(client, frozen, emergency_index):
    for i in range(14):
        warning(emergency_index, f"生效预警{i:02d}", "active", audiences=["elderly"])
    warning(emergency_index, "过期预警", "expired", audiences=["elderly"])
    first = client.get("/emergency/", {"status": "active", "audience": "elderly"}).content.decode()
    assert "第 1 / 2 页" in first and "共 14 条" in first
    assert 'href="?audience=elderly&amp;status=active&amp;page=2"' in first
    second = client.get("/emergency/?audience=elderly&status=active&page=2").content.decode()
    assert len(titles_of(second)) == 2 and "过期预警" not in second


def test_empty_filter_says_so_in_chinese(client, frozen, emergency_index):
    warning(emergency_index, "过期预警", "expired")
    assert "当前没有生效中的预警。" in client.get("/emergency/?status=active").content.decode()
    assert (
        "当前没有面向老年人的未生效的预警。"
        in client.get("/emergency/?status=upcoming&audience=elderly").content.decode()
    )


def test_other_sections_ignore_the_status_filter(client, frozen, article_index):
    ArticlePageFactory(parent=article_index, title="普通文章")
    html = client.get("/articles/", {"status": "expired"}).content.decode()
    assert titles_of(html) == ["普通文章"] and "按预警状态筛选" not in html


# Colours


def _luminance(hex_colour: str) -> float:
    def channel(c):
        c = int(c, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    h = hex_colour.lstrip("#")
    r, g, b = (channel(h[i : i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_severity_colours_in_the_stylesheet_are_the_domain_colours_and_meet_wcag_aa():
    css = (Path(settings.BASE_DIR) / "static/css/portal.css").read_text()
    for key, severity in SEVERITIES.items():
        rule = re.search(rf"\.sev-{key} \{{ --sev-bg: (#[0-9a-f]{{6}}); --sev-fg: (#[0-9a-f]{{6}}); \}}", css)
        assert rule, key
        bg, fg = rule.groups()
        assert bg == severity.colour.lower(), key
        assert contrast(bg, fg) >= 4.5, (key, round(contrast(bg, fg), 2))
    assert contrast("#ef6c00", "#ffffff") < 4.5  # why orange takes dark ink on the portal

"""The site-wide warning banner: every portal page shows the warnings in force, most severe first."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from wagtail.models import PageViewRestriction

from content.context_processors import portal
from content.views import server_error
from tests.factories import ArticlePageFactory, EmergencyPageFactory

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 7, 10, 12, 0, tzinfo=TZ)
HOUR = dt.timedelta(hours=1)


def banner_of(html: str) -> str:
    match = re.search(r'<section class="emergency-banner".*?</section>', html, re.S)
    return match.group(0) if match else ""


def shown_titles(banner: str) -> list[str]:
    return re.findall(r'<span class="emergency-alert-title">(.*?)</span>', banner)


def in_force(parent, title, severity, **kwargs):
    return EmergencyPageFactory(
        parent=parent,
        title=title,
        severity=severity,
        effective_from=kwargs.pop("effective_from", NOW - 2 * HOUR),
        expires_at=kwargs.pop("expires_at", NOW + 24 * HOUR),
        **kwargs,
    )


@pytest.fixture
def frozen():
    with freeze_time(NOW):
        yield


@pytest.fixture
def site(frozen, article_index, emergency_index):
    """A red and a blue warning in force, an expired orange one, an upcoming yellow one, an article."""
    pages = {
        "blue": in_force(emergency_index, "高温蓝色预警：注意防暑", "blue", hazard="heatwave"),
        "red": in_force(
            emergency_index,
            "暴雨红色预警：立即停止户外作业",
            "red",
            regions=["鄂城区", "华容区"],
            topics=["防汛"],
            expires_at=NOW + dt.timedelta(days=1, hours=8),
        ),
        "expired": in_force(
            emergency_index,
            "已过期的大风橙色预警",
            "orange",
            effective_from=NOW - 48 * HOUR,
            expires_at=NOW - HOUR,
        ),
        "upcoming": in_force(
            emergency_index,
            "明日寒潮黄色预警",
            "yellow",
            effective_from=NOW + HOUR,
            expires_at=NOW + 30 * HOUR,
        ),
        "article": ArticlePageFactory(parent=article_index, title="汛期安全常识", topics=["防汛"]),
    }
    return pages


def portal_urls(site):
    return [
        "/",
        "/articles/",
        "/videos/",
        "/emergency/",
        "/emergency/?status=expired",
        site["article"].url,
        site["red"].url,
        site["expired"].url,
        "/audiences/youth/",
        "/topics/",
        "/topics/防汛/",
        "/search/",  # with a query: tests/content/test_emergency_status.py (searching needs real time)
        "/feeds/",
    ]


def test_every_portal_page_shows_the_warnings_in_force_most_severe_first(client, site):
    for url in portal_urls(site):
        response = client.get(url)
        assert response.status_code == 200, url
        banner = banner_of(response.content.decode())
        assert shown_titles(banner) == ["暴雨红色预警：立即停止户外作业", "高温蓝色预警：注意防暑"], url
        assert "【暴雨红色预警】" in banner and "【高温蓝色预警】" in banner, url
        assert "已过期的大风橙色预警" not in banner and "明日寒潮黄色预警" not in banner, url
        assert "查看全部" not in banner, url  # two in force: both shown


def test_404_page_shows_the_banner(client, site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert shown_titles(banner_of(response.content.decode()))[0] == "暴雨红色预警：立即停止户外作业"


def test_banner_item_says_where_and_until_when_with_the_year_and_links_to_the_warning(client, site):
    banner = banner_of(client.get("/articles/").content.decode())
    red = site["red"]
    assert f'<a class="emergency-alert sev-red" href="{red.url}">' in banner
    assert "鄂城区、华容区 · 有效至" in banner
    assert "2026年7月11日 20:00" in banner  # expiry, with the year, in Ezhou time


def test_no_banner_when_nothing_is_in_force(client, frozen, emergency_index, article_index):
    in_force(emergency_index, "昨天的预警", "red", effective_from=NOW - 48 * HOUR, expires_at=NOW - HOUR)
    in_force(emergency_index, "明天的预警", "red", effective_from=NOW + HOUR, expires_at=NOW + 48 * HOUR)
    article = ArticlePageFactory(parent=article_index)
    for url in ("/", "/emergency/", article.url, "/feeds/", "/search/"):
        html = client.get(url).content.decode()
        assert 'class="emergency-banner"' not in html, url


def test_drafts_and_private_warnings_stay_out_of_the_banner(client, frozen, emergency_index):
    in_force(emergency_index, "公开预警", "blue")
    draft = in_force(emergency_index, "草稿预警", "red")
    draft.unpublish()
    private = in_force(emergency_index, "内部预警", "red")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert shown_titles(banner_of(client.get("/").content.decode())) == ["公开预警"]


def test_more_than_two_shows_two_and_the_count_matches_the_filtered_list(client, frozen, emergency_index):
    for i, severity in enumerate(["blue", "yellow", "orange", "red", "blue"]):
        in_force(emergency_index, f"生效中的预警{i}", severity)
    in_force(emergency_index, "过期预警", "red", effective_from=NOW - 48 * HOUR, expires_at=NOW - HOUR)
    in_force(emergency_index, "未来预警", "red", effective_from=NOW + HOUR, expires_at=NOW + 48 * HOUR)

    banner = banner_of(client.get("/").content.decode())
    assert shown_titles(banner) == ["生效中的预警3", "生效中的预警2"]  # red, then orange
    link = re.search(r'<a class="emergency-more" href="([^"]+)">查看全部 (\d+) 条生效中的预警', banner)
    assert link and link.group(1) == "/emergency/?status=active" and link.group(2) == "5"

    listing = client.get(link.group(1)).content.decode()
    cards = re.findall(r'<h3 class="card-title">(.*?)</h3>', listing)
    assert sorted(cards) == [f"生效中的预警{i}" for i in range(5)]
    assert "共 5 条" in listing


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (NOW - dt.timedelta(seconds=1), False),
        (NOW, True),  # the first instant of the window
        (NOW + 2 * HOUR - dt.timedelta(seconds=1), True),
        (NOW + 2 * HOUR, False),  # the expiry instant
    ],
)
def test_banner_follows_the_window_to_the_second(client, emergency_index, moment, shown):
    in_force(emergency_index, "两小时的预警", "orange", effective_from=NOW, expires_at=NOW + 2 * HOUR)
    with freeze_time(moment):
        assert ("两小时的预警" in banner_of(client.get("/topics/").content.decode())) is shown


def test_banner_costs_three_queries_however_many_warnings(
    rf, frozen, home, emergency_index, regions, django_assert_num_queries
):
    for i in range(6):
        in_force(emergency_index, f"预警{i}", "red", regions=list(regions))
    context = portal(rf.get("/"))
    list(context["nav_sections"])  # the header reads these on every page anyway
    with django_assert_num_queries(3):  # view restrictions, the warnings, their regions
        banner = context["warning_banner"]
        assert banner.count == 6 and banner.all_url == "/emergency/?status=active"
        assert [w.regions_text for w in banner.shown] == [
            "鄂城区、华容区、梁子湖区、葛店开发区、临空经济区"
        ] * 2


def test_page_with_the_banner_has_a_fixed_query_budget(
    client, frozen, emergency_index, django_assert_num_queries
):
    def queries(url):
        client.get(url)  # warm the site root paths cache
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        return len(ctx.captured_queries)

    without_warnings = queries("/topics/")
    in_force(emergency_index, "第一条", "red")
    in_force(emergency_index, "第二条", "blue")
    with_two = queries("/topics/")
    assert with_two == without_warnings + 1  # the regions; the warnings query runs either way
    for i in range(4):
        in_force(emergency_index, f"更多预警{i}", "yellow")
    with django_assert_num_queries(with_two):
        html = client.get("/topics/").content.decode()
    assert "查看全部 6 条生效中的预警" in html


def test_banner_is_not_queried_unless_rendered(rf, frozen, emergency_index):
    in_force(emergency_index, "预警", "red")
    with CaptureQueriesContext(connection) as ctx:
        portal(rf.get("/"))
    assert ctx.captured_queries == []


def test_server_error_page_has_no_banner_and_touches_no_database(
    frozen, emergency_index, django_assert_num_queries
):
    in_force(emergency_index, "预警", "red")
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500 and "emergency-banner" not in html and "服务器出错了" in html

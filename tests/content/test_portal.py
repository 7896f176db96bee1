"""What the public sees on the portal: banner, listings, audience/topic pages, detail pages."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import PageViewRestriction

from content.templatetags.portal_tags import qr_svg
from tests.factories import ArticlePageFactory, EmergencyPageFactory, ImageFactory, VideoPageFactory

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def test_home_shows_entrances_for_the_five_audiences(client, home):
    html = client.get("/").content.decode()
    for name in ("青少年", "农民", "产业工人", "老年人", "领导干部和公务员"):
        assert name in html
    for slug in ("youth", "farmers", "workers", "elderly", "officials"):
        assert f"/audiences/{slug}/" in html


def test_home_banner_shows_only_active_emergencies(client, emergency_index):
    start = dt.datetime(2026, 7, 10, 8, 0, tzinfo=TZ)
    EmergencyPageFactory(
        parent=emergency_index,
        title="暴雨红色预警生效",
        severity="red",
        effective_from=start,
        expires_at=start + dt.timedelta(days=2),
    )
    EmergencyPageFactory(
        parent=emergency_index,
        title="高温预警已过期",
        effective_from=start - dt.timedelta(days=5),
        expires_at=start,
    )
    EmergencyPageFactory(
        parent=emergency_index,
        title="寒潮预警尚未生效",
        effective_from=start + dt.timedelta(days=3),
        expires_at=start + dt.timedelta(days=4),
    )
    draft = EmergencyPageFactory(
        parent=emergency_index,
        title="草稿预警不应出现",
        effective_from=start,
        expires_at=start + dt.timedelta(days=2),
    )
    draft.unpublish()

    with freeze_time(start + dt.timedelta(hours=1)):
        banner = _banner(client.get("/").content.decode())
    assert "暴雨红色预警生效" in banner
    assert "红色预警" in banner
    for absent in ("高温预警已过期", "寒潮预警尚未生效", "草稿预警不应出现"):
        assert absent not in banner

    with freeze_time(start + dt.timedelta(days=2)):  # the exact expiry instant
        assert _banner(client.get("/").content.decode()) == ""


def test_banner_orders_most_severe_first(client, emergency_index):
    now = timezone.now()
    window = {"effective_from": now - dt.timedelta(hours=1), "expires_at": now + dt.timedelta(hours=5)}
    EmergencyPageFactory(parent=emergency_index, title="蓝色提醒", severity="blue", **window)
    EmergencyPageFactory(parent=emergency_index, title="红色提醒", severity="red", **window)
    banner = _banner(client.get("/").content.decode())
    assert banner.index("红色提醒") < banner.index("蓝色提醒")


def test_banner_shows_two_and_links_to_the_rest_filtered_to_warnings_in_force(client, emergency_index):
    now = timezone.now()
    for i in range(5):
        EmergencyPageFactory(
            parent=emergency_index,
            title=f"生效预警{i}",
            effective_from=now - dt.timedelta(hours=1),
            expires_at=now + dt.timedelta(hours=5),
        )
    banner = _banner(client.get("/").content.decode())
    assert banner.count('class="emergency-alert ') == 2
    assert "查看全部 5 条生效中的预警" in banner and 'href="/emergency/?status=active"' in banner


def _banner(html):
    match = re.search(r'<section class="emergency-banner".*?</section>', html, re.S)
    return match.group(0) if match else ""


def test_latest_content_excludes_drafts_and_private_pages(client, article_index):
    ArticlePageFactory(parent=article_index, title="公开的文章")
    draft = ArticlePageFactory(parent=article_index, title="未发布的草稿")
    draft.unpublish()
    private = ArticlePageFactory(parent=article_index, title="仅限登录的文章")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    for url in ("/", "/articles/", "/audiences/youth/"):
        html = client.get(url).content.decode()
        assert "公开的文章" in html, url
        assert "未发布的草稿" not in html, url
        assert "仅限登录的文章" not in html, url


def test_section_listing_paginates_and_answers_404_for_bad_page_numbers(client, article_index):
    for i in range(14):
        ArticlePageFactory(
            parent=article_index,
            title=f"分页测试文章{i:02d}",
            first_published_at=timezone.now() - dt.timedelta(days=i),
        )
    first = client.get("/articles/").content.decode()
    second = client.get("/articles/?page=2").content.decode()
    assert "分页测试文章00" in first and "分页测试文章13" not in first
    assert "分页测试文章13" in second and "第 2 / 2 页" in second
    # Junk and pages past the end are 404s, never a 200 that shared caches would keep per number.
    for junk in ("abc", "0", "-1", "3", "999999999"):
        assert client.get(f"/articles/?page={junk}").status_code == 404
    assert client.get("/articles/?page=1").status_code == 200


def test_section_listing_filters_by_audience(client, video_index):
    VideoPageFactory(parent=video_index, title="给农民的视频", audiences=["farmers"])
    VideoPageFactory(parent=video_index, title="给青少年的视频", audiences=["youth"])
    html = client.get("/videos/?audience=farmers").content.decode()
    assert "给农民的视频" in html and "给青少年的视频" not in html


@pytest.mark.parametrize("url", ["/", "/articles/", "/audiences/youth/", "/topics/食品安全/"])
def test_listing_query_count_does_not_grow_with_items(client, article_index, url):
    def queries_with(n_items):
        for i in range(n_items):
            ArticlePageFactory(
                parent=article_index,
                title=f"文章{i}",
                cover_image=ImageFactory(),
                topics=["食品安全"],
                audiences=["youth", "elderly"],
            )
        client.get(url)  # create renditions once
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = queries_with(2)
    many = queries_with(10)
    assert many == few
    assert few <= 30


def test_audience_and_topic_pages(client, article_index, video_index):
    ArticlePageFactory(
        parent=article_index, title="银发族防诈骗指南", audiences=["elderly"], topics=["防范电信诈骗"]
    )
    VideoPageFactory(parent=video_index, title="青少年防溺水", audiences=["youth"], topics=["防溺水"])

    elderly = client.get("/audiences/elderly/").content.decode()
    assert "银发族防诈骗指南" in elderly and "青少年防溺水" not in elderly

    topic = client.get("/topics/防范电信诈骗/").content.decode()
    assert "银发族防诈骗指南" in topic and "青少年防溺水" not in topic

    index = client.get("/topics/").content.decode()
    assert "防范电信诈骗" in index and "防溺水" in index

    assert client.get("/audiences/nobody/").status_code == 404
    assert client.get("/topics/没有这个主题/").status_code == 404


def test_detail_page_has_open_graph_and_qr_code(client, article_index):
    page = ArticlePageFactory(
        parent=article_index,
        title="秋冬季节如何预防流感",
        summary="接种疫苗是最有效的手段。",
        cover_image=ImageFactory(),
    )
    html = client.get(page.url).content.decode()
    assert '<meta property="og:title" content="秋冬季节如何预防流感">' in html
    assert '<meta property="og:description" content="接种疫苗是最有效的手段。">' in html
    assert re.search(r'<meta property="og:image" content="http://testserver/[^"]+\.(jpg|png)', html)
    assert f'<meta property="og:url" content="http://testserver{page.url}">' in html
    assert "<svg" in html and "扫一扫在手机上查看" in html


def test_qr_code_encodes_the_page_url(client, article_index):
    assert qr_svg("http://testserver/articles/a/") != qr_svg("http://testserver/articles/b/")


def test_emergency_detail_shows_severity_colour_regions_and_instructions(client, emergency_index):
    page = EmergencyPageFactory(
        parent=emergency_index,
        severity="red",
        hazard="flood",
        regions=["梁子湖区", "华容区"],
        instructions="1. 立即转移到高处\n2. 切断电源",
    )
    html = client.get(page.url).content.decode()
    assert 'class="emergency-panel sev-red window-active"' in html  # red, in force
    assert "红色预警（一级）" in html and "洪涝" in html
    assert "梁子湖区" in html and "华容区" in html
    assert "<li>立即转移到高处</li>" in html and "<li>切断电源</li>" in html
    assert "有效期" in html


def test_video_detail_plays_the_video_with_poster(client, video_index):
    page = VideoPageFactory(parent=video_index, poster_image=ImageFactory(), duration_seconds=125)
    html = client.get(page.url).content.decode()
    assert "<video controls" in html and 'src="https://media.kepu-ezhou.cn/videos/demo.mp4"' in html
    assert "poster=" in html and "2:05" in html and "视频文稿" in html


def test_elder_mode_entrance_is_offered_in_the_header(client, home):
    html = client.get("/").content.decode()
    assert "data-elder-toggle" in html and 'aria-pressed="false"' in html and ">长辈模式</button>" in html
    assert "js/elder-mode-init.js" in html

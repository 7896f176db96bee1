"""RSS, Atom and JSON Feed: valid, the right items per scope, full content, conditional GET, bad input."""

import datetime as dt
import json
from urllib.parse import quote

import feedparser
import pytest
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import PageViewRestriction

from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

FILES = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}
SCOPES = {
    "/feeds/": {"汛期防溺水要点", "心肺复苏四步法", "暴雨橙色预警：减少外出"},
    "/feeds/audience/elderly/": {"汛期防溺水要点", "暴雨橙色预警：减少外出"},
    "/feeds/audience/farmers/": {"心肺复苏四步法"},
    "/feeds/audience/officials/": set(),
    f"/feeds/topic/{quote('防灾减灾')}/": {"汛期防溺水要点", "暴雨橙色预警：减少外出"},
    "/feeds/type/article/": {"汛期防溺水要点"},
    "/feeds/type/video/": {"心肺复苏四步法"},
    "/feeds/type/emergency/": {"暴雨橙色预警：减少外出"},
}


def _titles(fmt, response):
    if fmt == "json":
        return {item["title"] for item in response.json()["items"]}
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return {entry.title for entry in parsed.entries}


@pytest.mark.parametrize("fmt", FILES)
@pytest.mark.parametrize("prefix", SCOPES)
def test_every_feed_parses_and_lists_only_live_public_items_of_its_scope(client, feed_content, fmt, prefix):
    response = client.get(prefix + FILES[fmt])
    assert response.status_code == 200
    assert _titles(fmt, response) == SCOPES[prefix]  # the draft and the private page never appear


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_xml_feeds_carry_full_content_authors_categories_language_and_offsets(client, feed_content, fmt):
    parsed = feedparser.parse(client.get(f"/feeds/{FILES[fmt]}").content)
    assert not parsed.bozo
    assert parsed.feed.language == "zh-CN"
    entries = {e.title: e for e in parsed.entries}
    article = entries["汛期防溺水要点"]
    assert article.id == f"urn:uuid:{feed_content['article'].translation_key}"
    assert article.author == "张医生"
    assert {t.term for t in article.tags} >= {"图文科普", "老年人", "青少年", "防灾减灾"}
    html = article.content[0].value
    assert 'href="http://testserver/topics/"' in html  # relative links made absolute
    assert 'src="http://testserver/media/' in html  # the cover image, absolute
    assert article.link == "http://testserver/articles/" + feed_content["article"].slug + "/"
    video = entries["心肺复苏四步法"]
    assert video.enclosures[0].href == "https://media.kepu-ezhou.cn/videos/demo.mp4"
    assert video.enclosures[0].type == "video/mp4"
    emergency = entries["暴雨橙色预警：减少外出"]
    lead = emergency.content[0].value
    assert "暴雨橙色预警 · 二级 · " in lead and "生效中" in lead  # content.warning's box, with status
    assert "影响区域：鄂城区" in lead and "远离低洼地带" in lead
    assert (
        f"{timezone.localtime(feed_content['emergency'].expires_at).year}年" in lead
    )  # dates carry the year


def test_dates_carry_the_beijing_offset(client, feed_content):
    rss = client.get("/feeds/rss.xml").content.decode()
    atom = client.get("/feeds/atom.xml").content.decode()
    assert "+0800</pubDate>" in rss
    assert "+08:00</published>" in atom and "+08:00</updated>" in atom
    for item in client.get("/feeds/feed.json").json()["items"]:
        assert item["date_published"].endswith("+08:00") and item["date_modified"].endswith("+08:00")


def test_json_feed_has_the_required_fields_of_version_1_1(client, feed_content):
    response = client.get("/feeds/feed.json")
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert feed["home_page_url"] == "http://testserver/"
    assert feed["feed_url"] == "http://testserver/feeds/feed.json"
    assert feed["language"] == "zh-CN"
    assert all(isinstance(a["name"], str) for a in feed["authors"])
    assert isinstance(feed["items"], list) and feed["items"]
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"].startswith("urn:uuid:")
        assert isinstance(item.get("content_html") or item.get("content_text"), str)
        assert item["url"].startswith("http://testserver/")
        assert isinstance(item["tags"], list)
        for attachment in item.get("attachments", []):
            assert attachment["url"].startswith("https://") and attachment["mime_type"]
        assert not any(key.startswith("_") and key != "_kepu" for key in item)
    video = next(i for i in feed["items"] if i["_kepu"]["type"] == "video")
    assert video["attachments"] == [
        {
            "url": "https://media.kepu-ezhou.cn/videos/demo.mp4",
            "mime_type": "video/mp4",
            "duration_in_seconds": 185,
        }
    ]
    article = next(i for i in feed["items"] if i["_kepu"]["type"] == "article")
    assert article["image"].startswith("http://testserver/media/")
    assert article["authors"] == [{"name": "张医生"}, {"name": "鄂州市科协"}]


def test_entry_id_is_stable_when_the_slug_changes(client, feed_content):
    article = feed_content["article"]
    before = {i["title"]: i["id"] for i in client.get("/feeds/feed.json").json()["items"]}
    article.slug = "renamed-article"
    article.save_revision().publish()
    after = {i["title"]: i["id"] for i in client.get("/feeds/feed.json").json()["items"]}
    assert after == before


# --- conditional GET and freshness ----------------------------------------------------------


@pytest.mark.parametrize("fmt", FILES)
def test_conditional_requests_answer_304(client, feed_content, fmt):
    url = f"/feeds/audience/elderly/{FILES[fmt]}"
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"] == "public, no-cache"
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_a_publication_changes_the_feed_on_the_next_request(client, feed_content, article_index):
    first = client.get("/feeds/rss.xml")
    ArticlePageFactory(parent=article_index, title="刚刚发布", live=False).save_revision().publish()
    response = client.get("/feeds/rss.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200 and response["ETag"] != first["ETag"]
    assert "刚刚发布" in _titles("rss", response)


def test_an_unpublication_changes_etag_and_last_modified(client, feed_content):
    first = client.get("/feeds/audience/elderly/atom.xml")
    feed_content["article"].unpublish()
    by_etag = client.get("/feeds/audience/elderly/atom.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 200
    assert _titles("atom", by_etag) == {"暴雨橙色预警：减少外出"}
    by_date = client.get("/feeds/audience/elderly/atom.xml", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 200  # the removal moved Last-Modified forward


def test_making_a_page_private_removes_it_at_once(client, feed_content):
    first = client.get("/feeds/type/video/feed.json")
    PageViewRestriction.objects.create(page=feed_content["video"], restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/feeds/type/video/feed.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200 and response.json()["items"] == []


# --- emergency status and the window boundaries ----------------------------------------------


def _emergency_item(response) -> dict:
    return next(i for i in response.json()["items"] if i["_kepu"]["type"] == "emergency")


def test_json_feed_items_state_the_emergency_status(client, feed_content):
    item = _emergency_item(client.get("/feeds/feed.json"))
    assert item["_kepu"]["status"] == "active"
    assert {"severity", "hazard", "effective_from", "expires_at"} <= set(item["_kepu"])
    assert "生效中" in item["content_html"]
    others = [i for i in client.get("/feeds/feed.json").json()["items"] if i["_kepu"]["type"] != "emergency"]
    assert others and all("status" not in i["_kepu"] for i in others)


@pytest.mark.parametrize("fmt", FILES)
def test_a_closing_window_changes_the_feed_without_a_publication(client, feed_content, fmt):
    expires_at = feed_content["emergency"].expires_at
    url = f"/feeds/type/emergency/{FILES[fmt]}"
    with freeze_time(expires_at - dt.timedelta(minutes=1)):
        before = client.get(url)
        assert "生效中" in before.content.decode()
        assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304
    with freeze_time(expires_at):  # the expiry instant: the window is [effective_from, expires_at)
        after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
        assert after.status_code == 200 and after["ETag"] != before["ETag"]
        assert "已过期" in after.content.decode() and "生效中" not in after.content.decode()
        by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
        assert by_date.status_code == 200  # Last-Modified moved to the boundary
        assert client.get(url, HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304
    if fmt == "json":
        assert _emergency_item(before)["_kepu"]["status"] == "active"
        assert _emergency_item(after)["_kepu"]["status"] == "expired"
    else:
        assert not feedparser.parse(after.content).bozo


def test_an_opening_window_changes_the_feed_too(client, feed_content):
    page = feed_content["emergency"]
    start = timezone.now() + dt.timedelta(hours=1)
    page.effective_from, page.expires_at = start, start + dt.timedelta(days=1)
    page.save_revision().publish()
    with freeze_time(start - dt.timedelta(seconds=1)):
        before = client.get("/feeds/feed.json")
        assert _emergency_item(before)["_kepu"]["status"] == "upcoming"
        assert "未生效" in _emergency_item(before)["content_html"]
    with freeze_time(start):
        after = client.get("/feeds/feed.json", HTTP_IF_NONE_MATCH=before["ETag"])
        assert after.status_code == 200 and _emergency_item(after)["_kepu"]["status"] == "active"
        assert (
            client.get("/feeds/feed.json", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"]).status_code == 200
        )


# --- paging ---------------------------------------------------------------------------------


def test_feeds_page_with_rfc5005_links_and_json_next_url(client, feed_content, settings):
    settings.FEEDS_PAGE_SIZE = 2
    first = feedparser.parse(client.get("/feeds/atom.xml").content)
    links = {link.rel: link.href for link in first.feed.links}
    assert len(first.entries) == 2
    assert links["next"] == "http://testserver/feeds/atom.xml?page=2"
    second = feedparser.parse(client.get("/feeds/atom.xml?page=2").content)
    assert len(second.entries) == 1
    assert {link.rel: link.href for link in second.feed.links}[
        "previous"
    ] == "http://testserver/feeds/atom.xml"
    assert {e.id for e in first.entries}.isdisjoint({e.id for e in second.entries})
    rss = client.get("/feeds/rss.xml").content.decode()
    assert 'href="http://testserver/feeds/rss.xml?page=2" rel="next"' in rss
    assert client.get("/feeds/feed.json").json()["next_url"] == "http://testserver/feeds/feed.json?page=2"
    assert "next_url" not in client.get("/feeds/feed.json?page=2").json()
    assert client.get("/feeds/feed.json?page=3").status_code == 404


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/audience/nobody/rss.xml",
        f"/feeds/audience/{quote('老年人')}/atom.xml",
        "/feeds/audience/" + "x" * 5000 + "/feed.json",
        "/feeds/topic/no-such-topic/rss.xml",
        f"/feeds/topic/{quote('不存在的主题')}/feed.json",
        "/feeds/topic/" + quote("防" * 400) + "/atom.xml",
        "/feeds/type/podcast/rss.xml",
        "/feeds/type/Article/rss.xml",
        "/feeds/type/%00/rss.xml",
        "/feeds/audience/elderly/rss.json",
        "/feeds/rss.xml?page=2",
        "/feeds/rss.xml?page=999999",
    ],
)
def test_unknown_scopes_and_pages_past_the_end_are_404(client, feed_content, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "page", ["-1", "0", "abc", "1.5", "", " 1", "99999999999999999999", "1e3", "１", "%27%20OR%201=1"]
)
def test_bad_page_numbers_are_400_with_a_chinese_message(client, feed_content, page):
    response = client.get(f"/feeds/atom.xml?page={page}")
    assert response.status_code == 400
    assert "页码无效" in response.content.decode()


def test_feeds_refuse_writes(client, feed_content):
    assert client.post("/feeds/rss.xml").status_code == 405


def test_control_characters_pasted_into_a_title_do_not_break_the_xml(client, article_index):
    ArticlePageFactory(parent=article_index, title="标题\x0b带控制符 <b>&", summary="摘要\x08")
    for fmt in ("rss", "atom"):
        response = client.get(f"/feeds/{FILES[fmt]}")
        assert response.status_code == 200
        assert _titles(fmt, response) == {"标题带控制符 <b>&"}

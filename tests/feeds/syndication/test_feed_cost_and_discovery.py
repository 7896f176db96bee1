"""What a feed costs in queries, its structure (golden), and how people and readers find the feeds."""

import datetime as dt
import json
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import Topic
from tests.factories import ArticlePageFactory, EmergencyPageFactory, ImageFactory, VideoPageFactory

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"


def _make(article_index, video_index, emergency_index, n):
    topic, _ = Topic.objects.get_or_create(name="防灾减灾", slug="防灾减灾")
    for _ in range(n):
        ArticlePageFactory(
            parent=article_index, audiences=["elderly", "youth"], topics=[topic], cover_image=ImageFactory()
        )
        VideoPageFactory(parent=video_index, audiences=["farmers"], topics=[topic])
        EmergencyPageFactory(parent=emergency_index, audiences=["elderly"], regions=["鄂城区", "华容区"])


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/feeds/rss.xml", "/feeds/audience/elderly/atom.xml", "/feeds/type/video/feed.json"]
)
def test_a_feed_costs_the_same_queries_for_3_or_15_items(
    client, article_index, video_index, emergency_index, url
):
    _make(article_index, video_index, emergency_index, 1)
    client.get(url)  # renditions are created on first use; count the steady state
    few = _count(client, url)
    _make(article_index, video_index, emergency_index, 4)
    client.get(url)
    assert _count(client, url) == few


def test_the_all_content_feed_query_budget(
    client, article_index, video_index, emergency_index, django_assert_num_queries
):
    _make(article_index, video_index, emergency_index, 3)
    client.get("/feeds/rss.xml")
    # version: privacy (1) + slice (1) + removal date (1). Load, per type: privacy (1) + pages (1) +
    # audiences (1) + topic links joined with their tags (1) + regions for emergencies (1) + cover
    # image and renditions for articles (2). None of it grows with the items (nor with their topics).
    with django_assert_num_queries(18):
        client.get("/feeds/rss.xml")
    etag = client.get("/feeds/rss.xml")["ETag"]
    with django_assert_num_queries(3):  # a 304 costs only the version
        assert client.get("/feeds/rss.xml", HTTP_IF_NONE_MATCH=etag).status_code == 304


def _structure(element, path="") -> list[str]:
    tag = (
        element.tag.replace("{http://www.w3.org/2005/Atom}", "atom:")
        .replace("{http://purl.org/rss/1.0/modules/content/}", "content:")
        .replace("{http://purl.org/dc/elements/1.1/}", "dc:")
    )
    here = f"{path}/{tag}"
    lines = [here + (f" @{','.join(sorted(element.attrib))}" if element.attrib else "")]
    for child in element:
        lines.extend(_structure(child, here))
    return lines


def _json_structure(value, path="") -> list[str]:
    if isinstance(value, dict):
        return [
            line for key in value for line in [f"{path}.{key}", *_json_structure(value[key], f"{path}.{key}")]
        ]
    if isinstance(value, list):
        return [line for item in value for line in _json_structure(item, f"{path}[]")]
    return []


@pytest.mark.parametrize("fmt,file_name", [("rss", "rss.xml"), ("atom", "atom.xml"), ("json", "feed.json")])
def test_feed_structure_matches_the_golden_file(
    client, article_index, video_index, emergency_index, fmt, file_name
):
    _make(article_index, video_index, emergency_index, 1)
    body = client.get(f"/feeds/{file_name}").content
    if fmt == "json":
        lines = _json_structure(json.loads(body))
    else:
        lines = _structure(ElementTree.fromstring(body))
    structure = "\n".join(dict.fromkeys(lines)) + "\n"  # unique paths, in document order
    golden = GOLDEN / f"{fmt}_structure.txt"
    assert structure == golden.read_text(encoding="utf-8")


def test_portal_pages_advertise_their_feeds_in_head(client, article_index, feed_content):
    home = client.get("/").content.decode()
    head = home.split("</head>")[0]
    for mime, url in [
        ("application/rss+xml", "/feeds/rss.xml"),
        ("application/atom+xml", "/feeds/atom.xml"),
        ("application/feed+json", "/feeds/feed.json"),
    ]:
        assert f'rel="alternate" type="{mime}"' in head and f'href="{url}"' in head
    assert 'href="/feeds/audience/elderly/rss.xml"' in client.get("/audiences/elderly/").content.decode()
    assert 'href="/feeds/type/article/atom.xml"' in client.get("/articles/").content.decode()
    emergency = feed_content["emergency"]
    assert f'href="/feeds/emergency/cap/{emergency.pk}.xml"' in client.get(emergency.url).content.decode()


def test_the_feeds_page_lists_every_feed_in_chinese(client, feed_content, emergency_index):
    call_command("cap_sync")  # publishing records CAP messages; factories skip the publish signal
    expired = EmergencyPageFactory(
        parent=emergency_index,
        title="已过期的预警不列出",
        effective_from=timezone.now() - dt.timedelta(days=3),
        expires_at=timezone.now() - dt.timedelta(days=2),
    )
    response = client.get("/feeds/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>订阅源</h1>" in html
    for path in ["/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json", "/feeds/emergency/cap.atom"]:
        assert f'href="{path}"' in html
    for slug in ("youth", "farmers", "workers", "elderly", "officials"):
        assert f'href="/feeds/audience/{slug}/rss.xml"' in html
    for key in ("article", "video", "emergency"):
        assert f'href="/feeds/type/{key}/feed.json"' in html
    assert f'href="/feeds/topic/{quote("防灾减灾")}/rss.xml"' in html
    emergency = feed_content["emergency"]
    assert f'href="/feeds/emergency/cap/{emergency.pk}.xml"' in html and emergency.title in html
    assert f"/feeds/emergency/cap/{expired.pk}.xml" not in html and expired.title not in html
    for path in [p.split('"')[0] for p in html.split('href="')[1:] if p.startswith("/feeds/")]:
        assert client.get(path).status_code == 200, path  # every listed link works

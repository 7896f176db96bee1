"""Cold renders (no page cache) cost a fixed number of queries however much content and how many
topics exist; popular topics are counted from live content only, per audience, most used first."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from content import selectors
from content.page_cache import portal_invalidate
from tests.factories import ArticlePageFactory, EmergencyPageFactory, ImageFactory, VideoPageFactory

pytestmark = pytest.mark.django_db

COLD_URLS = ["/", "/articles/", "/articles/?page=2", "/audiences/elderly/", "/topics/防灾减灾/", "/topics/"]


def _items(article_index, video_index, start: int, count: int) -> None:
    for i in range(start, start + count):
        factory, parent = (ArticlePageFactory, article_index) if i % 3 else (VideoPageFactory, video_index)
        factory(
            parent=parent,
            title=f"科普{i}",
            cover_image=ImageFactory(),
            audiences=["elderly", "youth"] if i % 2 else ["elderly"],
            topics=["防灾减灾", f"主题{i}", f"主题{i % 4}"],
        )


def _queries(client, url: str) -> int:
    client.get(url)  # renditions made once, as on any site after the first visit
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [*COLD_URLS, "article"])
def test_cold_render_query_count_does_not_grow_with_items_or_topics(client, article_index, video_index, url):
    _items(article_index, video_index, 0, 20)  # 13 articles: a second listing page
    target = article_index.get_children().live().first().url if url == "article" else url
    few = _queries(client, target)
    _items(article_index, video_index, 20, 30)
    assert _queries(client, target) == few
    assert few <= 40  # a listing with articles and videos: one set of prefetches per type


def test_popular_topics_count_live_content_per_audience_most_used_then_by_name(
    article_index, video_index, emergency_index, audiences
):
    ArticlePageFactory(parent=article_index, audiences=["elderly"], topics=["食品安全", "防灾减灾"])
    ArticlePageFactory(parent=article_index, audiences=["youth"], topics=["防灾减灾"])
    VideoPageFactory(parent=video_index, audiences=["elderly"], topics=["防灾减灾", "应急救护"])
    EmergencyPageFactory(parent=emergency_index, audiences=["farmers"], topics=["应急救护"])
    ArticlePageFactory(parent=article_index, audiences=["elderly"], topics=["草稿主题"], live=False)

    everyone = [(t.name, t.count) for t in selectors.topic_popular_list(limit=None)]
    assert everyone == [("防灾减灾", 3), ("应急救护", 2), ("食品安全", 1)]
    assert [t.name for t in selectors.topic_popular_list(limit=2)] == ["防灾减灾", "应急救护"]
    elderly = selectors.topic_popular_list(limit=None, audience=audiences["elderly"])
    assert [(t.name, t.count) for t in elderly] == [("防灾减灾", 2), ("应急救护", 1), ("食品安全", 1)]


def test_popular_topics_kept_under_the_portal_epoch_until_a_change(settings, article_index):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    portal_invalidate()
    ArticlePageFactory(parent=article_index, topics=["防灾减灾"])
    assert [(t.name, t.count) for t in selectors.topic_popular_list()] == [("防灾减灾", 1)]
    ArticlePageFactory(parent=article_index, topics=["防灾减灾"])
    with CaptureQueriesContext(connection) as ctx:
        kept = selectors.topic_popular_list()
    assert [(t.name, t.count) for t in kept] == [("防灾减灾", 1)] and not ctx.captured_queries
    portal_invalidate()  # what the commit of a publish does (content.signal_handlers)
    assert [(t.name, t.count) for t in selectors.topic_popular_list()] == [("防灾减灾", 2)]
    cache.clear()


def test_listing_total_kept_under_the_portal_epoch_and_private_pages_stay_out(
    settings, client, article_index
):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    portal_invalidate()
    for i in range(13):
        ArticlePageFactory(parent=article_index, title=f"公开{i}")
    private = ArticlePageFactory(parent=article_index, title="内部资料")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert "第 1 / 2 页" in client.get("/articles/").content.decode()
    ArticlePageFactory.create_batch(12, parent=article_index)
    assert "第 1 / 2 页" in client.get("/articles/").content.decode()  # same epoch: same total
    portal_invalidate()
    html = client.get("/articles/").content.decode()
    assert "第 1 / 3 页" in html and "内部资料" not in html
    cache.clear()

"""Search keeps answering and loses no update when Elasticsearch is down; rebuilds are atomic."""

import html
import re
import socket
import time

import pytest
from django.conf import settings as django_settings
from modelsearch.backends.elasticsearch8 import Elasticsearch8Index
from wagtail.models import Page

from content.periodic import periodic_jobs, periodic_jobs_run
from search.backends import backend_get
from search.documents import search_index_rebuild, search_pending_flush
from search.engine_health import engine_resting
from search.engines import ElasticsearchEngine
from search.models import PendingIndexUpdate, SearchDocument
from search.upkeep import search_engine_upkeep
from tests.factories import ArticlePageFactory
from tests.search.conftest import UNREACHABLE_URL, es_config, es_refresh

pytestmark = pytest.mark.django_db


def _search(client, q):
    data = client.get("/api/v1/search/", {"q": q}).json()
    return data["backend"], [html.unescape(re.sub(r"</?mark>", "", r["title"])) for r in data["results"]]


def _engine_down(settings):
    settings.WAGTAILSEARCH_BACKENDS = {
        **django_settings.WAGTAILSEARCH_BACKENDS,
        "elasticsearch": es_config(UNREACHABLE_URL),
    }


def _engine_up(settings):
    settings.WAGTAILSEARCH_BACKENDS = {**django_settings.WAGTAILSEARCH_BACKENDS, "elasticsearch": es_config()}


def test_publishing_indexes_and_unpublishing_removes(
    search_backend, client, article_index, django_capture_on_commit_callbacks
):
    page = ArticlePageFactory(parent=article_index, title="防范一氧化碳中毒", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    if search_backend == "elasticsearch":
        es_refresh()
    assert _search(client, "一氧化碳") == (search_backend, ["防范一氧化碳中毒"])

    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=page.pk).specific.unpublish()
    if search_backend == "elasticsearch":
        es_refresh()
    assert _search(client, "一氧化碳") == (search_backend, [])
    assert not SearchDocument.objects.filter(pk=page.pk).exists()


def test_deleting_a_page_removes_it(
    search_backend, client, article_index, index_pages, django_capture_on_commit_callbacks
):
    page = ArticlePageFactory(parent=article_index, title="地震避险要点")
    index_pages(page)
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=page.pk).delete()
    if search_backend == "elasticsearch":
        es_refresh()
    assert _search(client, "地震避险") == (search_backend, [])


def test_falls_back_to_database_when_engine_unreachable(
    es_backend, settings, client, article_index, index_pages
):
    index_pages(ArticlePageFactory(parent=article_index, title="暴雨天气出行安全"))
    assert _search(client, "暴雨") == ("elasticsearch", ["暴雨天气出行安全"])
    _engine_down(settings)
    assert _search(client, "暴雨") == ("database", ["暴雨天气出行安全"])


def test_updates_made_during_an_outage_reach_the_engine_when_it_returns(
    es_backend, settings, client, article_index, index_pages
):
    changed = ArticlePageFactory(parent=article_index, title="寒潮来临防寒保暖")
    withdrawn = ArticlePageFactory(parent=article_index, title="寒潮期间农业生产建议")
    index_pages(changed, withdrawn)
    assert sorted(_search(client, "寒潮")[1]) == ["寒潮期间农业生产建议", "寒潮来临防寒保暖"]

    _engine_down(settings)
    changed.title = "寒潮来临：老人防寒保暖要点"
    changed.save_revision().publish()
    withdrawn.unpublish()
    added = ArticlePageFactory(parent=article_index, title="寒潮天气道路结冰出行提示")
    index_pages(changed, withdrawn, added)  # what the publish signals do, engine unreachable
    assert PendingIndexUpdate.objects.count() == 3
    backend, titles = _search(client, "寒潮")
    assert backend == "database"
    assert sorted(titles) == ["寒潮天气道路结冰出行提示", "寒潮来临：老人防寒保暖要点"]

    _engine_up(settings)

    search_engine_upkeep()  # the scheduler's next tick replays the queue
    backend, titles = _search(client, "寒潮")
    assert backend == "elasticsearch"
    assert sorted(titles) == ["寒潮天气道路结冰出行提示", "寒潮来临：老人防寒保暖要点"]
    assert PendingIndexUpdate.objects.count() == 0


def test_pending_updates_keep_their_order(es_backend, settings, article_index, index_pages):
    page = ArticlePageFactory(parent=article_index, title="先发布后撤回")
    _engine_down(settings)
    index_pages(page)
    page.unpublish()
    index_pages(page)
    assert PendingIndexUpdate.objects.count() == 1  # one row per page: the latest state wins
    _engine_up(settings)
    assert search_pending_flush() == 1
    es_refresh()

    backend = backend_get("elasticsearch")
    index = backend.get_index_for_model(SearchDocument)
    assert backend.es.count(index=index.name)["count"] == 0


def test_full_rebuild_swaps_atomically(es_backend, client, article_index, index_pages, monkeypatch):
    """While the new index is being filled, searches still answer from the old one."""

    index_pages(*[ArticlePageFactory(parent=article_index, title=f"防汛知识第{i}讲") for i in range(3)])
    seen_during_rebuild = []
    original_add_items = Elasticsearch8Index.add_items

    def add_items_then_search(index, model, items):
        original_add_items(index, model, items)
        seen_during_rebuild.append(_search(client, "防汛"))

    monkeypatch.setattr(Elasticsearch8Index, "add_items", add_items_then_search)
    search_index_rebuild("elasticsearch")
    assert seen_during_rebuild
    assert all(backend == "elasticsearch" and len(titles) == 3 for backend, titles in seen_during_rebuild)
    es_refresh()
    assert len(_search(client, "防汛")[1]) == 3


def test_after_a_failure_the_engine_is_left_alone_for_a_while(
    es_backend, settings, client, article_index, index_pages, monkeypatch
):

    index_pages(ArticlePageFactory(parent=article_index, title="雷电天气户外避险"))
    _engine_down(settings)
    calls = []
    original_search = ElasticsearchEngine.search

    def counting_search(self, request):
        calls.append("search")
        return original_search(self, request)

    monkeypatch.setattr(ElasticsearchEngine, "search", counting_search)
    assert _search(client, "雷电") == ("database", ["雷电天气户外避险"])
    assert calls == ["search"]
    assert _search(client, "雷电") == ("database", ["雷电天气户外避险"])
    assert calls == ["search"]  # the second search did not wait on the unreachable engine


def test_the_rest_is_shared_by_every_process_and_ended_by_the_upkeep_job(
    es_backend, settings, client, article_index, index_pages
):
    """The breaker lives in the shared cache, so another worker skips the engine too; the
    scheduler's upkeep job ends the rest once the engine answers again."""

    index_pages(ArticlePageFactory(parent=article_index, title="雷电天气户外避险"))
    _engine_down(settings)
    assert _search(client, "雷电") == ("database", ["雷电天气户外避险"])
    assert engine_resting(ElasticsearchEngine().config_key)
    _engine_up(settings)
    down_key = ElasticsearchEngine().config_key
    assert _search(client, "雷电")[0] == ("database" if engine_resting(down_key) else "elasticsearch")
    search_engine_upkeep()
    assert not engine_resting(ElasticsearchEngine().config_key)
    assert _search(client, "雷电") == ("elasticsearch", ["雷电天气户外避险"])


@pytest.fixture
def hung_engine():
    """A port that accepts connections and never answers, like an Elasticsearch node that hangs
    (stopped by SIGSTOP, a full GC, a stuck disk)."""

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def test_a_hung_engine_holds_a_search_no_longer_than_the_query_timeout(
    es_backend, settings, client, article_index, index_pages, hung_engine
):
    """Writes keep their long timeout (5 s here), but a search gives up on the engine after
    SEARCH_ENGINE_QUERY_TIMEOUT and answers from the database; it never replays writes itself."""

    page = ArticlePageFactory(parent=article_index, title="冰雹天气农作物防护")
    index_pages(page)
    settings.SEARCH_ENGINE_QUERY_TIMEOUT = 0.5
    settings.WAGTAILSEARCH_BACKENDS = {
        **django_settings.WAGTAILSEARCH_BACKENDS,
        "elasticsearch": es_config(hung_engine),
    }
    PendingIndexUpdate.objects.create(page_id=page.pk, backend="elasticsearch")

    started = time.monotonic()
    assert _search(client, "冰雹") == ("database", ["冰雹天气农作物防护"])
    assert time.monotonic() - started < 3  # not the 5 s write timeout, let alone two of them
    assert PendingIndexUpdate.objects.get().attempts == 0  # no write was tried on the search path
    started = time.monotonic()
    assert _search(client, "冰雹") == ("database", ["冰雹天气农作物防护"])
    assert time.monotonic() - started < 0.5  # the engine is left alone for a while


def test_queued_writes_are_replayed_by_the_upkeep_job_not_by_the_search(
    es_backend, settings, client, article_index, index_pages
):

    _engine_down(settings)
    index_pages(ArticlePageFactory(parent=article_index, title="冰雹天气农作物防护"))  # queued
    _engine_up(settings)

    assert _search(client, "冰雹") == ("elasticsearch", [])  # not replayed by the search itself
    assert PendingIndexUpdate.objects.count() == 1
    assert "search_engine_upkeep" in periodic_jobs()
    periodic_jobs_run()  # the scheduler's tick
    assert PendingIndexUpdate.objects.count() == 0
    assert _search(client, "冰雹") == ("elasticsearch", ["冰雹天气农作物防护"])

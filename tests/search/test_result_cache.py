"""The brief search result cache (search.result_cache) on both backends: a repeated search is
answered from the cache, still counted, and a publish shows on the next request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.page_cache import portal_invalidate
from search import result_cache
from search.models import SearchQueryStat
from tests.factories import ArticlePageFactory

from .conftest import es_refresh

pytestmark = pytest.mark.django_db
URL = "/api/v1/search/"


@pytest.fixture(autouse=True)
def result_cache_on(settings, monkeypatch):
    settings.SEARCH_RESULT_CACHE_SECONDS = 30
    # Indexing the fixtures just moved the search epoch; the settle time is tested on its own.
    monkeypatch.setattr(result_cache, "SETTLE_SECONDS", 0.0)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pages(search_backend, article_index, index_pages):
    return index_pages(
        ArticlePageFactory(parent=article_index, title="高温天气如何预防中暑", audiences=["workers"]),
        ArticlePageFactory(parent=article_index, title="中暑急救三步", audiences=["elderly"]),
    )


def _search_queries(client, url, params) -> tuple[list[str], object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries if "search_searchquerystat" not in q["sql"]]
    return sql, response


@pytest.mark.parametrize("url", [URL, "/search/"])
def test_a_repeated_search_is_answered_from_the_cache(client, pages, url):
    first, first_response = _search_queries(client, url, {"q": "中暑", "audience": "workers"})
    second, second_response = _search_queries(client, url, {"q": "中暑", "audience": "workers"})
    assert any("search_searchdocument" in sql for sql in first)
    assert not any("search_searchdocument" in sql for sql in second)
    assert len(second) < len(first)
    assert second_response.content == first_response.content


def test_filters_and_pages_are_part_of_the_key(client, pages):
    client.get(URL, {"q": "中暑"})
    other, response = _search_queries(client, URL, {"q": "中暑", "audience": "elderly"})
    assert any("search_searchdocument" in sql for sql in other)
    assert [r["title"] for r in response.json()["results"]] == ["<mark>中暑</mark>急救三步"]


def test_cached_answers_are_counted_in_the_statistics(client, pages):
    for _ in range(3):
        client.get(URL, {"q": "中暑"})
    stat = SearchQueryStat.objects.get(query="中暑")
    assert (stat.hits, stat.last_result_count) == (3, 2)


def test_a_publish_shows_on_the_next_request(client, pages, article_index, search_backend, committed):
    assert client.get(URL, {"q": "中暑"}).json()["count"] == 2
    with committed():
        ArticlePageFactory(parent=article_index, title="中暑的早期信号", live=False).save_revision().publish()
    if search_backend == "elasticsearch":
        es_refresh()  # the node shows a write after its refresh (the cache waits SETTLE_SECONDS)
    data = client.get(URL, {"q": "中暑"}).json()
    assert data["count"] == 3 and "中暑的早期信号" in {
        r["title"].replace("<mark>", "").replace("</mark>", "") for r in data["results"]
    }


def test_moving_the_portal_epoch_starts_over(client, pages):
    client.get(URL, {"q": "中暑"})
    portal_invalidate()  # what the commit of any public change does, in any process
    again, _ = _search_queries(client, URL, {"q": "中暑"})
    assert any("search_searchdocument" in sql for sql in again)


def test_nothing_is_stored_while_the_index_settles(client, pages, monkeypatch):
    monkeypatch.setattr(result_cache, "SETTLE_SECONDS", 60.0)
    result_cache.search_results_invalidate()
    client.get(URL, {"q": "中暑"})
    again, _ = _search_queries(client, URL, {"q": "中暑"})
    assert any("search_searchdocument" in sql for sql in again)


def test_a_failing_cache_is_a_miss_not_an_error(client, pages, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", broken)
    monkeypatch.setattr(cache, "set", broken)
    response = client.get(URL, {"q": "中暑"})
    assert response.status_code == 200 and response.json()["count"] == 2


def test_zero_seconds_turns_it_off(client, pages, settings):
    settings.SEARCH_RESULT_CACHE_SECONDS = 0
    client.get(URL, {"q": "中暑"})
    again, _ = _search_queries(client, URL, {"q": "中暑"})
    assert any("search_searchdocument" in sql for sql in again)

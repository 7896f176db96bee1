"""The portal search page: results with badges and highlights, chips, pagination, empty state,
editors' picks, query logging, suggestions."""

import pytest
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from search.models import SearchHint, SearchQueryStat
from tests.factories import ArticlePageFactory, VideoPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(search_backend, article_index, video_index, index_pages):
    made = [
        ArticlePageFactory(
            parent=article_index, title="高温天气如何预防中暑", audiences=["workers"], topics=["卫生健康"]
        ),
        VideoPageFactory(
            parent=video_index, title="老人中暑急救", audiences=["elderly"], topics=["应急救护"]
        ),
    ]
    made += [
        ArticlePageFactory(parent=article_index, title=f"防暑小知识{i}", audiences=["farmers"])
        for i in range(11)
    ]
    index_pages(*made)
    return made


def test_results_have_badges_highlights_and_chips(client, pages):
    html = client.get("/search/", {"q": "中暑"}).content.decode()
    assert "找到 2 条结果" in html
    assert "高温天气如何预防<mark>中暑</mark>" in html
    assert '<span class="badge badge-type">科普视频</span>' in html and "老年人" in html
    assert "按受众筛选" in html and '产业工人 <span class="count">1</span>' in html


def test_audience_chip_filters(client, pages):
    html = client.get("/search/", {"q": "中暑", "audience": "elderly"}).content.decode()
    assert "找到 1 条结果" in html and "老人<mark>中暑</mark>急救" in html and "高温天气如何预防" not in html


def test_pagination_keeps_the_query(client, pages):
    html = client.get("/search/", {"q": "防暑"}).content.decode()
    assert "第 1 / 2 页" in html and "q=%E9%98%B2%E6%9A%91&amp;page=2" in html
    assert "第 2 / 2 页" in client.get("/search/", {"q": "防暑", "page": 2}).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "a:b",
        "(",
        "OR",
        "AND",
        "\\",
        '" * : ( ) OR AND \\',
        "x" * 500,
        "\x00",
        "<script>alert(1)</script>",
    ],
)
def test_hostile_queries_never_break_the_page(client, pages, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_empty_state_suggests_topics_and_popular_searches(client, pages):
    SearchHint.objects.create(
        term="夏季防暑降温"
    )  # 大家都在搜 comes from trusted sources (test_public_hints)
    html = client.get("/search/", {"q": "完全不存在的词语组合"}).content.decode()
    assert "没有找到" in html
    assert "热门主题" in html and "卫生健康" in html
    assert "大家都在搜" in html and "夏季防暑降温" in html


def test_queries_are_logged_with_zero_results(client, pages):
    client.get("/search/", {"q": "中暑"})
    client.get("/search/", {"q": "中暑"})
    client.get("/search/", {"q": "火星移民"})
    hot = SearchQueryStat.objects.get(query="中暑")
    none = SearchQueryStat.objects.get(query="火星移民")
    assert (hot.hits, hot.zero_result_hits, hot.last_result_count) == (2, 0, 2)
    assert (none.hits, none.zero_result_hits) == (1, 1)


def test_editors_picks_are_shown_first(client, pages):
    query = Query.get("中暑")
    SearchPromotion.objects.create(query=query, page=pages[1], description="夏季必看", sort_order=0)
    html = client.get("/search/", {"q": "中暑"}).content.decode()
    assert "编辑推荐" in html and "夏季必看" in html
    assert html.index("编辑推荐") < html.index("search-results")


def test_suggest_api_completes_titles_and_recommended_terms(client, pages):
    SearchHint.objects.create(term="中暑急救")
    client.get("/search/", {"q": "中暑的症状"})  # one visitor's search is not a suggestion
    data = client.get("/api/v1/search/suggest/", {"q": "中暑"}).json()
    assert data["suggestions"][0] == "中暑急救" and "中暑的症状" not in data["suggestions"]
    assert "老人中暑急救" in data["suggestions"]
    assert client.get("/api/v1/search/suggest/", {"q": ""}).json() == {"suggestions": []}
    assert client.get("/api/v1/search/suggest/", {"q": "x" * 500}).status_code == 400


def test_search_box_offers_suggestions(client, home):
    html = client.get("/").content.decode()
    assert 'data-suggest-url="/api/v1/search/suggest/"' in html and 'list="search-suggestions"' in html


def test_bad_filter_shows_a_chinese_message(client, pages):
    html = client.get("/search/", {"q": "中暑", "audience": "aliens"}).content.decode()
    assert "未知受众" in html


def test_a_script_title_is_shown_escaped(client, search_backend, article_index, index_pages):
    index_pages(ArticlePageFactory(parent=article_index, title="<script>alert(1)</script>网络安全科普"))
    html = client.get("/search/", {"q": "网络安全"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>网络安全</mark>科普" in html
    assert "<script>alert(1)</script>" not in html

"""The interim portal search: Chinese substring matches, audience filter, hostile input."""

import pytest

from tests.factories import ArticlePageFactory, VideoPageFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"',
    "*",
    "a:b",
    "(",
    ")",
    "OR",
    "AND",
    "\\",
    '" * : ( ) OR AND \\',
    "x" * 500,
    "NEAR(a b)",
    "^",
    "-",
    "\x00",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_query_syntax_characters_never_cause_an_error(client, article_index, query):
    ArticlePageFactory(parent=article_index, title="夏季防溺水")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_finds_chinese_inside_a_longer_title_and_filters_by_audience(client, article_index, video_index):
    ArticlePageFactory(parent=article_index, title="高温天气如何预防中暑", audiences=["workers"])
    VideoPageFactory(parent=video_index, title="老人中暑急救", audiences=["elderly"])
    both = client.get("/search/", {"q": "中暑"}).content.decode()
    assert "高温天气如何预防中暑" in both and "老人中暑急救" in both
    elderly = client.get("/search/", {"q": "中暑", "audience": "elderly"}).content.decode()
    assert "老人中暑急救" in elderly and "高温天气如何预防中暑" not in elderly


def test_drafts_never_appear_in_results(client, article_index):
    draft = ArticlePageFactory(parent=article_index, title="草稿：防汛知识")
    draft.unpublish()
    assert "草稿：防汛知识" not in client.get("/search/", {"q": "防汛"}).content.decode()


def test_empty_query_shows_a_prompt(client, home):
    html = client.get("/search/").content.decode()
    assert "请输入想了解的内容" in html

"""A synonym group added by an editor in the admin changes search results at once."""

import re

import pytest

from search.models import SynonymGroup
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_synonym_added_in_admin_takes_effect(
    search_backend, admin_client, client, article_index, index_pages
):
    index_pages(ArticlePageFactory(parent=article_index, title="夏天游泳安全须知"))
    assert client.get("/api/v1/search/", {"q": "戏水"}).json()["count"] == 0

    response = admin_client.post(
        "/admin/snippets/search/synonymgroup/add/",
        {"terms": "游泳，戏水，玩水", "note": "夏季", "enabled": "on"},
    )
    assert response.status_code == 302
    assert SynonymGroup.objects.filter(terms="游泳，戏水，玩水").exists()
    assert [
        re.sub(r"</?mark>", "", r["title"])
        for r in client.get("/api/v1/search/", {"q": "戏水"}).json()["results"]
    ] == ["夏天游泳安全须知"]

    group = SynonymGroup.objects.get(terms="游泳，戏水，玩水")
    admin_client.post(
        f"/admin/snippets/search/synonymgroup/edit/{group.pk}/",
        {"terms": "游泳，戏水", "note": "", "enabled": ""},
    )
    assert client.get("/api/v1/search/", {"q": "戏水"}).json()["count"] == 0  # disabled


def test_synonym_admin_lists_groups_in_chinese(admin_client):
    html = admin_client.get("/admin/snippets/search/synonymgroup/").content.decode()
    assert "搜索同义词" in html and "老人、老年人、长者、银发族、老年朋友" in html


def test_query_statistics_report(admin_client, client, home):
    client.get("/search/", {"q": "不存在的内容"})
    html = admin_client.get(
        "/admin/snippets/search/searchquerystat/", {"zero_results": "true"}
    ).content.decode()
    assert "不存在的内容" in html

"""Public search hints (大家都在搜, suggestions) come only from trusted sources: editors' recommended
terms, and queries that found results for many distinct visitors on several days. Nobody can push a
term in by repeating a search; the editors' block list and hidden terms always win."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from search import query_stats
from search.hints import popular_queries, search_suggest
from search.models import HINT_HIDDEN, SearchBlockedTerm, SearchHint, SearchQueryStat, SearchQueryVisitor
from search.selectors import page_search
from tests.factories import ArticlePageFactory, user_in_group

pytestmark = pytest.mark.django_db

SEARCH = "/search/"
SUGGEST = "/api/v1/search/suggest/"
NOTHING = "完全不存在的词语组合"  # an empty result page shows 大家都在搜


@pytest.fixture
def pages(settings, article_index, index_pages):
    settings.WAGTAILSEARCH_BACKENDS = {"default": django_settings.WAGTAILSEARCH_BACKENDS["default"]}
    return index_pages(
        ArticlePageFactory(parent=article_index, title="高温天气如何预防中暑"),
        ArticlePageFactory(parent=article_index, title="防范电信诈骗十招"),
    )


def _visit(client, query, *, visitor, day, url=SEARCH):
    with freeze_time(f"{day} 10:00:00+08:00"):
        response = client.get(
            url, {"q": query}, REMOTE_ADDR=f"203.0.113.{visitor}", HTTP_USER_AGENT="Mozilla/5.0"
        )
    assert response.status_code == 200
    return response


def _popular(client) -> str:
    html = client.get(SEARCH, {"q": NOTHING}).content.decode()
    assert "没有找到" in html
    return html.split("大家都在搜", 1)[1] if "大家都在搜" in html else ""


def _suggestions(client, prefix):
    return client.get(SUGGEST, {"q": prefix}).json()["suggestions"]


def _qualify(client, query, visitors=5, days=("2026-06-01", "2026-06-02")):
    for n in range(visitors):
        _visit(client, query, visitor=n + 1, day=days[n % len(days)])


@pytest.fixture
def today():
    with freeze_time("2026-06-03 09:00:00+08:00"):
        yield


def test_one_visitor_repeating_a_term_never_makes_it_a_hint(client, pages):
    for i in range(50):  # the same address and browser, over five days, half through the API
        _visit(
            client,
            "预防中暑",
            visitor=7,
            day=f"2026-06-0{1 + i % 5}",
            url=SEARCH if i % 2 else "/api/v1/search/",
        )
    assert sum(SearchQueryStat.objects.filter(query="预防中暑").values_list("hits", flat=True)) == 50
    assert SearchQueryVisitor.objects.filter(query="预防中暑").values("visitor_key").distinct().count() == 1
    with freeze_time("2026-06-06 09:00:00+08:00"):
        assert "预防中暑" not in _popular(client)
        assert "预防中暑" not in _suggestions(client, "预防")
        assert "预防中暑" not in popular_queries()


def test_four_visitors_or_one_day_is_not_enough(client, pages, today):
    _qualify(client, "预防中暑", visitors=4)
    _qualify(client, "电信诈骗", visitors=6, days=("2026-06-02",))
    assert popular_queries() == []


def test_five_visitors_on_two_days_make_a_hint(client, pages):
    _qualify(client, "预防中暑")
    with freeze_time("2026-06-03 09:00:00+08:00"):
        assert "预防中暑" in _popular(client)
        assert _suggestions(client, "预防")[0] == "预防中暑"
        assert "高温天气如何预防中暑" in _suggestions(client, "预防")  # titles follow the hints
    with freeze_time("2026-07-05 09:00:00+08:00"):  # out of the 30-day window
        assert "预防中暑" not in popular_queries()


def test_queries_that_found_nothing_never_qualify(client, pages, today):
    _qualify(client, "政府某某不作为", visitors=8)
    assert popular_queries() == [] and search_suggest("政府") == []


def test_approved_terms_come_first_in_the_editors_order(client, pages):
    _qualify(client, "预防中暑")
    SearchHint.objects.create(term="防溺水", sort_order=2)
    SearchHint.objects.create(term="台风来了怎么办", sort_order=1)
    SearchHint.objects.create(term="防范诈骗", sort_order=3)
    with freeze_time("2026-06-03 09:00:00+08:00"):
        assert popular_queries() == ["台风来了怎么办", "防溺水", "防范诈骗", "预防中暑"]
        assert popular_queries(limit=2) == ["台风来了怎么办", "防溺水"]
        html = _popular(client)
        assert html.index("台风来了怎么办") < html.index("防溺水") < html.index("预防中暑")
        assert _suggestions(client, "防")[:2] == ["防溺水", "防范诈骗"]


@pytest.mark.parametrize("blocked", ["中暑", "預防中暑", "防中"])
def test_a_blocked_phrase_wins_over_everything(client, pages, blocked):
    _qualify(client, "预防中暑")
    SearchHint.objects.create(term="中暑急救", sort_order=1)
    SearchHint.objects.create(term="防溺水", sort_order=2)
    SearchBlockedTerm.objects.create(phrase=blocked)
    with freeze_time("2026-06-03 09:00:00+08:00"):
        shown = popular_queries()
        assert "预防中暑" not in shown and "防溺水" in shown
        assert ("中暑急救" in shown) == (blocked != "中暑")  # approval does not beat the block list
        assert "预防中暑" not in _suggestions(client, "预防")
        assert "预防中暑" not in _popular(client)


def test_full_width_traditional_and_case_variants_are_blocked(pages):
    SearchHint.objects.create(term="H7N9禽流感防范", sort_order=1)
    SearchHint.objects.create(term="網絡詐騙", sort_order=2)
    SearchHint.objects.create(term="防溺水", sort_order=3)
    SearchBlockedTerm.objects.create(phrase="ｈ７ｎ９")
    SearchBlockedTerm.objects.create(phrase="网络诈骗")
    assert popular_queries() == ["防溺水"]
    assert search_suggest("h7") == [] and search_suggest("网络") == []


def test_a_hidden_term_never_appears(client, pages):
    _qualify(client, "预防中暑")
    SearchHint.objects.create(term="預防中暑", status=HINT_HIDDEN)  # the Traditional spelling hides it too
    with freeze_time("2026-06-03 09:00:00+08:00"):
        assert "预防中暑" not in popular_queries()
        assert "预防中暑" not in _suggestions(client, "预防")


def test_editorial_banned_words_are_never_hints(pages):
    SearchHint.objects.create(term="祖传秘方包治百病", sort_order=1)
    SearchHint.objects.create(term="防溺水", sort_order=2)
    assert popular_queries() == ["防溺水"]


def test_page_search_writes_nothing(pages):
    with CaptureQueriesContext(connection) as ctx:
        page_search("中暑")
        page_search("中暑", cached=True)
        page_search("火星移民")
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    query_stats.query_stats_flush()
    assert not SearchQueryStat.objects.exists() and not SearchQueryVisitor.objects.exists()


def test_the_visitor_key_is_an_opaque_hash(client, pages, today):
    client.get(SEARCH, {"q": "中暑"}, REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT="UA-1")
    client.get(SEARCH, {"q": "中暑"}, REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT="UA-2")
    keys = list(SearchQueryVisitor.objects.values_list("visitor_key", flat=True))
    assert len(keys) == 2 and all(len(key) == 16 for key in keys)
    assert query_stats.visitor_key_for("198.51.100.23", "UA-1") in keys
    stored = " ".join(str(row) for row in SearchQueryVisitor.objects.values_list())
    assert "198.51.100.23" not in stored and "UA-1" not in stored


def test_old_visitor_rows_are_pruned_by_the_flush(pages, monkeypatch):
    monkeypatch.setitem(query_stats._pruned_on, "day", None)
    SearchQueryVisitor.objects.create(query="旧", day=dt.date(2026, 1, 1), visitor_key="a" * 16, found=True)
    SearchQueryVisitor.objects.create(query="新", day=dt.date(2026, 5, 1), visitor_key="a" * 16, found=True)
    with freeze_time("2026-06-03 09:00:00+08:00"):
        query_stats.query_stats_record("中暑", 2, "b" * 16)
        query_stats.query_stats_flush()
    assert set(SearchQueryVisitor.objects.values_list("query", flat=True)) == {"新", "中暑"}


# 候选热词 and the snippets' permissions

CANDIDATES = "/admin/search_hint_candidates/"


def test_candidates_list_qualifying_terms_and_hide_them_in_one_click(client, pages):
    _qualify(client, "预防中暑")
    _qualify(client, "电信诈骗")
    SearchBlockedTerm.objects.create(phrase="诈骗")
    client.force_login(user_in_group("final", "终审员"))
    with freeze_time("2026-06-03 09:00:00+08:00"):
        html = client.get(CANDIDATES).content.decode()
        assert 'value="预防中暑"' in html and "电信诈骗" not in html  # blocked ones are already off the list
        response = client.post(f"{CANDIDATES}hide/", {"query": "预防中暑"})
        assert response.status_code == 302
        assert SearchHint.objects.get(term="预防中暑").status == HINT_HIDDEN
        assert "预防中暑" not in popular_queries()
        html = client.get(CANDIDATES).content.decode()
        assert "已隐藏“预防中暑”" in html and 'value="预防中暑"' not in html


def test_candidates_need_change_permission_on_hints(client, pages):
    client.force_login(user_in_group("editor", "科普编辑"))
    assert client.get(CANDIDATES).status_code in (302, 403)
    client.post(f"{CANDIDATES}hide/", {"query": "预防中暑"})
    assert not SearchHint.objects.exists()


@pytest.mark.parametrize(
    ("group", "manages"),
    [
        ("终审员", True),
        ("管理员", True),
        ("科普编辑", False),
        ("初审员", False),
        ("复审员", False),
        ("应急管理审核", False),
    ],
)
def test_final_reviewers_and_administrators_manage_hints_and_the_block_list(db, group, manages):
    user = user_in_group("u", group)
    for model in ("searchhint", "searchblockedterm"):
        assert user.has_perm(f"search.view_{model}")
        for action in ("add", "change", "delete"):
            assert user.has_perm(f"search.{action}_{model}") == manages


def test_hint_and_block_list_admin(client, pages):
    client.force_login(user_in_group("final", "终审员"))
    response = client.post(
        "/admin/snippets/search/searchblockedterm/add/", {"phrase": "某某", "note": "谣言"}
    )
    assert response.status_code == 302 and SearchBlockedTerm.objects.get().phrase == "某某"
    response = client.post("/admin/snippets/search/searchblockedterm/add/", {"phrase": "某某"})
    assert "已有相同的屏蔽词" in response.content.decode()
    data = {"term": "防溺水", "status": "recommended", "sort_order": "1", "note": ""}
    assert client.post("/admin/snippets/search/searchhint/add/", data).status_code == 302
    assert popular_queries() == ["防溺水"]


def test_qualifying_terms_are_kept_briefly_but_hiding_applies_at_once(client, pages, settings):
    _qualify(client, "预防中暑")
    settings.SEARCH_HINT_CACHE_SECONDS = 60
    with freeze_time("2026-06-03 09:00:00+08:00") as frozen:
        assert popular_queries() == ["预防中暑"]
        _qualify(client, "电信诈骗", days=("2026-06-03",) * 2 + ("2026-06-02",))
        with CaptureQueriesContext(connection) as ctx:
            assert popular_queries() == ["预防中暑"]  # the aggregate is not run again yet
        assert not any("search_searchqueryvisitor" in q["sql"] for q in ctx.captured_queries)
        SearchHint.objects.create(term="预防中暑", status=HINT_HIDDEN)
        assert popular_queries() == []
        frozen.tick(61)
        assert popular_queries() == ["电信诈骗"]


def test_the_admin_menu_offers_candidates_only_to_those_who_may_hide(client, pages):
    def menu(username, group):
        client.force_login(user_in_group(username, group))
        return client.get("/admin/").content.decode()

    hints, blocked = "/admin/snippets/search/searchhint/", "/admin/snippets/search/searchblockedterm/"
    final = menu("final", "终审员")
    assert CANDIDATES in final and hints in final and blocked in final
    editor = menu("editor", "科普编辑")
    assert CANDIDATES not in editor and hints in editor

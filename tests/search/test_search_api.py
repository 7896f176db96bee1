"""/api/v1/search/ on both backends: Chinese matching, filters, facets, highlights, bad input."""

import datetime as dt
import html
import re

import pytest
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import PageViewRestriction

from search.models import SynonymGroup
from tests.factories import ArticlePageFactory, EmergencyPageFactory, VideoPageFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/search/"


@pytest.fixture
def corpus(search_backend, article_index, video_index, emergency_index, index_pages):
    now = timezone.now()
    pages = {
        "drowning": ArticlePageFactory(
            parent=article_index,
            title="暑期预防溺水：六不要牢记",
            summary="科普：不私自下水游泳。",
            audiences=["youth"],
            topics=["防溺水"],
            body=[("paragraph", "<p>夏天是溺水事故高发期，孩子游泳必须有家长陪同。</p>")],
        ),
        "fraud": ArticlePageFactory(
            parent=article_index,
            title="老年人防范电信诈骗指南",
            summary="科普：陌生来电要核实。",
            audiences=["elderly"],
            topics=["防范电信诈骗"],
            body=[("paragraph", "<p>骗子常冒充公检法，要求转账到“安全账户”。</p>")],
        ),
        "cpr": VideoPageFactory(
            parent=video_index,
            title="三分钟学会心肺复苏",
            summary="科普：急救视频。",
            audiences=["workers", "elderly"],
            topics=["应急救护"],
            transcript="胸外按压深度五到六厘米，频率每分钟一百到一百二十次。",
        ),
        "heat": EmergencyPageFactory(
            parent=emergency_index,
            title="高温橙色预警：注意防暑",
            summary="科普：连续高温。",
            audiences=["workers"],
            topics=["防灾减灾"],
            hazard="heatwave",
            severity="orange",
            instructions="1. 户外作业避开午后高温时段\n2. 出现中暑症状立即转移到阴凉处",
            effective_from=now - dt.timedelta(hours=2),
            expires_at=now + dt.timedelta(days=1),
        ),
        "heat_article": ArticlePageFactory(
            parent=article_index,
            title="高温天气防暑降温小常识",
            summary="科普：多喝水，避免中暑。",
            audiences=["farmers"],
            topics=["卫生健康"],
            first_published_at=now,
        ),
        "script": ArticlePageFactory(
            parent=article_index,
            title="<script>alert(1)</script>网络安全科普",
            summary="不要点击陌生链接。",
            audiences=["youth"],
            topics=["数字素养"],
        ),
    }
    index_pages(*pages.values())
    return pages


def _search(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content.decode()
    return response.json()


def _titles(data):
    """Result titles as plain text (the API returns them escaped, with <mark> highlights)."""

    return [html.unescape(re.sub(r"</?mark>", "", r["title"])) for r in data["results"]]


def test_response_shape_and_backend(client, corpus, search_backend):
    data = _search(client, q="溺水")
    assert data["backend"] == search_backend
    assert set(data) == {"query", "count", "page", "page_size", "backend", "results", "facets"}
    result = data["results"][0]
    assert set(result) == {
        "id",
        "slug",
        "title",
        "url",
        "type",
        "audiences",
        "topics",
        "snippet",
        "published_at",
        "severity",
        "status",
    }
    assert result["title"] == "暑期预防<mark>溺水</mark>：六不要牢记" and result["type"] == "article"
    assert result["audiences"] == ["youth"] and result["topics"] == ["防溺水"]
    assert result["url"] == corpus["drowning"].url
    assert result["published_at"].endswith("+08:00")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("防溺水", "暑期预防溺水：六不要牢记"),  # segmentation differs from the text (预防/溺水)
        ("孩子游泳", "暑期预防溺水：六不要牢记"),  # words from the body
        ("電信詐騙", "老年人防范电信诈骗指南"),  # Traditional input
        ("ＣＰＲ 心肺复苏", "三分钟学会心肺复苏"),  # full-width input
        ("胸外按压", "三分钟学会心肺复苏"),  # video transcript
        ("中暑症状", "高温橙色预警：注意防暑"),  # emergency instructions
    ],
)
def test_chinese_queries_find_the_right_page(client, corpus, query, expected):
    assert _titles(_search(client, q=query))[0] == expected


def test_default_synonyms_ship_with_the_site(client, corpus):
    assert _titles(_search(client, q="银发族 电诈"))[0] == "老年人防范电信诈骗指南"


def test_editor_synonyms_apply(client, corpus):
    SynonymGroup.objects.all().delete()
    assert "老年人防范电信诈骗指南" not in _titles(_search(client, q="银发族 电诈"))
    SynonymGroup.objects.create(terms="银发族，老年人，老人")
    SynonymGroup.objects.create(terms="电诈，电信诈骗")
    assert _titles(_search(client, q="银发族 电诈"))[0] == "老年人防范电信诈骗指南"


def test_title_outweighs_body(client, corpus, article_index, index_pages):
    index_pages(
        ArticlePageFactory(
            parent=article_index,
            title="夏季饮食卫生",
            summary="",
            body=[("paragraph", "<p>文末顺便提到溺水。</p>")],
        )
    )
    titles = _titles(_search(client, q="溺水"))
    assert titles.index("暑期预防溺水：六不要牢记") < titles.index("夏季饮食卫生")


def test_active_emergency_that_matches_ranks_first(client, corpus):
    titles = _titles(_search(client, q="高温"))
    assert titles[0] == "高温橙色预警：注意防暑"
    assert "高温天气防暑降温小常识" in titles
    dated = _titles(_search(client, q="高温", sort="date"))
    assert dated[0] == "高温橙色预警：注意防暑"


def test_expired_emergency_gets_no_priority(client, corpus, emergency_index, index_pages):
    page = corpus["heat"]
    page.effective_from = timezone.now() - dt.timedelta(days=5)
    page.expires_at = timezone.now() - dt.timedelta(days=1)
    page.first_published_at = timezone.now() - dt.timedelta(days=5)
    page.save()
    index_pages(page)
    # By date, the newer article now comes first: the expired warning gets no priority.
    assert _titles(_search(client, q="高温", sort="date"))[0] == "高温天气防暑降温小常识"


def _by_id(data) -> dict:
    return {r["id"]: r for r in data["results"]}


def test_status_says_whether_each_emergency_is_in_force_and_is_null_for_other_types(
    client, corpus, emergency_index, index_pages
):
    now = timezone.now()
    upcoming = EmergencyPageFactory(
        parent=emergency_index,
        title="高温黄色预警：明日起持续高温",
        hazard="heatwave",
        severity="yellow",
        effective_from=now + dt.timedelta(days=1),
        expires_at=now + dt.timedelta(days=2),
    )
    expired = EmergencyPageFactory(
        parent=emergency_index,
        title="高温蓝色预警：上周高温已结束",
        hazard="heatwave",
        severity="blue",
        effective_from=now - dt.timedelta(days=8),
        expires_at=now - dt.timedelta(days=7),
    )
    index_pages(upcoming, expired)
    results = _by_id(_search(client, q="高温", page_size=20))
    assert results[corpus["heat"].pk]["status"] == "active"
    assert results[corpus["heat"].pk]["severity"] == "orange"
    assert results[upcoming.pk]["status"] == "upcoming"
    assert results[expired.pk]["status"] == "expired"
    assert results[corpus["heat_article"].pk]["status"] is None
    assert results[corpus["heat_article"].pk]["severity"] is None
    assert {r["status"] for r in results.values() if r["type"] != "emergency"} == {None}


def test_status_is_computed_when_searching_not_when_indexing(client, corpus):
    """A warning indexed while in force reads as expired once its window closes, with no reindex."""
    heat = corpus["heat"]
    assert _by_id(_search(client, q="高温"))[heat.pk]["status"] == "active"
    with freeze_time(heat.expires_at - dt.timedelta(seconds=1), tick=True):
        data = _search(client, q="高温")
        assert _by_id(data)[heat.pk]["status"] == "active"
        assert _titles(data)[0] == "高温橙色预警：注意防暑"  # still ranks first while in force
    with freeze_time(heat.expires_at, tick=True):  # the expiry instant: [effective_from, expires_at)
        assert _by_id(_search(client, q="高温"))[heat.pk]["status"] == "expired"
    with freeze_time(heat.effective_from - dt.timedelta(seconds=1), tick=True):
        assert _by_id(_search(client, q="高温"))[heat.pk]["status"] == "upcoming"


def test_filters_and_facets(client, corpus):
    data = _search(client, q="科普")
    assert data["count"] == 6
    assert data["facets"]["type"] == {"article": 4, "video": 1, "emergency": 1}
    assert data["facets"]["audience"] == {"youth": 2, "elderly": 2, "workers": 2, "farmers": 1}
    elderly = _search(client, q="科普", audience="elderly")
    assert sorted(_titles(elderly)) == ["三分钟学会心肺复苏", "老年人防范电信诈骗指南"]
    # Facets of the other dimensions follow the filter; the filtered dimension keeps its counts.
    assert elderly["facets"]["type"] == {"article": 1, "video": 1}
    assert elderly["facets"]["audience"]["youth"] == 2
    videos = _search(client, q="科普", type="video")
    assert _titles(videos) == ["三分钟学会心肺复苏"]
    topic = _search(client, q="科普", topic="防溺水")
    assert _titles(topic) == ["暑期预防溺水：六不要牢记"]
    both = _search(client, q="科普", type="article,emergency", audience="workers")
    assert _titles(both) == ["高温橙色预警：注意防暑"]


def test_a_long_query_needs_two_of_its_words(client, corpus):
    # Four unrelated concepts: no page covers two of them, so nothing is a confident answer.
    assert _search(client, q="高温 溺水 诈骗 心肺复苏")["count"] == 0
    assert _titles(_search(client, q="高温 防暑 量子"))[0] in {
        "高温橙色预警：注意防暑",
        "高温天气防暑降温小常识",
    }


def test_pagination(client, corpus):
    first = _search(client, q="科普", page_size=2)
    second = _search(client, q="科普", page_size=2, page=2)
    assert first["count"] == second["count"] == 6
    assert len(first["results"]) == 2 and len(second["results"]) == 2
    assert not set(_titles(first)) & set(_titles(second))
    beyond = _search(client, q="高温", page=999)
    assert beyond["results"] == [] and beyond["count"] == 2


def test_highlights_escape_everything_but_mark(client, corpus):
    result = _search(client, q="网络安全")["results"][0]
    assert result["title"] == "&lt;script&gt;alert(1)&lt;/script&gt;<mark>网络安全</mark>科普"
    drowning = _search(client, q="溺水")["results"][0]
    assert "<mark>溺水</mark>" in drowning["snippet"]
    for r in _search(client, q="网络安全 陌生链接")["results"]:
        assert "<script" not in r["snippet"]


def test_drafts_and_private_pages_are_not_found(client, corpus, index_pages):
    corpus["fraud"].unpublish()
    PageViewRestriction.objects.create(page=corpus["cpr"], restriction_type=PageViewRestriction.LOGIN)
    index_pages(corpus["fraud"], corpus["cpr"])
    titles = _titles(_search(client, q="诈骗 心肺复苏"))
    assert "老年人防范电信诈骗指南" not in titles and "三分钟学会心肺复苏" not in titles


def test_no_answer_is_an_empty_result(client, corpus):
    data = _search(client, q="量子引力弦论")
    assert data["count"] == 0 and data["results"] == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "请输入搜索词"),
        ({"q": "   "}, "请输入搜索词"),
        ({"q": "溺" * 500}, "搜索词过长"),
        ({"q": "溺水", "audience": "aliens"}, "未知受众"),
        ({"q": "溺水", "type": "podcast"}, "未知内容类型"),
        ({"q": "溺水", "page": "0"}, "页码必须在"),
        ({"q": "溺水", "page": str(10**9)}, "页码必须在"),
        ({"q": "溺水", "page": "abc"}, "page 必须是整数"),
        ({"q": "溺水", "page_size": "500"}, "page_size 必须在"),
        ({"q": "溺水", "sort": "random"}, "sort 只能是"),
    ],
)
def test_bad_input_answers_400_in_chinese(client, corpus, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.json()["error"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        ":",
        "(",
        ")",
        "OR",
        "AND",
        "\\",
        '" * : ( ) OR AND \\',
        "溺水 OR",
        "NOT 溺水",
        "溺水*",
        "title:溺水",
        "\x00溺水",
        "😀",
        "a" * 100,
    ],
)
def test_query_syntax_is_harmless(client, corpus, query):
    response = client.get(URL, {"q": query})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert isinstance(response.json()["results"], list)


def test_unknown_topic_and_extra_parameters_are_harmless(client, corpus):
    assert _search(client, q="溺水", topic="没有这个主题")["count"] == 0
    assert _search(client, q="溺水", colour="red")["count"] >= 1

"""Search as residents ask (issue 16): colloquial and dictated questions, everyday words, toneless
pinyin and initials, mixed Latin input, and questions we have no answer to — on the database
backend and on a real Elasticsearch node."""

import html
import re

import pytest
from django.conf import settings as django_settings

from search import pinyin, selectors
from tests.factories import ArticlePageFactory, VideoPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(search_backend, article_index, video_index, index_pages, monkeypatch):
    return _corpus_build(article_index, video_index, index_pages, monkeypatch)


def _corpus_build(article_index, video_index, index_pages, monkeypatch):
    monkeypatch.setattr(pinyin, "VERSION_CHECK_SECONDS", 0)
    pinyin._state.update(vocabulary=None, version=None, checked=0.0)

    def article(title, body, **kwargs):
        return ArticlePageFactory(
            parent=article_index, title=title, body=[("paragraph", f"<p>{body}</p>")], **kwargs
        )

    pages = [
        article("急性心肌梗死早期识别", "出现持续胸痛、大汗、气短，立即拨打120，不要自行走动。"),
        article("暑期预防溺水六不要", "孩子游泳必须有家长陪同，不到江河水库野外游泳。"),
        article("警惕冒充医保部门的诈骗", "骗子打电话称您的医保卡被冻结，让您点击链接或转账。这是诈骗。"),
        article("农药安全使用指南", "施药时穿长衣长裤、戴口罩，施药后及时洗手。"),
        article("高血压患者如何在家测血压", "血压计要定期校准，早晚各测一次。"),
        article("高温中暑的急救", "中暑后立即转移到阴凉处，补充淡盐水。"),
        article("基层工作突出问题整改", "聚焦群众反映突出的问题，列出清单逐项整改。"),
        article("科学原理小课堂：浮力", "浮力的原理是阿基米德发现的。"),
        article("AED自动体外除颤器使用方法", "打开AED电源，按语音提示贴好电极片。"),
        article("5G网络让农村直播更流畅", "5G基站已覆盖全部行政村。"),
    ]
    pages.append(
        VideoPageFactory(parent=video_index, title="腹泻了怎么办", transcript="腹泻时注意补液，防止脱水。")
    )
    index_pages(*pages)
    return pages


def _titles(client, q):
    data = client.get("/api/v1/search/", {"q": q}).json()
    return [html.unescape(re.sub(r"</?mark>", "", r["title"])) for r in data["results"]]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("老伴半夜胸口疼得厉害该咋办", "急性心肌梗死早期识别"),  # colloquial, everyday word 胸口疼 → 胸痛
        ("孩子夏天去河里游泳要注意啥", "暑期预防溺水六不要"),  # fillers and words no page has
        ("嗯那个就是手机上有人说我医保卡被冻结了让我点链接", "警惕冒充医保部门的诈骗"),  # dictated
        ("家里血压计量的老是不准咋整", "高血压患者如何在家测血压"),
        ("孩子拉肚子咋整", "腹泻了怎么办"),  # everyday word, shipped lexicon
        # long: several ideas, most words on no page or on many
        ("我爸接到电话说他的医保卡被冻结了要把钱转到安全账户这是不是骗人的", "警惕冒充医保部门的诈骗"),
    ],
)
def test_questions_as_residents_ask_them_find_the_answer(client, corpus, query, title):
    assert _titles(client, query)[:1] == [title]


@pytest.mark.parametrize(
    "query",
    [
        "老伴腰椎间盘突出咋办",  # only 突出 is ours, in an unrelated page
        "量子计算机是什么原理",  # only 原理 is ours
        "高温 溺水 诈骗 农药",  # four topics, no page covers more than one
    ],
)
def test_questions_we_have_no_answer_to_stay_empty(client, corpus, query):
    assert _titles(client, query) == []


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("nongyao", "农药安全使用指南"),
        ("xue ya", "高血压患者如何在家测血压"),
        ("zhongshu", "高温中暑的急救"),
        ("zs", "高温中暑的急救"),  # initials
    ],
)
def test_pinyin_and_initials_find_the_page(client, corpus, query, title):
    data = client.get("/api/v1/search/", {"q": query}).json()
    assert title in [html.unescape(re.sub(r"</?mark>", "", r["title"])) for r in data["results"]][:3]


def test_pinyin_reading_is_shown_on_the_search_page(client, corpus):
    page = client.get("/search/", {"q": "nongyao"}).content.decode()
    assert "按拼音“nongyao”搜索了“农药”" in page
    assert "<mark>农药</mark>安全使用指南" in page  # the Chinese words are highlighted


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("AED怎么用", "AED自动体外除颤器使用方法"),
        ("aed", "AED自动体外除颤器使用方法"),
        ("5G", "5G网络让农村直播更流畅"),
    ],
)
def test_latin_and_mixed_input_keeps_working(client, corpus, query, title):
    data = client.get("/api/v1/search/", {"q": query}).json()
    assert [html.unescape(re.sub(r"</?mark>", "", r["title"])) for r in data["results"]][:1] == [title]


def test_pinyin_suggestions(client, corpus):
    suggestions = client.get("/api/v1/search/suggest/", {"q": "nongy"}).json()["suggestions"]
    assert "农药安全使用指南" in suggestions
    suggestions = client.get("/api/v1/search/suggest/", {"q": "zs"}).json()["suggestions"]
    assert "高温中暑的急救" in suggestions


def test_a_word_no_page_had_is_found_as_soon_as_a_page_has_it(client, corpus, article_index, index_pages):
    """Page counts are remembered briefly (Elasticsearch); a remembered zero must not hide a new page."""
    assert _titles(client, "冰雹") == []
    index_pages(ArticlePageFactory(parent=article_index, title="冰雹天气农作物防护"))
    assert _titles(client, "冰雹") == ["冰雹天气农作物防护"]


def test_the_answer_is_the_same_on_both_backends(
    client, es_backend, settings, article_index, video_index, index_pages, monkeypatch
):
    """The plan is built from each engine's own page counts; they agree on the same corpus."""
    _corpus_build(article_index, video_index, index_pages, monkeypatch)
    queries = ["老伴半夜胸口疼得厉害该咋办", "孩子夏天去河里游泳要注意啥", "老伴腰椎间盘突出咋办", "zs"]
    on_es = [_titles(client, q) for q in queries]
    assert client.get("/api/v1/search/", {"q": "zs"}).json()["backend"] == "elasticsearch"
    settings.WAGTAILSEARCH_BACKENDS = {"default": django_settings.WAGTAILSEARCH_BACKENDS["default"]}
    assert [_titles(client, q) for q in queries] == on_es


def test_a_reading_made_only_of_fillers_is_neither_searched_nor_offered(corpus, monkeypatch):
    monkeypatch.setattr(selectors, "pinyin_words", lambda text: ["总是", "中暑", "什么"])
    response = selectors.page_search("zs")
    assert response.reading == "中暑" and response.other_readings == []
    assert [r.title for r in response.results][:1] == ["高温中暑的急救"]

"""search/pinyin.py: toneless pinyin and initials typed into the search box (issue 16, point 3).

Database backend only: the vocabulary is built from SearchDocument rows, whatever the engine.
"""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from search import pinyin
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_vocabulary(monkeypatch, settings):
    """No vocabulary carried over from another test; the version is checked on every call."""
    settings.WAGTAILSEARCH_BACKENDS = {"default": django_settings.WAGTAILSEARCH_BACKENDS["default"]}
    monkeypatch.setattr(pinyin, "VERSION_CHECK_SECONDS", 0)
    pinyin._state.update(vocabulary=None, version=None, checked=0.0)
    yield
    pinyin._state.update(vocabulary=None, version=None, checked=0.0)


@pytest.fixture
def corpus(article_index, index_pages):
    now = timezone.now()

    def page(title, days_ago, topics=(), body="夏天游泳要去正规场所。"):
        return ArticlePageFactory(
            parent=article_index,
            title=title,
            topics=list(topics),
            first_published_at=now - dt.timedelta(days=days_ago),
            body=[("paragraph", f"<p>{body}</p>")],
        )

    return index_pages(
        page("农药安全使用指南", 30, topics=["农业生产"]),
        page("如何正确测量血压", 20),
        page("夏季防溺水安全指南", 10, topics=["防溺水"]),
        page("高温天气如何预防中暑", 40),
        page("中暑急救三步走", 50),
        page("社区诊所开诊时间调整", 1),  # newest, but 诊所 is in one title and 中暑 in two
        page("家庭消毒怎么做", 60),
        page("雪地行车安全", 5),  # 雪地 and 消毒 (both xd) in one title each: the newer first
        page("AED 使用方法", 15, body="ChatGPT 不能代替急救培训，5G 网络让呼救更快。"),
    )


def test_looks_like_pinyin_is_letters_spaces_and_apostrophes():
    assert pinyin.looks_like_pinyin("nongyao")
    assert pinyin.looks_like_pinyin("Xue Ya")
    assert pinyin.looks_like_pinyin("xi'an")
    assert pinyin.looks_like_pinyin("ｆａｎｇ")  # full-width letters fold to ASCII
    assert not pinyin.looks_like_pinyin("z")
    assert not pinyin.looks_like_pinyin("5g")
    assert not pinyin.looks_like_pinyin("防溺水")
    assert not pinyin.looks_like_pinyin("a" * 41)


def test_full_pinyin_with_or_without_spaces_reads_as_the_word(corpus):
    assert pinyin.pinyin_words("nongyao")[0] == "农药"
    assert pinyin.pinyin_words("xue ya")[0] == "血压"
    assert pinyin.pinyin_words("fangnishui")[0] == "防溺水"
    assert pinyin.pinyin_words("FangNiShui")[0] == "防溺水"


def test_words_typed_together_are_segmented_into_a_reading(corpus):
    # "血压 高", or "血压高" when the synonyms list that phrase as one word.
    assert pinyin.pinyin_readings("xueyagao")[0].replace(" ", "") == "血压高"
    assert pinyin.pinyin_readings("celiang xueya")[0] == "测量 血压"
    assert pinyin.pinyin_words("nongyaoanquan")[0] == "农药 安全"


def test_initials_rank_the_word_in_more_titles_first(corpus):
    readings = pinyin.pinyin_words("zs")
    assert readings[:2] == ["中暑", "诊所"]
    assert pinyin.pinyin_words("fnsh")[0] == "防溺水"
    assert pinyin.pinyin_words("fns")[0] == "防溺水"


def test_at_equal_count_the_word_in_the_newer_title_ranks_first(corpus):
    readings = pinyin.pinyin_words("xd")
    assert readings.index("雪地") < readings.index("消毒")


def test_ascii_terms_of_the_corpus_are_not_converted(corpus):
    assert pinyin.pinyin_words("aed") == []
    assert pinyin.pinyin_words("AED") == []
    assert pinyin.pinyin_words("chatgpt") == []
    assert pinyin.pinyin_words("5g") == []  # not pinyin-like at all
    assert pinyin.pinyin_suggestions("aed") == []


def test_a_word_of_a_newly_published_title_is_found_without_a_restart(corpus, article_index, index_pages):
    assert "油菜" not in pinyin.pinyin_words("youcai")
    index_pages(ArticlePageFactory(parent=article_index, title="油菜种植技术要点"))
    assert pinyin.pinyin_words("youcai")[0] == "油菜"
    assert "油菜种植技术要点" in pinyin.pinyin_suggestions("youc")


def test_prefix_suggestions_offer_the_title_then_the_word(corpus):
    assert pinyin.pinyin_suggestions("nongy")[:2] == ["农药安全使用指南", "农药"]
    fn = pinyin.pinyin_suggestions("fn")
    assert "防溺水" in fn and "夏季防溺水安全指南" in fn
    assert fn.index("夏季防溺水安全指南") < fn.index("防溺水")
    assert "防溺水" in pinyin.pinyin_suggestions("fang n")


def test_a_warm_vocabulary_answers_without_a_query(corpus, monkeypatch, django_assert_num_queries):
    pinyin.pinyin_words("nongyao")
    monkeypatch.setattr(pinyin, "VERSION_CHECK_SECONDS", 60)
    with django_assert_num_queries(0):
        assert pinyin.pinyin_words("zs")[0] == "中暑"
        assert pinyin.pinyin_suggestions("nongy")

"""Keyword replies and warnings: an expired warning never answers first, and every card states its status."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from feeds.wechat.keywords import keyword_answer
from feeds.wechat.replies import message_parse
from search.documents import search_document_sync
from search.selectors import page_search
from tests.factories import ArticlePageFactory, EmergencyPageFactory

pytestmark = pytest.mark.django_db


def _ask(keyword: str) -> dict:
    message = {"ToUserName": "gh_kepu", "FromUserName": "o_citizen", "MsgType": "text", "Content": keyword}
    return message_parse(keyword_answer(message, absolute=lambda path: f"http://testserver{path}").encode())


def _indexed(*pages):
    for page in pages:
        search_document_sync(page.pk)
    return pages


def _expired_warning(emergency_index, **kwargs):
    now = timezone.now()
    return EmergencyPageFactory(
        parent=emergency_index,
        title="暴雨内涝红色预警：地下车库立即撤离",
        hazard="rainstorm",
        severity="red",
        effective_from=now - dt.timedelta(days=10),
        expires_at=now - dt.timedelta(days=9),
        **kwargs,
    )


def test_an_expired_warning_yields_to_a_current_match(emergency_index, article_index):
    expired = _expired_warning(emergency_index)
    article = ArticlePageFactory(
        parent=article_index,
        title="汛期安全常识",
        summary="雨季出行要注意什么",
        body=[("paragraph", "<p>遇到暴雨内涝，不要进入地下车库和地下通道。</p>")],
    )
    _indexed(expired, article)
    assert page_search("暴雨内涝").results[0].id == expired.pk  # search alone ranks the old warning first
    reply = _ask("暴雨内涝")
    assert reply["MsgType"] == "news"
    assert reply["Title"] == "汛期安全常识" and reply["Url"] == f"http://testserver{article.url}"


def test_an_expired_warning_that_is_the_only_match_says_so(emergency_index):
    expired = _expired_warning(emergency_index)
    _indexed(expired)
    reply = _ask("暴雨内涝")
    assert reply["Title"] == f"【已过期】{expired.title}"
    assert reply["Description"].startswith("【暴雨红色预警·已过期】")
    assert "有效时间：" in reply["Description"] and "生效中" not in reply["Description"]


def test_a_warning_in_force_says_so_and_expires_without_reindexing(emergency_index):
    now = timezone.now()
    warning = EmergencyPageFactory(
        parent=emergency_index,
        title="高温橙色预警：午后避免户外作业",
        hazard="heatwave",
        severity="orange",
        effective_from=now - dt.timedelta(hours=1),
        expires_at=now + dt.timedelta(hours=5),
    )
    _indexed(warning)
    reply = _ask("高温")
    assert reply["Title"] == f"【生效中】{warning.title}"
    assert (
        reply["Description"].startswith("【高温橙色预警·生效中】")
        and "影响区域：鄂城区" in reply["Description"]
    )
    with freeze_time(warning.expires_at):
        assert _ask("高温")["Title"] == f"【已过期】{warning.title}"


def test_an_upcoming_warning_is_not_treated_as_expired(emergency_index, article_index):
    now = timezone.now()
    upcoming = EmergencyPageFactory(
        parent=emergency_index,
        title="寒潮蓝色预警：明晚起大幅降温",
        hazard="cold_wave",
        severity="blue",
        effective_from=now + dt.timedelta(days=1),
        expires_at=now + dt.timedelta(days=3),
    )
    _indexed(upcoming)
    assert _ask("寒潮")["Title"] == f"【未生效】{upcoming.title}"


def test_ordinary_content_cards_are_unchanged(article_index):
    article = ArticlePageFactory(parent=article_index, title="防溺水六不要", summary="不私自下水游泳。")
    _indexed(article)
    reply = _ask("溺水")
    assert reply["Title"] == "防溺水六不要" and reply["Description"] == "不私自下水游泳。"

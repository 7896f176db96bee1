"""ETag and 304: a poll costs nothing until something that changes the playlist happens."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import Page

from content.models import ArticlePage, Audience, EmergencyPage
from feeds.screens.models import ScreenGroup, ScreenPin
from tests.factories import ArticlePageFactory, EmergencyPageFactory

from .conftest import feed_get


def _poll(client, screen, token, etag=None):
    extra = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    return feed_get(client, screen, token, **extra)


@pytest.fixture
def polled(client, make_screen, article_index):
    """A screen with one article, polled once: (screen, token, etag)."""
    ArticlePageFactory(parent=article_index, audiences=["elderly"], title="冬季用电安全")
    screen, token = make_screen(audiences=["elderly"])
    response = _poll(client, screen, token)
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    return screen, token, etag


def _changed(client, screen, token, etag) -> bool:
    response = _poll(client, screen, token, etag)
    assert response.status_code in (200, 304)
    if response.status_code == 200:
        assert response["ETag"] != etag
    return response.status_code == 200


def test_if_none_match_gets_304_without_touching_the_database(client, polled, django_assert_num_queries):
    screen, token, etag = polled
    with django_assert_num_queries(0):
        response = _poll(client, screen, token, etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "private, no-cache"


def test_stale_etag_gets_the_full_feed(client, polled):
    screen, token, _etag = polled
    response = _poll(client, screen, token, '"not-the-current-one"')
    assert response.status_code == 200 and response.json()["items"]


def test_publishing_new_content_changes_the_etag(
    client, polled, article_index, django_capture_on_commit_callbacks
):
    screen, token, etag = polled
    page = ArticlePage(title="新发布：防范煤气中毒", summary="冬季取暖注意通风。")
    article_index.add_child(instance=page)
    page.audiences.set([Audience.objects.get(slug="elderly")])
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    response = _poll(client, screen, token, etag)
    assert response.status_code == 200
    assert response.json()["items"][0]["title"] == "新发布：防范煤气中毒"


def test_unpublishing_removes_the_item_on_the_next_poll(client, polled, django_capture_on_commit_callbacks):
    screen, token, etag = polled
    page = Page.objects.get(title="冬季用电安全")
    with django_capture_on_commit_callbacks(execute=True):
        page.specific.unpublish()
    response = _poll(client, screen, token, etag)
    assert response.status_code == 200 and response.json()["items"] == []


def test_editing_content_changes_the_etag(client, polled, django_capture_on_commit_callbacks):
    screen, token, etag = polled
    page = ArticlePage.objects.get(title="冬季用电安全")
    page.title = "冬季用电安全（更新）"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    response = _poll(client, screen, token, etag)
    assert response.status_code == 200
    assert response.json()["items"][0]["title"] == "冬季用电安全（更新）"


def test_schedule_or_group_change_changes_the_etag(
    client, polled, article_index, django_capture_on_commit_callbacks
):
    screen, token, etag = polled
    other = ArticlePageFactory(parent=article_index, audiences=["youth"], title="青少年防溺水")
    assert not _changed(client, screen, token, etag)  # factories publish no signal: nothing moved yet
    with django_capture_on_commit_callbacks(execute=True):
        group = ScreenGroup.objects.create(name="学校屏")
        ScreenPin.objects.create(group=group, page=other, duration=20)
        screen.group = group
        screen.save()
    response = _poll(client, screen, token, etag)
    assert response.status_code == 200
    first = response.json()["items"][0]
    assert (first["title"], first["duration"]) == ("青少年防溺水", 20)


def test_emergency_start_and_end_change_the_etag_by_the_clock(client, make_screen, emergency_index):
    start = timezone.now() + dt.timedelta(hours=1)
    end = start + dt.timedelta(hours=2)
    emergency = EmergencyPageFactory(parent=emergency_index, effective_from=start, expires_at=end)
    screen, token = make_screen(district="echeng")
    etag = _poll(client, screen, token)["ETag"]
    with freeze_time(start - dt.timedelta(seconds=1)):
        assert _poll(client, screen, token, etag).status_code == 304
    with freeze_time(start):
        response = _poll(client, screen, token, etag)
        assert response.status_code == 200
        assert response.json()["items"][0]["id"] == emergency.pk
        assert response.json()["takeover"] is True
        during = response["ETag"]
    with freeze_time(end - dt.timedelta(seconds=1)):
        assert _poll(client, screen, token, during).status_code == 304
    with freeze_time(end):  # expiry: the warning leaves the feed by itself
        response = _poll(client, screen, token, during)
        assert response.status_code == 200
        assert response.json()["takeover"] is False
        assert emergency.pk not in [i["id"] for i in response.json()["items"]]


def test_emergency_published_for_the_district_reaches_the_next_poll(
    client, polled, emergency_index, django_capture_on_commit_callbacks
):
    screen, token, etag = polled
    now = timezone.now()
    page = EmergencyPage(
        title="暴雨红色预警：立即停课停业",
        hazard="rainstorm",
        severity="red",
        effective_from=now - dt.timedelta(minutes=1),
        expires_at=now + dt.timedelta(hours=6),
        instructions="1. 立即转移到安全地带\n2. 远离河道",
    )
    emergency_index.add_child(instance=page)
    page.regions.set([screen.district])
    page.audiences.set([Audience.objects.get(slug="youth")])
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    response = _poll(client, screen, token, etag)
    assert response.status_code == 200
    data = response.json()
    assert data["takeover"] is True
    assert data["items"][0]["title"] == "暴雨红色预警：立即停课停业"


def test_unchanged_playlist_keeps_its_etag_across_rebuilds(
    client, polled, django_capture_on_commit_callbacks
):
    screen, token, etag = polled
    with django_capture_on_commit_callbacks(execute=True):
        ScreenGroup.objects.create(name="无关分组")  # moves the epoch, changes nothing for this screen
    assert _poll(client, screen, token, etag).status_code == 304

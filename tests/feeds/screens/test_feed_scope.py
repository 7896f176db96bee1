"""A change rebuilds only the feeds it can change: the screens of its audiences, or its districts."""

import datetime as dt

import pytest
from django.utils import timezone

from content.models import ArticlePage, Audience, EmergencyPage, Region
from feeds.screens.models import ScreenGroup, ScreenSchedule

from .conftest import feed_get


def _etag(client, screen, token):
    response = feed_get(client, screen, token)
    assert response.status_code == 200
    return response["ETag"]


def _untouched(client, screen, token, etag, django_assert_num_queries) -> bool:
    """True when the poll is answered from the cached stamp alone (no rebuild, no query)."""
    with django_assert_num_queries(0):
        response = feed_get(client, screen, token, HTTP_IF_NONE_MATCH=etag)
    return response.status_code == 304


def _publish_article(parent, title, audiences, capture):
    page = ArticlePage(title=title, summary="摘要")
    parent.add_child(instance=page)
    page.audiences.set(Audience.objects.filter(slug__in=audiences))
    with capture(execute=True):
        page.save_revision().publish()
    return page


def _publish_emergency(parent, title, regions, capture):
    now = timezone.now()
    page = EmergencyPage(
        title=title,
        summary="预警",
        hazard="rainstorm",
        severity="orange",
        effective_from=now - dt.timedelta(minutes=1),
        expires_at=now + dt.timedelta(hours=6),
        instructions="远离低洼地带。",
    )
    parent.add_child(instance=page)
    page.audiences.set(Audience.objects.filter(slug="elderly"))
    page.regions.set(Region.objects.filter(slug__in=regions))
    with capture(execute=True):
        page.save_revision().publish()
    return page


@pytest.fixture
def screens(client, make_screen, article_index):
    """Three polled screens: elderly in 鄂城区, youth in 华容区, and one with no audience (plays all)."""
    made = {
        "elderly": make_screen(name="鄂城老年屏", district="echeng", audiences=["elderly"]),
        "youth": make_screen(name="华容学校屏", district="huarong", audiences=["youth"]),
        "all": make_screen(name="梁子湖综合屏", district="liangzihu", audiences=[]),
    }
    return {key: (screen, token, _etag(client, screen, token)) for key, (screen, token) in made.items()}


def test_an_article_for_youth_leaves_elderly_screens_alone(
    client, screens, article_index, django_capture_on_commit_callbacks, django_assert_num_queries
):
    _publish_article(article_index, "青少年防溺水", ["youth"], django_capture_on_commit_callbacks)
    assert _untouched(client, *screens["elderly"], django_assert_num_queries)
    youth = feed_get(client, *screens["youth"][:2], HTTP_IF_NONE_MATCH=screens["youth"][2])
    assert youth.status_code == 200 and youth.json()["items"][0]["title"] == "青少年防溺水"
    everything = feed_get(client, *screens["all"][:2], HTTP_IF_NONE_MATCH=screens["all"][2])
    assert everything.status_code == 200 and everything.json()["items"][0]["title"] == "青少年防溺水"


def test_an_emergency_rebuilds_only_its_districts_screens(
    client, screens, emergency_index, django_capture_on_commit_callbacks, django_assert_num_queries
):
    _publish_emergency(emergency_index, "鄂城区暴雨橙色预警", ["echeng"], django_capture_on_commit_callbacks)
    elderly = feed_get(client, *screens["elderly"][:2], HTTP_IF_NONE_MATCH=screens["elderly"][2])
    assert elderly.status_code == 200
    assert elderly.json()["items"][0]["takeover"] is True
    # The emergency is for elderly people too, but a warning for 鄂城区 does not belong in 梁子湖区.
    assert _untouched(client, *screens["all"], django_assert_num_queries)
    assert _untouched(client, *screens["youth"], django_assert_num_queries)


def test_an_article_that_changes_audience_leaves_the_screens_it_left(
    client, make_screen, article_index, django_capture_on_commit_callbacks
):
    page = _publish_article(article_index, "冬季用电安全", ["elderly"], django_capture_on_commit_callbacks)
    screen, token = make_screen(audiences=["elderly"])
    etag = _etag(client, screen, token)
    page = ArticlePage.objects.get(pk=page.pk)
    page.audiences.set(Audience.objects.filter(slug="youth"))
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    response = feed_get(client, screen, token, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.json()["items"] == []


def test_an_emergency_moved_to_another_district_leaves_the_first(
    client, make_screen, emergency_index, django_capture_on_commit_callbacks
):
    page = _publish_emergency(emergency_index, "暴雨预警", ["echeng"], django_capture_on_commit_callbacks)
    screen, token = make_screen(district="echeng", audiences=["elderly"])
    etag = _etag(client, screen, token)
    page = EmergencyPage.objects.get(pk=page.pk)
    page.regions.set(Region.objects.filter(slug="huarong"))
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    response = feed_get(client, screen, token, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.json()["items"] == []


def test_screens_with_a_schedule_see_every_publish(
    client, make_screen, article_index, django_capture_on_commit_callbacks
):
    screen, token = make_screen(audiences=["elderly"], group="车站屏")
    group = ScreenGroup.objects.get(name="车站屏")
    with django_capture_on_commit_callbacks(execute=True):
        ScreenSchedule.objects.create(group=group, name="全天视频", content_type="article")
    etag = _etag(client, screen, token)
    _publish_article(article_index, "产业工人安全生产", ["workers"], django_capture_on_commit_callbacks)
    response = feed_get(client, screen, token, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["items"][0]["title"] == "产业工人安全生产"


def test_deleting_a_group_rebuilds_its_former_screens(
    client, make_screen, article_index, django_capture_on_commit_callbacks
):
    screen, token = make_screen(audiences=["elderly"], group="乡村屏")
    group = ScreenGroup.objects.get(name="乡村屏")
    with django_capture_on_commit_callbacks(execute=True):
        ScreenSchedule.objects.create(group=group, name="只播视频", content_type="video", exclusive=True)
    _publish_article(article_index, "冬季用电安全", ["elderly"], django_capture_on_commit_callbacks)
    etag = _etag(client, screen, token)
    assert feed_get(client, screen, token).json()["items"] == []  # exclusive video schedule, no videos
    with django_capture_on_commit_callbacks(execute=True):
        group.delete()
    response = feed_get(client, screen, token, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["冬季用电安全"]

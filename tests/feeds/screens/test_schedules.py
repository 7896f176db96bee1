"""Screen-group schedules, pins and exclusions, with the clock frozen."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from content.models import Topic
from feeds.screens.models import ScreenExclusion, ScreenGroup, ScreenPin, ScreenSchedule
from feeds.screens.scheduling import window_contains, window_next_change
from tests.factories import ArticlePageFactory

from .conftest import feed_get

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour, minute=0):
    """A moment in Ezhou's local time; 2026-12-07 is a Monday."""
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


def window(**kwargs):
    values = {"weekdays": "", "start_time": None, "end_time": None, "start_date": None, "end_date": None}
    return SimpleNamespace(**(values | kwargs))


# --- the pure window rule ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "inside"),
    [(at(7, 7, 59), False), (at(7, 8), True), (at(7, 17, 59), True), (at(7, 18), False), (at(12, 10), False)],
)
def test_weekday_daytime_window(moment, inside):
    school_hours = window(weekdays="12345", start_time=dt.time(8), end_time=dt.time(18))
    assert window_contains(school_hours, moment) is inside


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (at(11, 22), True),  # Friday night
        (at(12, 1, 30), True),  # early Saturday belongs to Friday's window
        (at(12, 2), False),
        (at(12, 22), False),  # Saturday night: not a weekday window
        (at(7, 1), False),  # early Monday would belong to Sunday
    ],
)
def test_window_crossing_midnight_belongs_to_the_day_it_starts(moment, inside):
    nights = window(weekdays="12345", start_time=dt.time(22), end_time=dt.time(2))
    assert window_contains(nights, moment) is inside


def test_date_range_is_inclusive():
    campaign = window(start_date=dt.date(2026, 12, 5), end_date=dt.date(2026, 12, 6))
    assert not window_contains(campaign, at(4, 23, 59))
    assert window_contains(campaign, at(5, 0))
    assert window_contains(campaign, at(6, 23, 59))
    assert not window_contains(campaign, at(7, 0))


def test_next_change_is_the_next_boundary():
    school_hours = window(weekdays="12345", start_time=dt.time(8), end_time=dt.time(18))
    assert window_next_change(school_hours, at(7, 9)) == at(7, 18)
    assert window_next_change(school_hours, at(7, 19)) == at(8, 0)
    assert window_next_change(window(), at(7, 9)) is None


# --- schedules, pins and exclusions in the feed ------------------------------------------


@pytest.fixture
def school(make_screen, article_index):
    """A school screen (elderly + youth) in a group, with general and 防溺水 content."""
    drowning = Topic.objects.create(name="防溺水", slug="fang-ni-shui")
    general = ArticlePageFactory(parent=article_index, audiences=["youth"], title="科学用眼")
    topical = ArticlePageFactory(
        parent=article_index, audiences=["farmers"], title="暑期防溺水", topics=[drowning]
    )
    group = ScreenGroup.objects.create(name="学校屏", default_duration=12)
    screen, token = make_screen(audiences=["youth"], group="学校屏")
    return SimpleNamespace(
        screen=screen, token=token, group=group, general=general, topical=topical, topic=drowning
    )


def _titles(client, school):
    return [i["title"] for i in feed_get(client, school.screen, school.token).json()["items"]]


def test_exclusive_schedule_plays_only_its_topic_inside_its_window(client, school):
    ScreenSchedule.objects.create(
        group=school.group,
        name="放学时段防溺水",
        topic=school.topic,
        exclusive=True,
        weekdays="12345",
        start_time=dt.time(15),
        end_time=dt.time(18),
    )
    with freeze_time(at(7, 16)):
        assert _titles(client, school) == ["暑期防溺水"]
    with freeze_time(at(7, 19)):
        assert _titles(client, school) == ["科学用眼"]
    with freeze_time(at(12, 16)):  # Saturday
        assert _titles(client, school) == ["科学用眼"]


def test_non_exclusive_schedule_plays_before_the_newest_content(client, school):
    ScreenSchedule.objects.create(group=school.group, name="防溺水", topic=school.topic, exclusive=False)
    assert _titles(client, school) == ["暑期防溺水", "科学用眼"]


def test_schedule_window_opening_changes_the_etag_on_the_next_poll(client, school):
    ScreenSchedule.objects.create(
        group=school.group,
        name="防溺水",
        topic=school.topic,
        exclusive=True,
        start_time=dt.time(15),
        end_time=dt.time(18),
    )
    with freeze_time(at(7, 14, 59)):
        before = feed_get(client, school.screen, school.token)
        assert [i["title"] for i in before.json()["items"]] == ["科学用眼"]
    with freeze_time(at(7, 15)):
        response = feed_get(client, school.screen, school.token, HTTP_IF_NONE_MATCH=before["ETag"])
        assert response.status_code == 200
        assert [i["title"] for i in response.json()["items"]] == ["暑期防溺水"]


def test_pinned_item_plays_first_with_its_own_duration_only_in_its_dates(client, school, article_index):
    pinned = ArticlePageFactory(parent=article_index, audiences=["officials"], title="全国科普日")
    ScreenPin.objects.create(
        group=school.group,
        page=pinned,
        duration=45,
        start_date=dt.date(2026, 12, 7),
        end_date=dt.date(2026, 12, 8),
    )
    with freeze_time(at(7, 10)):
        items = feed_get(client, school.screen, school.token).json()["items"]
        assert [(i["title"], i["duration"]) for i in items] == [("全国科普日", 45), ("科学用眼", 12)]
    with freeze_time(at(9, 10)):
        assert _titles(client, school) == ["科学用眼"]


def test_pinned_draft_is_not_played(client, school, article_index):
    draft = ArticlePageFactory(parent=article_index, audiences=["youth"], live=False, title="草稿")
    ScreenPin.objects.create(group=school.group, page=draft)
    assert _titles(client, school) == ["科学用眼"]


def test_excluded_item_is_never_played(client, school):
    ScreenExclusion.objects.create(group=school.group, page=school.general)
    assert _titles(client, school) == []


def test_window_validation_messages_are_in_chinese():
    bad = ScreenSchedule(name="x", weekdays="189", start_time=dt.time(8), end_time=None)
    with pytest.raises(ValidationError) as info:
        bad.clean()
    assert "只能填写 1–7 的数字" in str(info.value)
    assert "同时填写" in str(info.value)

"""Which warnings take a screen over: red and orange do, yellow and blue lead the playlist in a
frame while ordinary content keeps playing; an editor can force or suppress takeover per warning."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from freezegun import freeze_time

from content.emergency import SEVERITIES
from content.models import EmergencyPage
from feeds.screens.models import ScreenExclusion, ScreenGroup, ScreenPin
from tests.factories import ArticlePageFactory, EmergencyPageFactory

from .conftest import feed_get

START = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
END = START + dt.timedelta(hours=36)
SECOND = dt.timedelta(seconds=1)


def _feed(client, screen, token, etag=None):
    extra = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    return feed_get(client, screen, token, **extra)


def _warning(parent, severity, *, takeover="auto", regions=("鄂城区",), start=START, end=END, **fields):
    return EmergencyPageFactory(
        parent=parent,
        title=f"{SEVERITIES[severity].label}预警 {takeover}",
        severity=severity,
        takeover=takeover,
        regions=list(regions),
        audiences=["youth"],  # not the screen's audience: warnings for the district play regardless
        effective_from=start,
        expires_at=end,
        **fields,
    )


@pytest.fixture
def article(article_index):
    return ArticlePageFactory(parent=article_index, audiences=["elderly"], title="冬季用电安全")


@pytest.mark.parametrize(
    ("severity", "mode", "takes_over"),
    [
        ("red", "auto", True),
        ("orange", "auto", True),
        ("yellow", "auto", False),
        ("blue", "auto", False),
        ("yellow", "force", True),
        ("red", "suppress", False),
    ],
)
def test_takeover_by_level_and_editor_choice_at_the_window_boundaries(
    client, make_screen, emergency_index, article, severity, mode, takes_over
):
    warning = _warning(emergency_index, severity, takeover=mode)
    screen, token = make_screen(district="echeng", audiences=["elderly"])

    with freeze_time(START - SECOND):
        before = _feed(client, screen, token).json()
        assert [i["id"] for i in before["items"]] == [article.pk]
        assert before["takeover"] is False
        assert dt.datetime.fromisoformat(before["next_change"]) == START

    with freeze_time(START):  # the first instant of the window
        data = _feed(client, screen, token).json()
        assert [i["id"] for i in data["items"]] == [warning.pk, article.pk]  # the warning leads
        first, second = data["items"]
        assert data["takeover"] is takes_over
        assert first["takeover"] is takes_over and first["frame"] is (not takes_over)
        assert second["takeover"] is False and second["frame"] is False and second["warning"] is None
        assert first["status"] == "active" and first["duration"] >= 30
        assert first["severity"]["key"] == severity
        assert first["severity"]["colour"] == SEVERITIES[severity].colour
        assert first["warning"]["label"] == f"{SEVERITIES[severity].label}预警"
        assert first["warning"]["status_label"] == "生效中"
        assert first["warning"]["regions"] == ["鄂城区"]
        assert first["warning"]["window"] == "2026年12月1日 08:00 至 2026年12月2日 20:00"
        assert dt.datetime.fromisoformat(data["next_change"]) == END

    with freeze_time(END - SECOND):
        assert [i["id"] for i in _feed(client, screen, token).json()["items"]] == [warning.pk, article.pk]

    with freeze_time(END):  # the last instant is outside the window
        after = _feed(client, screen, token).json()
        assert [i["id"] for i in after["items"]] == [article.pk]
        assert after["takeover"] is False


def test_takeovers_first_then_framed_warnings_then_ordinary_content(
    client, make_screen, emergency_index, article
):
    blue = _warning(emergency_index, "blue")
    yellow = _warning(emergency_index, "yellow")
    red = _warning(emergency_index, "red")
    forced_blue = _warning(emergency_index, "blue", takeover="force")
    _warning(emergency_index, "red", regions=["华容区"])  # another district's screens only
    screen, token = make_screen(district="echeng", audiences=["elderly"])
    with freeze_time(START + dt.timedelta(hours=1)):
        items = _feed(client, screen, token).json()["items"]
    assert [i["id"] for i in items] == [red.pk, forced_blue.pk, yellow.pk, blue.pk, article.pk]
    assert [i["takeover"] for i in items] == [True, True, False, False, False]
    assert [i["frame"] for i in items] == [False, False, True, True, False]


def test_a_screen_with_only_framed_warnings_keeps_its_ordinary_content(
    client, make_screen, emergency_index, article
):
    _warning(emergency_index, "yellow", regions=["华容区", "鄂城区"])
    _warning(emergency_index, "orange", regions=["华容区"])
    echeng, echeng_token = make_screen(district="echeng", audiences=["elderly"])
    huarong, huarong_token = make_screen(name="华容区大屏", district="huarong", audiences=["elderly"])
    with freeze_time(START + dt.timedelta(hours=1)):
        calm = _feed(client, echeng, echeng_token).json()
        stormy = _feed(client, huarong, huarong_token).json()
    assert calm["takeover"] is False
    assert [i["type"] for i in calm["items"]] == ["emergency", "article"]
    assert stormy["takeover"] is True
    assert [i["severity"]["key"] if i["severity"] else None for i in stormy["items"]] == [
        "orange",
        "yellow",
        None,
    ]


def test_next_change_is_the_nearest_start_or_end_of_either_kind(
    client, make_screen, emergency_index, article
):
    now = START + dt.timedelta(hours=1)
    _warning(emergency_index, "red", end=START + dt.timedelta(hours=10))
    _warning(emergency_index, "yellow", end=START + dt.timedelta(hours=6))
    screen, token = make_screen(district="echeng", audiences=["elderly"])
    with freeze_time(now):
        data = _feed(client, screen, token).json()
    assert dt.datetime.fromisoformat(data["next_change"]) == START + dt.timedelta(hours=6)  # the yellow ends
    upcoming = _warning(emergency_index, "blue", start=START + dt.timedelta(hours=3))
    cache.clear()  # the factory publishes without Wagtail's signal: rebuild by hand
    with freeze_time(now):
        rebuilt = _feed(client, screen, token).json()
    assert dt.datetime.fromisoformat(rebuilt["next_change"]) == START + dt.timedelta(hours=3)
    with freeze_time(START + dt.timedelta(hours=3)):
        items = _feed(client, screen, token).json()["items"]
    assert [i["id"] for i in items][2] == upcoming.pk  # red, yellow, then the new blue, then content


def test_editing_the_takeover_setting_changes_the_etag_of_its_districts_screens_only(
    client,
    make_screen,
    emergency_index,
    article,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    now = timezone.now()
    warning = _warning(
        emergency_index, "red", start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=6)
    )
    here, here_token = make_screen(district="echeng", audiences=["elderly"])
    there, there_token = make_screen(name="华容区大屏", district="huarong", audiences=["elderly"])
    here_etag = _feed(client, here, here_token)["ETag"]
    there_etag = _feed(client, there, there_token)["ETag"]
    assert _feed(client, here, here_token).json()["takeover"] is True

    page = EmergencyPage.objects.get(pk=warning.pk)
    page.takeover = "suppress"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    response = _feed(client, here, here_token, here_etag)
    assert response.status_code == 200 and response["ETag"] != here_etag
    data = response.json()
    assert data["takeover"] is False
    assert [(i["id"], i["frame"]) for i in data["items"]] == [(warning.pk, True), (article.pk, False)]
    with django_assert_num_queries(0):  # 华容区 is not the warning's district: answered from the stamp
        assert _feed(client, there, there_token, there_etag).status_code == 304

    page = EmergencyPage.objects.get(pk=warning.pk)
    page.takeover = "auto"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    back = _feed(client, here, here_token, response["ETag"])
    assert back.status_code == 200 and back.json()["takeover"] is True


def test_group_exclusions_never_hide_a_warning_in_force(client, make_screen, emergency_index, article):
    yellow = _warning(emergency_index, "yellow")
    screen, token = make_screen(district="echeng", audiences=["elderly"], group="社区屏")
    group = ScreenGroup.objects.get(name="社区屏")
    ScreenExclusion.objects.create(group=group, page=yellow)
    ScreenExclusion.objects.create(group=group, page=article)
    with freeze_time(START + dt.timedelta(hours=1)):
        assert [i["id"] for i in _feed(client, screen, token).json()["items"]] == [yellow.pk]


def test_a_warning_pinned_for_another_district_plays_framed_without_takeover(
    client, make_screen, emergency_index, article
):
    red_elsewhere = _warning(emergency_index, "red", regions=["华容区"])
    screen, token = make_screen(district="echeng", audiences=["elderly"], group="社区屏")
    ScreenPin.objects.create(group=ScreenGroup.objects.get(name="社区屏"), page=red_elsewhere, duration=30)
    with freeze_time(START + dt.timedelta(hours=1)):
        data = _feed(client, screen, token).json()
    assert data["takeover"] is False
    assert [(i["id"], i["frame"]) for i in data["items"]] == [(red_elsewhere.pk, True), (article.pk, False)]

"""Heartbeats: player health and proof of play, defended against bad input."""

import json

import pytest
from django.utils import timezone
from freezegun import freeze_time

from feeds.screens.models import PlayRecord, Screen, ScreenHeartbeat
from tests.factories import ArticlePageFactory


def _post(client, screen, token, body, **extra):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(
        f"/api/v1/screens/{screen.pk}/heartbeat",
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        **extra,
    )


@pytest.fixture
def playing(make_screen, article_index):
    page = ArticlePageFactory(parent=article_index, audiences=["elderly"], title="科学补钙")
    screen, token = make_screen()
    return screen, token, page


def _report(page, started="2026-12-01T09:00:00+08:00"):
    return {
        "player_version": "abc123",
        "uptime_seconds": 3600,
        "playing": {"id": page.pk, "started_at": started},
        "plays": [{"id": page.pk, "started_at": started, "duration": 15, "takeover": False}],
        "errors": ["feed: Failed to fetch"],
    }


def test_heartbeat_records_health_and_proof_of_play(client, playing):
    screen, token, page = playing
    response = _post(client, screen, token, _report(page))
    assert response.status_code == 200
    assert response.json() == {"ok": True, "accepted_plays": 1, "rejected_plays": 0}
    screen = Screen.objects.get(pk=screen.pk)
    assert screen.last_playing_title == "科学补钙"
    assert screen.last_player_version == "abc123"
    assert screen.last_uptime_seconds == 3600
    assert screen.last_errors == ["feed: Failed to fetch"]
    assert (timezone.now() - screen.last_seen_at).total_seconds() < 5
    beat = ScreenHeartbeat.objects.get(screen=screen)
    assert beat.playing_page_id == page.pk
    play = PlayRecord.objects.get(screen=screen)
    assert (play.page_id, play.page_title, play.duration_seconds) == (page.pk, "科学补钙", 15)


def test_resent_plays_are_stored_once(client, playing):
    screen, token, page = playing
    _post(client, screen, token, _report(page))
    _post(client, screen, token, _report(page))
    assert PlayRecord.objects.filter(screen=screen).count() == 1


def test_plays_of_unknown_items_or_implausible_times_are_rejected(client, playing):
    screen, token, page = playing
    report = _report(page)
    report["plays"] += [
        {"id": 987654, "started_at": "2026-12-01T09:00:00+08:00", "duration": 15},
        {"id": page.pk, "started_at": "2031-01-01T00:00:00+08:00", "duration": 15},
    ]
    response = _post(client, screen, token, report)
    assert response.json()["rejected_plays"] == 2
    assert PlayRecord.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        "[]",
        {"plays": "many"},
        {"plays": [{"id": "x", "started_at": "yesterday"}]},
        {"plays": [{"id": 1, "started_at": "2026-12-01T09:00:00", "duration": 5}]},  # no timezone
        {"plays": [{"id": 1, "started_at": "2026-12-01T09:00:00+08:00", "duration": -5}]},
        {"uptime_seconds": "long"},
        {"errors": ["x"] * 21},
        {"playing": "everything"},
        "[" * 5000 + "]" * 5000,
    ],
)
def test_malformed_heartbeat_is_400_with_a_message(client, playing, body):
    screen, token, _page = playing
    response = _post(client, screen, token, body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not ScreenHeartbeat.objects.exists()


def test_oversized_heartbeat_is_400(client, playing):
    screen, token, page = playing
    report = _report(page)
    report["errors"] = ["x" * 300] * 10
    report["padding"] = "y" * 70_000
    response = _post(client, screen, token, report)
    assert response.status_code == 400
    assert "过大" in response.json()["error"]


@freeze_time("2026-12-01 10:00:30", tick=True)  # not across a minute boundary
def test_heartbeats_are_rate_limited_per_screen(client, playing, make_screen):
    screen, token, page = playing
    statuses = [_post(client, screen, token, _report(page)).status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    limited = _post(client, screen, token, _report(page))
    assert int(limited["Retry-After"]) > 0
    other, other_token = make_screen(name="另一块屏")
    assert _post(client, other, other_token, {}).status_code == 200


def test_heartbeat_needs_the_screens_token(client, playing):
    screen, _token, page = playing
    assert _post(client, screen, "wrong", _report(page)).status_code == 401
    assert client.get(f"/api/v1/screens/{screen.pk}/heartbeat").status_code == 405


# --- hostile input: impossible dates, huge numbers, wrong types → 400, never 500 -----------------


def _play(started_at="2026-12-01T09:00:00+08:00", **fields):
    return {"plays": [{"id": 1, "started_at": started_at, "duration": 15, **fields}]}


HOSTILE_HEARTBEATS = [
    _play("2026-13-01T09:00:00+08:00"),  # month 13
    _play("2026-02-30T09:00:00+08:00"),  # Feb 30
    _play("2026-12-01T25:00:00+08:00"),  # hour 25
    _play("2026-12-01T09:61:00+08:00"),  # minute 61
    _play("2026-12-01T09:00:00+99:00"),  # offset +99:00
    _play("2026-12-01T09:00:00-24:00"),  # offset out of range the other way
    _play("0000-01-01T00:00:00+08:00"),  # year 0
    _play("10000-01-01T00:00:00+08:00"),  # year 10000
    _play("0001-01-01T00:00:00+14:00"),  # overflows when converted to UTC
    _play("9999-12-31T23:59:59-14:00"),  # overflows the other way
    _play("2026-12-01T09:00:00+08:00" + " " * 100),  # absurdly long
    _play("２０２６-12-01T09:00:00+08:00"),  # full-width digits
    _play(1764550800),  # a number instead of a string
    _play(None),
    _play(["2026-12-01T09:00:00+08:00"]),
    _play({"date": "2026-12-01"}),
    {"plays": [{"id": 10**30, "started_at": "2026-12-01T09:00:00+08:00", "duration": 15}]},
    {"plays": [{"id": 1, "started_at": "2026-12-01T09:00:00+08:00", "duration": 10**20}]},
    {"plays": [{"id": 1.5, "started_at": "2026-12-01T09:00:00+08:00", "duration": 15}]},
    {"plays": [{"id": True, "started_at": "2026-12-01T09:00:00+08:00", "duration": 15}]},
    {"plays": [{"id": 1, "started_at": "2026-12-01T09:00:00+08:00", "duration": "15"}]},
    {"uptime_seconds": 10**20},
    {"uptime_seconds": -1},
    {"plays": [None]},
    {"plays": {"id": 1}},
    {"errors": "boom"},
    {"playing": ["x"]},
    b'{"uptime_seconds": ' + b"9" * 5000 + b"}",  # int() refuses > 4300 digits with ValueError
    b'{"uptime_seconds": NaN}',
    b'{"uptime_seconds": Infinity}',
    b'{"uptime_seconds": 1e999}',
    b'{"plays": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",  # over the size limit or nesting
    b"\x00\x01\x02",
    "null",
    "12",
    '"text"',
]


@pytest.mark.parametrize("body", HOSTILE_HEARTBEATS)
def test_hostile_heartbeat_is_400_with_a_chinese_message(client, playing, body):
    screen, token, _page = playing
    response = _post(client, screen, token, body)
    assert response.status_code == 400, response.content
    message = response.json()["error"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert not ScreenHeartbeat.objects.exists()


def test_an_impossible_date_names_the_play_and_the_rule(client, playing):
    screen, token, _page = playing
    message = _post(client, screen, token, _play("2026-02-30T09:00:00+08:00")).json()["error"]
    assert "plays[0].started_at" in message and "时区" in message


def test_a_declared_oversized_body_is_refused_before_reading(client, playing):
    screen, token, _page = playing
    response = _post(client, screen, token, {}, CONTENT_LENGTH="999999999")
    assert response.status_code == 400 and "过大" in response.json()["error"]


def test_text_the_database_cannot_store_is_dropped_not_a_500(client, playing):
    screen, token, page = playing
    report = _report(page)
    report["player_version"] = "v1\u0000\ud800"
    report["errors"] = ["feed:\u0000 boom\udfff"]
    response = _post(client, screen, token, json.dumps(report))
    assert response.status_code == 200
    beat = ScreenHeartbeat.objects.get()
    assert beat.player_version == "v1" and beat.errors == ["feed: boom"]

"""The kiosk player (科普大屏) in a real headless Chromium against a live server.

What a viewer in front of the screen would notice: items rotate with their durations, an emergency
published in Wagtail takes the screen over within one poll, the screen keeps playing (and says so)
when the server goes away and recovers by itself, and the player reports back what it played.
"""

import datetime as dt

import pytest
from django.utils import timezone

from content.emergency import SEVERITIES
from content.models import EmergencyPage, Region
from feeds.screens.models import PlayRecord, Screen, ScreenGroup, ScreenHeartbeat
from feeds.screens.player import player_version
from tests.factories import ArticlePageFactory, EmergencyPageFactory, ImageFactory

from . import browser
from .browser import wait_until

# The browser fixtures, made visible to this module (pytest finds fixtures by module attribute).
chromium = browser.chromium
live_server_ctl = browser.live_server_ctl
player_page = browser.player_page

REFRESH = 5  # screen.refresh_seconds: the player polls this often
DURATION = 5  # group.default_duration: each article's slot
SLACK = 5  # browser timers, request time, a busy CI machine


def _rgb(hex_colour: str) -> str:
    value = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(value[i : i + 2], 16) for i in (0, 2, 4)))


@pytest.fixture
def screen_setup(make_screen, article_index):
    """A 鄂城区 screen for 老年人 polling every 5 s, its group playing two articles 5 s each."""

    def setup(n_articles=2, pictures=False):
        articles = [
            ArticlePageFactory(
                parent=article_index,
                title=f"秋冬季节防范电信诈骗 第{n + 1}讲",
                summary="陌生来电要求转账，一律先挂断，再向家人或社区民警核实。",
                audiences=["elderly"],
                cover_image=ImageFactory(file__width=800, file__height=600) if pictures else None,
            )
            for n in range(n_articles)
        ]
        screen, token = make_screen(group="社区大屏组", refresh_seconds=REFRESH)
        ScreenGroup.objects.filter(pk=screen.group_id).update(default_duration=DURATION)
        return screen, token, {a.pk: a.title for a in articles}

    return setup


def open_player(page, server, screen, token):
    """Open the player and wait until it shows an item; the stage's item changes are recorded."""
    page.add_init_script(
        """
        window.__shown = [];
        document.addEventListener("DOMContentLoaded", function () {
          var stage = document.getElementById("stage");
          new MutationObserver(function () {
            var last = window.__shown[window.__shown.length - 1];
            if (stage.dataset.itemId && (!last || last.id !== stage.dataset.itemId)) {
              window.__shown.push({id: stage.dataset.itemId, t: performance.now()});
            }
          }).observe(stage, {attributes: true, attributeFilter: ["data-item-id"]});
        });
        """
    )
    response = page.goto(f"{server.url}/screens/{screen.pk}/player/?token={token}&heartbeat=10")
    assert response.status == 200
    # The link's token became HttpOnly cookies: gone from the address bar and out of the script's reach.
    assert page.url == f"{server.url}/screens/{screen.pk}/player/?heartbeat=10"
    assert token not in page.evaluate("document.cookie + document.documentElement.outerHTML")
    page.wait_for_function("() => document.getElementById('stage').dataset.itemId", timeout=10_000)


def shown(page) -> list:
    return page.evaluate("window.__shown")


def wait_for_shown(page, count: int, timeout: float) -> list:
    page.wait_for_function(f"() => window.__shown.length >= {count}", timeout=timeout * 1000)
    return shown(page)


def picture_shown(page) -> bool:
    """The item's picture is on screen: loaded and decoded (a broken image has no natural size)."""
    return page.locator("#stage img.item__image").evaluate("img => img.complete && img.naturalWidth > 0")


def stage_item_id(page) -> int:
    return int(page.get_attribute("#stage", "data-item-id"))


def test_player_rotates_items_each_for_its_duration(player_page, live_server_ctl, screen_setup):
    page = player_page
    screen, token, titles = screen_setup(n_articles=2)

    open_player(page, live_server_ctl, screen, token)
    first = stage_item_id(page)
    assert first in titles
    assert page.locator("#stage .item__title").inner_text() == titles[first]
    assert page.get_attribute("#stage", "data-takeover") == "false"

    # Next item after one slot, then back to the first: the playlist loops.
    history = wait_for_shown(page, 3, timeout=2 * DURATION + SLACK)
    ids = [int(entry["id"]) for entry in history[:3]]
    assert ids[0] == first and ids[1] != first and ids[1] in titles and ids[2] == first
    for before, after in zip(history, history[1:3], strict=False):
        slot = (after["t"] - before["t"]) / 1000
        assert DURATION - 0.5 <= slot <= DURATION + 2, f"slot lasted {slot:.1f} s, not {DURATION} s"
    assert page.errors == []


def test_emergency_published_in_wagtail_takes_over_within_one_poll(
    player_page, live_server_ctl, screen_setup, emergency_index
):
    page = player_page
    screen, token, titles = screen_setup(n_articles=2)
    open_player(page, live_server_ctl, screen, token)
    assert stage_item_id(page) in titles
    assert page.get_attribute("#stage", "data-takeover") == "false"

    # An editor publishes a red rainstorm warning for 鄂城区 through Wagtail's publish path.
    instructions = ["立即停止户外活动，留在室内", "远离低洼地带和地下通道", "关注鄂州发布的最新预警"]
    with live_server_ctl.lock:
        emergency = EmergencyPage(
            title="暴雨红色预警：请立即避险",
            slug="rainstorm-red",
            summary="鄂城区未来三小时将出现特大暴雨。",
            source="鄂州市应急管理局",
            hazard="rainstorm",
            severity="red",
            effective_from=timezone.now() - dt.timedelta(minutes=1),
            expires_at=timezone.now() + dt.timedelta(hours=3),
            instructions="\n".join(f"{n}. {line}" for n, line in enumerate(instructions, 1)),
            live=False,
        )
        emergency_index.add_child(instance=emergency)
        emergency.regions.set([Region.objects.get(slug="echeng")])
        emergency.save_revision().publish()

    page.wait_for_selector('#stage[data-takeover="true"]', timeout=(REFRESH + SLACK) * 1000)
    assert stage_item_id(page) == emergency.pk
    takeover = page.locator("#stage .item--takeover")
    red = SEVERITIES["red"]
    assert takeover.evaluate("node => getComputedStyle(node).backgroundColor") == _rgb(red.colour)
    assert takeover.evaluate("node => getComputedStyle(node).color") == _rgb(red.text_colour)
    assert page.locator("#stage .takeover__level").inner_text().startswith("红色预警")
    assert page.locator("#stage .takeover__title").inner_text() == emergency.title
    steps = page.locator("#stage .takeover__steps li")
    assert steps.all_inner_texts() == instructions
    # Large type: readable from across a square (about 5 % of the screen height on 1080p).
    size = steps.first.evaluate("node => parseFloat(getComputedStyle(node).fontSize)")
    assert size >= 0.04 * 1080, f"instructions are {size}px"
    for n in range(len(instructions)):
        assert steps.nth(n).is_visible()
    assert page.errors == []


def test_yellow_warning_plays_framed_between_articles_and_a_red_one_takes_over(
    player_page, live_server_ctl, screen_setup, emergency_index, monkeypatch
):
    page = player_page
    monkeypatch.setattr("feeds.screens.selectors.EMERGENCY_DURATION", DURATION)  # 30 s on real screens
    screen, token, titles = screen_setup(n_articles=2)
    now = timezone.now()
    yellow = EmergencyPageFactory(
        parent=emergency_index,
        title="寒潮黄色预警：注意防寒保暖",
        hazard="cold_wave",
        severity="yellow",
        regions=["鄂城区"],
        effective_from=now - dt.timedelta(hours=2),
        expires_at=now + dt.timedelta(days=1),
    )
    open_player(page, live_server_ctl, screen, token)

    # The warning leads the playlist: first on screen, in a frame of its colour, labelled.
    assert stage_item_id(page) == yellow.pk
    assert page.get_attribute("#stage", "data-frame") == "true"
    assert page.get_attribute("#stage", "data-takeover") == "false"
    framed = page.locator("#stage .item--framed")
    colour = SEVERITIES["yellow"].colour
    assert framed.evaluate("node => getComputedStyle(node).borderTopColor") == _rgb(colour)
    border = framed.evaluate("node => parseFloat(getComputedStyle(node).borderTopWidth)")
    assert border >= 0.015 * 1080, f"the frame is {border}px"
    assert page.locator("#stage .frame__label").inner_text().startswith("【黄色预警·生效中】")
    assert page.locator("#stage .frame__title").inner_text() == yellow.title
    assert f"有效时间：{timezone.localtime(yellow.effective_from).year}年" in page.inner_text(
        "#stage .frame__meta"
    )
    assert page.inner_text("#player-clock").startswith(f"{timezone.localtime().year}年")

    # Ordinary content keeps playing after it, and the warning comes round again.
    history = wait_for_shown(page, 4, timeout=3 * DURATION + SLACK)
    ids = [int(entry["id"]) for entry in history[:4]]
    assert ids[0] == yellow.pk and set(ids[1:3]) == set(titles) and ids[3] == yellow.pk

    # A red warning for the district, published in Wagtail, takes the screen over at the next poll.
    with live_server_ctl.lock:
        red = EmergencyPage(
            title="暴雨红色预警：请立即避险",
            slug="rainstorm-red-framed-test",
            summary="鄂城区未来三小时将出现特大暴雨。",
            hazard="rainstorm",
            severity="red",
            effective_from=timezone.now() - dt.timedelta(minutes=1),
            expires_at=timezone.now() + dt.timedelta(hours=3),
            instructions="立即停止户外活动\n远离低洼地带",
            live=False,
        )
        emergency_index.add_child(instance=red)
        red.regions.set([Region.objects.get(slug="echeng")])
        red.save_revision().publish()
    page.wait_for_selector('#stage[data-takeover="true"]', timeout=(REFRESH + SLACK) * 1000)
    assert stage_item_id(page) == red.pk
    assert page.get_attribute("#stage", "data-frame") == "false"
    takeover = page.locator("#stage .item--takeover")
    assert takeover.evaluate("node => getComputedStyle(node).backgroundColor") == _rgb(
        SEVERITIES["red"].colour
    )
    # It plays alone: neither the yellow warning nor the articles come back while it is in force.
    count = len(shown(page))
    page.wait_for_timeout((DURATION + 2) * 1000)
    assert len(shown(page)) == count and stage_item_id(page) == red.pk
    assert page.errors == []


def test_player_keeps_playing_offline_and_recovers_when_the_server_returns(
    player_page, live_server_ctl, screen_setup
):
    page = player_page
    server = live_server_ctl
    screen, token, titles = screen_setup(n_articles=2, pictures=True)
    open_player(page, server, screen, token)
    first = stage_item_id(page)
    page.wait_for_function("() => document.querySelector('#stage img.item__image')?.complete")
    assert picture_shown(page)
    status = page.locator("#player-status")
    assert status.is_hidden()

    # The server goes away for real: no listening socket, keep-alive connections cut.
    server.stop()
    assert not server.accepts_connections()
    shown_before = len(shown(page))

    status.wait_for(state="visible", timeout=(REFRESH + SLACK) * 1000)
    assert status.inner_text() == "离线播放中"
    history = wait_for_shown(page, shown_before + 1, timeout=DURATION + SLACK)
    still_playing = int(history[-1]["id"])
    assert still_playing in titles
    assert page.locator("#stage .item__title").inner_text() == titles[still_playing]
    # Its picture too: the player fetched every picture while it was online.
    page.wait_for_function("() => document.querySelector('#stage img.item__image')?.complete")
    assert picture_shown(page), "the picture is broken while offline"
    assert status.is_visible()

    # Back on the same port: the next poll succeeds and the indicator goes away by itself.
    server.start()
    status.wait_for(state="hidden", timeout=(REFRESH + SLACK) * 1000)
    assert stage_item_id(page) in titles

    # What played while the server was down is not lost: the next heartbeat delivers it.
    play = wait_until(
        lambda: PlayRecord.objects.filter(screen=screen, page_id=first).first(),
        timeout=10 + SLACK,
        lock=server.lock,
        message="the play made offline was not delivered after recovery",
    )
    assert DURATION - 1 <= play.duration_seconds <= DURATION + 2
    assert page.errors == []


def test_player_treats_a_gateway_error_as_offline_not_as_a_screen_problem(
    player_page, live_server_ctl, screen_setup
):
    """Behind nginx a stopped app answers 502/503/504: the screen plays on and says it is offline,
    instead of telling the public "HTTP 502（请联系管理员）" as it does for a re-keyed screen."""
    page = player_page
    screen, token, titles = screen_setup(n_articles=2)
    open_player(page, live_server_ctl, screen, token)
    status = page.locator("#player-status")
    assert status.is_hidden()

    feed = f"**/api/v1/screens/{screen.pk}/feed"
    page.route(feed, lambda route: route.fulfill(status=502, content_type="text/html", body="<h1>502</h1>"))
    status.wait_for(state="visible", timeout=(REFRESH + SLACK) * 1000)
    assert page.locator("#stage .player__notice").count() == 0
    assert stage_item_id(page) in titles

    page.unroute(feed)
    status.wait_for(state="hidden", timeout=(REFRESH + SLACK) * 1000)
    assert page.errors == []


def test_player_sends_heartbeats_and_proof_of_play(player_page, live_server_ctl, screen_setup):
    page = player_page
    server = live_server_ctl
    screen, token, titles = screen_setup(n_articles=2)
    open_player(page, server, screen, token)
    first = stage_item_id(page)

    # The first heartbeat goes out about 2 s after start, while the first item is on screen.
    beat = wait_until(
        lambda: ScreenHeartbeat.objects.filter(screen=screen).first(),
        timeout=2 + SLACK,
        lock=server.lock,
        message="no heartbeat stored",
    )
    assert beat.player_version == player_version()
    assert beat.playing_title == titles[first]
    assert beat.uptime_seconds is not None and beat.uptime_seconds <= 2 + SLACK
    with server.lock:
        screen = Screen.objects.get(pk=screen.pk)
    assert screen.last_seen_at is not None
    assert timezone.now() - screen.last_seen_at < dt.timedelta(seconds=30)
    assert screen.last_playing_title == titles[first]

    # The first item's play is reported in the next heartbeat (10 s later) once its slot is over.
    play = wait_until(
        lambda: PlayRecord.objects.filter(screen=screen, page_id=first).first(),
        timeout=10 + SLACK,
        lock=server.lock,
        message="no proof of play stored for the first item",
    )
    assert play.page_title == titles[first]
    assert DURATION - 1 <= play.duration_seconds <= DURATION + 2
    assert play.takeover is False
    assert abs(play.started_at - beat.received_at) < dt.timedelta(seconds=10)
    with server.lock:
        plays = list(PlayRecord.objects.filter(screen=screen).order_by("started_at"))
    # Nothing reported before the first item, nothing that is not in the playlist, no duplicates.
    assert plays[0] == play
    assert {p.page_id for p in plays} <= set(titles)
    assert len({(p.page_id, p.started_at) for p in plays}) == len(plays)
    with server.lock:
        assert ScreenHeartbeat.objects.filter(screen=screen).count() >= 2
    assert page.errors == []

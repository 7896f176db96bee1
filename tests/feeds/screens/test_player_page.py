"""The kiosk player page: who may open it, and what it is told (the browser tests drive it)."""

import json

from feeds.screens.player import player_version

from .conftest import feed_get


def _config(response):
    html = response.content.decode()
    return json.loads(html.split('id="player-config" type="application/json">')[1].split("</script>")[0])


def test_player_page_carries_its_config_and_version(client, make_screen):
    screen, token = make_screen(orientation="portrait", refresh_seconds=12)
    response = client.get(f"/screens/{screen.pk}/player/?token={token}", follow=True)
    assert response.redirect_chain == [(f"/screens/{screen.pk}/player/", 303)]
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert token not in response.content.decode()  # the cookie carries it; the script never sees it
    assert "player--portrait" in response.content.decode()
    config = _config(response)
    assert config["feedUrl"] == f"/api/v1/screens/{screen.pk}/feed"
    assert config["heartbeatUrl"] == f"/api/v1/screens/{screen.pk}/heartbeat"
    assert config["heartbeatSeconds"] == 60
    # A player that starts offline retries at the screen's own interval, not a fixed 30 s.
    assert config["refreshSeconds"] == 12
    # The feed announces the same version, so a deploy that changes the player reloads every screen.
    assert config["playerVersion"] == player_version()
    assert feed_get(client, screen, token).json()["screen"]["player_version"] == player_version()


def test_player_heartbeat_interval_is_clamped(client, make_screen):
    screen, token = make_screen()
    for given, expected in (("1", 10), ("90", 90), ("99999", 600), ("soon", 60)):
        response = client.get(f"/screens/{screen.pk}/player/?token={token}&heartbeat={given}", follow=True)
        assert response.redirect_chain[-1][0] == f"/screens/{screen.pk}/player/?heartbeat={given}"
        assert _config(response)["heartbeatSeconds"] == expected


def test_player_page_refuses_wrong_token_disabled_and_unknown_screens_in_chinese(client, make_screen):
    screen, token = make_screen()
    wrong = client.get(f"/screens/{screen.pk}/player/?token=nope")
    assert wrong.status_code == 401 and "令牌无效或已更换" in wrong.content.decode()
    assert client.get("/screens/424242/player/?token=x").status_code == 404
    screen.enabled = False
    screen.save()
    disabled = client.get(f"/screens/{screen.pk}/player/?token={token}", follow=True)
    assert disabled.status_code == 403 and "该屏幕已停用" in disabled.content.decode()


def test_player_script_and_styles_are_served(client, make_screen):
    assert client.get("/static/js/screen-player.js").status_code == 200
    assert client.get("/static/css/screen-player.css").status_code == 200

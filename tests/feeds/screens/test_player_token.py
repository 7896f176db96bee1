"""The player link's token is exchanged for a cookie on first load: it reaches at most one access-log
line, never the address bar, the page or its script; the player and its API then use the cookie."""

import pytest

from feeds.screens.services import screen_token_rotate
from feeds.screens.tokens import TOKEN_API_COOKIE, TOKEN_COOKIE

pytestmark = pytest.mark.django_db


def _cookies(response):
    return [c for c in response.cookies.values() if c.key in (TOKEN_COOKIE, TOKEN_API_COOKIE)]


def test_token_in_link_sets_scoped_httponly_cookies_and_redirects_to_the_clean_address(client, make_screen):
    screen, token = make_screen()
    response = client.get(f"/screens/{screen.pk}/player/?heartbeat=30&token={token}")
    assert response.status_code == 303
    assert response["Location"] == f"/screens/{screen.pk}/player/?heartbeat=30"
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "no-referrer"
    cookies = _cookies(response)
    assert {(c.key, c["path"]) for c in cookies} == {
        (TOKEN_COOKIE, f"/screens/{screen.pk}/"),
        (TOKEN_API_COOKIE, f"/api/v1/screens/{screen.pk}/"),
    }
    for cookie in cookies:
        assert cookie.value == token
        assert cookie["httponly"] and cookie["samesite"] == "Strict"
        assert not cookie["secure"]  # plain HTTP in tests; Secure in production (next test)
        assert int(cookie["max-age"]) > 300 * 24 * 3600


def test_cookie_is_secure_in_production_and_over_https(client, make_screen, settings):
    screen, token = make_screen()
    https = client.get(f"/screens/{screen.pk}/player/?token={token}", secure=True)
    assert all(c["secure"] for c in _cookies(https))
    settings.SESSION_COOKIE_SECURE = True  # production.py
    plain = client.get(f"/screens/{screen.pk}/player/?token={token}")
    assert all(c["secure"] for c in _cookies(plain))


def test_clean_address_plays_with_the_cookie_and_its_api_calls_too(client, make_screen):
    screen, token = make_screen()
    client.get(f"/screens/{screen.pk}/player/?token={token}")
    page = client.get(f"/screens/{screen.pk}/player/")
    assert page.status_code == 200 and 'id="player-config"' in page.content.decode()
    assert token not in page.content.decode()
    # The test client sends cookies whatever their path; a browser sends these two only to their paths.
    feed = client.get(f"/api/v1/screens/{screen.pk}/feed")
    assert feed.status_code == 200 and "Cookie" in feed["Vary"]
    beat = client.post(
        f"/api/v1/screens/{screen.pk}/heartbeat", {"player_version": "x"}, content_type="application/json"
    )
    assert beat.status_code == 200


def test_clean_address_without_the_cookie_is_refused_in_chinese(client, make_screen):
    screen, _token = make_screen()
    response = client.get(f"/screens/{screen.pk}/player/")
    assert response.status_code == 401 and "缺少令牌" in response.content.decode()


def test_wrong_token_in_link_is_refused_and_sets_nothing(client, make_screen):
    screen, _token = make_screen()
    response = client.get(f"/screens/{screen.pk}/player/?token=nope")
    assert response.status_code == 401 and "令牌无效或已更换" in response.content.decode()
    assert not _cookies(response)
    assert client.get(f"/screens/{screen.pk}/player/?token=" + "x" * 5000).status_code == 401


def test_rotating_the_token_retires_the_cookie(client, make_screen):
    screen, token = make_screen()
    client.get(f"/screens/{screen.pk}/player/?token={token}")
    screen_token_rotate(screen)
    page = client.get(f"/screens/{screen.pk}/player/")
    assert page.status_code == 401 and "令牌无效或已更换" in page.content.decode()
    assert client.get(f"/api/v1/screens/{screen.pk}/feed").status_code == 401


def test_a_cookie_for_one_screen_does_not_open_another(client, make_screen):
    first, token = make_screen(name="一号屏")
    second, _other = make_screen(name="二号屏")
    client.get(f"/screens/{first.pk}/player/?token={token}")
    assert client.get(f"/screens/{second.pk}/player/").status_code == 401
    assert client.get(f"/api/v1/screens/{second.pk}/feed").status_code == 401


def test_feed_api_without_token_or_cookie_is_401_and_query_token_is_off(client, make_screen):
    screen, token = make_screen()
    response = client.get(f"/api/v1/screens/{screen.pk}/feed")
    assert response.status_code == 401 and response.json()["error"] == "令牌无效或已更换"
    assert client.get(f"/api/v1/screens/{screen.pk}/feed?token={token}").status_code == 401
    assert client.post(f"/api/v1/screens/{screen.pk}/heartbeat?token={token}").status_code == 401


def test_a_wrong_bearer_header_is_refused_even_with_a_good_cookie(client, make_screen):
    screen, token = make_screen()
    client.get(f"/screens/{screen.pk}/player/?token={token}")
    response = client.get(f"/api/v1/screens/{screen.pk}/feed", HTTP_AUTHORIZATION="Bearer wrong")
    assert response.status_code == 401

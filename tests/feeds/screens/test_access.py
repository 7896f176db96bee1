"""One access check for every screen request: the player page, the feed and the heartbeat agree on
who may pass (404 unknown screen, 401 missing or wrong token, 403 disabled screen, in that order)."""

import pytest

from feeds.screens.tokens import screen_access, token_hash

pytestmark = pytest.mark.django_db

GOOD = token_hash("good")


@pytest.mark.parametrize(
    ("auth", "token", "status"),
    [
        (None, "good", 404),
        ((GOOD, True), None, 401),
        ((GOOD, True), "", 401),
        ((GOOD, True), "bad", 401),
        ((GOOD, False), "bad", 401),  # a disabled screen's state is not revealed without its token
        ((GOOD, False), "good", 403),
        ((GOOD, True), "good", 200),
    ],
)
def test_screen_access_answers_the_status_of_the_request(auth, token, status):
    assert screen_access(auth, token) == status


@pytest.mark.parametrize("case", ["unknown", "no token", "wrong token", "disabled", "good"])
def test_the_player_page_and_its_api_agree(client, make_screen, case):
    screen, token = make_screen()
    screen_id = 987654 if case == "unknown" else screen.pk
    if case == "disabled":
        screen.enabled = False
        screen.save()
    sent = {"no token": None, "wrong token": "wrong"}.get(case, token)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {sent}"} if sent else {}
    expected = {"unknown": 404, "no token": 401, "wrong token": 401, "disabled": 403, "good": 200}[case]
    player = client.get(f"/screens/{screen_id}/player/", **headers)
    feed = client.get(f"/api/v1/screens/{screen_id}/feed", **headers)
    heartbeat = client.post(
        f"/api/v1/screens/{screen_id}/heartbeat", b"{}", content_type="application/json", **headers
    )
    assert player.status_code == feed.status_code == expected
    assert heartbeat.status_code == (expected if expected != 200 else heartbeat.status_code)
    if expected != 200:
        assert heartbeat.status_code == expected and "error" in feed.json()

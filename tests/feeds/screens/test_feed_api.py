"""The screen feed API: authentication, targeting, takeover, visibility, renditions and query cost."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from feeds.screens.services import screen_token_rotate
from tests.factories import ArticlePageFactory, EmergencyPageFactory, ImageFactory, VideoPageFactory

from .conftest import feed_get


def _ids(response):
    return [item["id"] for item in response.json()["items"]]


# --- authentication ----------------------------------------------------------------------


def test_feed_accepts_bearer_header_and_query_token_only_when_allowed(client, make_screen, settings):
    screen, token = make_screen()
    assert feed_get(client, screen, token).status_code == 200
    # ?token= ends up in access logs: refused unless SCREENS_TOKEN_IN_QUERY is turned on.
    assert client.get(f"/api/v1/screens/{screen.pk}/feed?token={token}").status_code == 401
    settings.SCREENS_TOKEN_IN_QUERY = True
    assert client.get(f"/api/v1/screens/{screen.pk}/feed?token={token}").status_code == 200


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", "Basic abc", "Bearer "])
def test_feed_without_the_right_token_is_401_with_a_message(client, make_screen, header):
    screen, _token = make_screen()
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = client.get(f"/api/v1/screens/{screen.pk}/feed", **extra)
    assert response.status_code == 401
    assert response.json()["error"] == "令牌无效或已更换"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_rotated_token_stops_working_at_once(client, make_screen):
    screen, old = make_screen()
    assert feed_get(client, screen, old).status_code == 200  # auth is now cached
    new = screen_token_rotate(screen)
    assert feed_get(client, screen, old).status_code == 401
    assert feed_get(client, screen, new).status_code == 200


def test_disabled_screen_is_403_and_unknown_screen_is_404(client, make_screen):
    screen, token = make_screen()
    assert feed_get(client, screen, token).status_code == 200
    screen.enabled = False
    screen.save()
    response = feed_get(client, screen, token)
    assert response.status_code == 403
    assert response.json()["error"] == "该屏幕已停用"
    assert feed_get(client, screen, "wrong").status_code == 401  # no state revealed without the token
    missing = client.get("/api/v1/screens/999999/feed", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert missing.status_code == 404
    assert missing.json()["error"] == "屏幕不存在"


# --- what plays ----------------------------------------------------------------------------


def test_feed_carries_screen_settings_and_items(client, make_screen, article_index):
    page = ArticlePageFactory(parent=article_index, audiences=["elderly"], title="老年人防跌倒")
    screen, token = make_screen(orientation="portrait", width=1080, height=1920, refresh_seconds=20)
    data = feed_get(client, screen, token).json()
    assert data["screen"]["orientation"] == "portrait"
    assert data["screen"]["resolution"] == {"width": 1080, "height": 1920}
    assert data["screen"]["refresh_seconds"] == 20
    assert data["screen"]["player_version"]
    assert data["takeover"] is False
    (item,) = data["items"]
    assert item["id"] == page.pk
    assert item["title"] == "老年人防跌倒"
    assert item["qr_url"] == f"http://testserver{page.url}"
    assert item["qr_svg"].startswith("<svg")
    assert item["duration"] == 15
    assert item["valid_until"] is None and item["severity"] is None


def test_feed_targets_the_screens_audiences(client, make_screen, article_index):
    elderly = ArticlePageFactory(parent=article_index, audiences=["elderly"])
    farmers = ArticlePageFactory(parent=article_index, audiences=["farmers"])
    youth = ArticlePageFactory(parent=article_index, audiences=["youth"])
    screen, token = make_screen(audiences=["elderly", "farmers"])
    assert sorted(_ids(feed_get(client, screen, token))) == sorted([elderly.pk, farmers.pk])
    assert youth.pk not in _ids(feed_get(client, screen, token))


def test_active_emergency_for_the_district_comes_first_with_takeover(
    client, make_screen, article_index, emergency_index
):
    article = ArticlePageFactory(parent=article_index, audiences=["elderly"])
    here = EmergencyPageFactory(
        parent=emergency_index, regions=["鄂城区"], audiences=["youth"], severity="red"
    )
    elsewhere = EmergencyPageFactory(parent=emergency_index, regions=["华容区"], audiences=["elderly"])
    screen, token = make_screen(district="echeng", audiences=["elderly"])
    data = feed_get(client, screen, token).json()
    assert data["takeover"] is True
    assert [i["id"] for i in data["items"]] == [here.pk, article.pk]
    first = data["items"][0]
    assert first["takeover"] is True
    assert first["severity"]["label"] == "红色预警" and first["severity"]["colour"] == "#c62828"
    assert first["instructions"] == ["尽量减少外出", "远离低洼地带", "关注官方预警信息"]
    assert dt.datetime.fromisoformat(first["valid_until"]) == here.expires_at
    assert first["valid_until"].endswith("+08:00")
    assert elsewhere.pk not in _ids(feed_get(client, screen, token))


def test_expired_and_upcoming_emergencies_stay_off_the_screen(client, make_screen, emergency_index):
    now = timezone.now()
    EmergencyPageFactory(
        parent=emergency_index,
        effective_from=now - dt.timedelta(days=2),
        expires_at=now - dt.timedelta(days=1),
    )
    EmergencyPageFactory(
        parent=emergency_index,
        effective_from=now + dt.timedelta(days=1),
        expires_at=now + dt.timedelta(days=2),
    )
    screen, token = make_screen(audiences=["youth"])
    data = feed_get(client, screen, token).json()
    assert data["items"] == [] and data["takeover"] is False


def test_draft_and_private_pages_never_reach_a_screen(client, make_screen, article_index):
    public = ArticlePageFactory(parent=article_index, audiences=["elderly"])
    ArticlePageFactory(parent=article_index, audiences=["elderly"], live=False)
    private = ArticlePageFactory(parent=article_index, audiences=["elderly"])
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    screen, token = make_screen()
    assert _ids(feed_get(client, screen, token)) == [public.pk]


def test_empty_feed_is_valid(client, make_screen):
    screen, token = make_screen(audiences=["officials"])
    data = feed_get(client, screen, token).json()
    assert data["items"] == [] and data["takeover"] is False


def test_video_items_carry_video_url_and_poster(client, make_screen, video_index):
    poster = ImageFactory(file__width=1600, file__height=900)
    video = VideoPageFactory(
        parent=video_index, audiences=["elderly"], poster_image=poster, duration_seconds=42
    )
    screen, token = make_screen()
    (item,) = feed_get(client, screen, token).json()["items"]
    assert item["id"] == video.pk and item["type"] == "video"
    assert item["video"]["url"] == "https://media.kepu-ezhou.cn/videos/demo.mp4"
    assert item["video"]["poster"]["url"].startswith("http://testserver/")
    assert item["duration"] == 42


@pytest.mark.parametrize(
    ("orientation", "width", "height", "picture", "poster"),
    [
        ("landscape", 1920, 1080, (1056, 1080), (1920, 1080)),
        ("portrait", 1080, 1920, (1080, 768), (1080, 1920)),
        ("landscape", 1280, 720, (704, 720), (1280, 720)),
    ],
)
def test_renditions_are_sized_to_the_screen(
    client, make_screen, video_index, orientation, width, height, picture, poster
):
    big = ImageFactory(file__width=4000, file__height=4000)
    VideoPageFactory(parent=video_index, audiences=["elderly"], cover_image=big)
    screen, token = make_screen(orientation=orientation, width=width, height=height)
    (item,) = feed_get(client, screen, token).json()["items"]
    assert (item["image"]["width"], item["image"]["height"]) == picture
    assert (item["video"]["poster"]["width"], item["video"]["poster"]["height"]) == poster
    assert client.get(item["image"]["url"].removeprefix("http://testserver")).status_code == 200


def test_feed_rebuild_costs_a_fixed_number_of_queries(
    client, make_screen, article_index, video_index, emergency_index, django_assert_max_num_queries
):
    screen, token = make_screen(audiences=["elderly"])

    def count_queries():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert feed_get(client, screen, token).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        ArticlePageFactory(parent=article_index, audiences=["elderly"], cover_image=ImageFactory())
        VideoPageFactory(parent=video_index, audiences=["elderly"], cover_image=ImageFactory())
        EmergencyPageFactory(parent=emergency_index, audiences=["elderly"], cover_image=ImageFactory())
    count_queries()  # renditions are created on the first build
    few = count_queries()
    for _ in range(6):
        ArticlePageFactory(parent=article_index, audiences=["elderly"], cover_image=ImageFactory())
        VideoPageFactory(parent=video_index, audiences=["elderly"], cover_image=ImageFactory())
        EmergencyPageFactory(parent=emergency_index, audiences=["elderly"], cover_image=ImageFactory())
    count_queries()
    many = count_queries()
    assert many == few, f"{few} queries for 6 items but {many} for 24: a per-item query crept in"
    assert few <= 40

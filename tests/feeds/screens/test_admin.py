"""Screens in the admin and on the command line: token shown once, rotation, monitoring, CSV."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from feeds.screens.models import PlayRecord, Screen
from feeds.screens.tokens import token_matches
from tests.factories import ArticlePageFactory

from .conftest import feed_get


def test_create_screen_prints_id_and_token_that_work(client, db):
    out = io.StringIO()
    call_command(
        "create_screen", "--name", "华容区葛店社区大屏", "--district", "huarong", "--audiences", "elderly,farmers",
        "--group", "社区屏", stdout=out,
    )  # fmt: skip
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("id: ") and lines[1].startswith("token: ")
    screen = Screen.objects.get(pk=int(lines[0][4:]))
    token = lines[1][7:]
    assert screen.district.slug == "huarong"
    assert sorted(a.slug for a in screen.audiences.all()) == ["elderly", "farmers"]
    assert screen.group.name == "社区屏"
    assert token not in screen.token_hash and token_matches(token, screen.token_hash)
    assert feed_get(client, screen, token).status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--district", "wuhan"], "未知区域“wuhan”"),
        (["--district", "echeng", "--audiences", "elderly,aliens"], "未知受众“aliens”"),
        (["--district", "echeng", "--resolution", "big"], "分辨率格式"),
        (["--district", "echeng", "--resolution", "100x100"], "width"),
    ],
)
def test_create_screen_explains_bad_input(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_screen", "--name", "屏", *args, stdout=io.StringIO())
    assert not Screen.objects.exists()


def test_create_screen_dry_run_creates_nothing(db):
    out = io.StringIO()
    call_command("create_screen", "--name", "屏", "--district", "鄂城区", "--dry-run", stdout=out)
    assert "未创建" in out.getvalue()
    assert not Screen.objects.exists()


def test_creating_a_screen_in_the_admin_shows_its_token_once(admin_client, db, regions, audiences):
    response = admin_client.post(
        "/admin/snippets/screens/screen/add/",
        {
            "name": "梁子湖区学校大屏",
            "district": regions["梁子湖区"].pk,
            "place_type": "school",
            "orientation": "portrait",
            "width": 1080,
            "height": 1920,
            "audiences": [audiences["youth"].pk],
            "refresh_seconds": 30,
            "enabled": "on",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "令牌只显示这一次" in html
    screen = Screen.objects.get(name="梁子湖区学校大屏")
    token = html.split('id="screen-token">')[1].split("<")[0]
    assert token_matches(token, screen.token_hash)
    edit = admin_client.get(f"/admin/snippets/screens/screen/edit/{screen.pk}/").content.decode()
    assert token not in edit


def test_rotating_a_token_in_the_admin_locks_out_the_old_one(admin_client, client, make_screen):
    screen, old = make_screen()
    url = f"/admin/screen-monitor/screens/{screen.pk}/rotate-token/"
    assert "旧令牌会立即失效" in admin_client.get(url).content.decode()
    html = admin_client.post(url).content.decode()
    new = html.split('id="screen-token">')[1].split("<")[0]
    assert feed_get(client, screen, old).status_code == 401
    assert feed_get(client, screen, new).status_code == 200


def test_monitoring_shows_online_offline_and_what_is_playing(admin_client, make_screen):
    online, _ = make_screen(name="在线的屏")
    offline, _ = make_screen(name="离线的屏")
    Screen.objects.filter(pk=online.pk).update(last_seen_at=timezone.now(), last_playing_title="科学补钙")
    Screen.objects.filter(pk=offline.pk).update(last_seen_at=timezone.now() - dt.timedelta(minutes=10))
    html = admin_client.get("/admin/screen-monitor/").content.decode()
    summary = html.split('id="screen-summary"')[1].split("</div>")[0]
    assert "<strong>1</strong>在线" in summary and "<strong>1</strong>离线" in summary
    assert "科学补钙" in html


@pytest.fixture
def plays(make_screen, article_index):
    page_a = ArticlePageFactory(parent=article_index, title="科学补钙")
    page_b = ArticlePageFactory(parent=article_index, title="防范电信诈骗")
    screen_1, _ = make_screen(name="一号屏")
    screen_2, _ = make_screen(name="二号屏")
    now = timezone.now()
    rows = [(screen_1, page_a, 1), (screen_1, page_a, 2), (screen_2, page_a, 3), (screen_2, page_b, 4)]
    for screen, page, minutes in rows:
        PlayRecord.objects.create(
            screen=screen, page=page, page_title=page.title, started_at=now - dt.timedelta(minutes=minutes),
            duration_seconds=15, received_at=now,
        )  # fmt: skip
    PlayRecord.objects.create(  # outside the default seven days
        screen=screen_1, page=page_b, page_title=page_b.title, started_at=now - dt.timedelta(days=30),
        duration_seconds=15, received_at=now,
    )  # fmt: skip
    return screen_1, screen_2


def test_proof_of_play_counts_per_item_and_screen(admin_client, plays):
    html = admin_client.get("/admin/screen-monitor/").content.decode()
    assert 'id="total-plays">4<' in html
    per_item = html.split('id="plays-per-item"')[1].split("</ul>")[0]
    assert per_item.index("科学补钙") < per_item.index("防范电信诈骗")
    assert 'class="count">3<' in per_item
    per_screen = html.split('id="plays-per-screen"')[1].split("</ul>")[0]
    assert "一号屏" in per_screen and "二号屏" in per_screen


def test_proof_of_play_csv_export(admin_client, plays):
    screen_1, _ = plays
    response = admin_client.get(f"/admin/screen-monitor/plays.csv?screen={screen_1.pk}")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("开始时间,屏幕ID,屏幕")
    assert len(lines) == 3 and all("一号屏" in line for line in lines[1:])
    summary = admin_client.get("/admin/screen-monitor/plays.csv?kind=items")
    rows = b"".join(summary.streaming_content).decode("utf-8").lstrip("\ufeff").splitlines()
    assert rows[1].split(",")[1:3] == ["科学补钙", "3"]


def test_monitoring_rejects_a_backwards_date_range(admin_client, plays):
    html = admin_client.get("/admin/screen-monitor/?start=2026-12-10&end=2026-12-01").content.decode()
    assert "开始日期不能晚于结束日期" in html
    assert 'id="total-plays">4<' in html  # fell back to the last seven days


def test_monitoring_needs_permission(client, db, django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw-12345678")
    client.force_login(user)
    assert client.get("/admin/screen-monitor/").status_code in (302, 403)


def test_screen_admin_pages_render_in_chinese(admin_client, make_screen):
    screen, _ = make_screen(name="鄂城区社区大屏", group="社区屏")
    listing = admin_client.get("/admin/snippets/screens/screen/").content.decode()
    assert "鄂城区社区大屏" in listing and "更换令牌" in listing
    group_form = admin_client.get("/admin/snippets/screens/screengroup/add/").content.decode()
    for label in ("时段节目", "置顶内容", "排除内容", "只播放本时段内容"):
        assert label in group_form
    assert admin_client.get(f"/admin/snippets/screens/screengroup/edit/{screen.group_id}/").status_code == 200

"""大屏监控 and the proof-of-play reports as Wagtail report views: filters, CSV/XLSX exports, permissions."""

import datetime as dt
import io
import os

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from feeds.screens.models import PlayRecord, Screen
from tests.factories import ArticlePageFactory

MONITOR = "/admin/screen-monitor/"
PLAYS = "/admin/screen-monitor/plays/"
ITEMS = "/admin/screen-monitor/plays/items/"


def _html(client, url, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    html = response.content.decode()
    if os.environ.get("KEPU_DUMP_ADMIN_HTML"):  # look at the pages while changing them
        name = url.strip("/").replace("/", "_") or "admin"
        with open(f"{os.environ['KEPU_DUMP_ADMIN_HTML']}/{name}.html", "w", encoding="utf-8") as out:
            out.write(html)
    return html


def _csv(response) -> list[str]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads it as UTF-8
    return body.lstrip("\ufeff").splitlines()


def _table(html: str) -> str:
    return html.split('id="listing-results"')[1].split("</table>")[0]


@pytest.fixture
def screens(make_screen):
    online, _ = make_screen(name="在线的屏")
    offline, _ = make_screen(name="离线的屏", district="huarong")
    disabled, _ = make_screen(name="停用的屏", enabled=False)
    Screen.objects.filter(pk=online.pk).update(last_seen_at=timezone.now(), last_playing_title="科学补钙")
    Screen.objects.filter(pk=offline.pk).update(
        last_seen_at=timezone.now() - dt.timedelta(minutes=10), last_errors=["视频加载失败"]
    )
    return online, offline, disabled


@pytest.fixture
def plays(make_screen, article_index):
    page_a = ArticlePageFactory(parent=article_index, title="科学补钙")
    page_b = ArticlePageFactory(parent=article_index, title="防范电信诈骗")
    screen_1, _ = make_screen(name="一号屏")
    screen_2, _ = make_screen(name="二号屏", district="huarong")
    now = timezone.now()
    rows = [(screen_1, page_a, 1, False), (screen_1, page_a, 2, False), (screen_2, page_a, 3, True),
            (screen_2, page_b, 4, False)]  # fmt: skip
    for screen, page, minutes, takeover in rows:
        PlayRecord.objects.create(
            screen=screen, page=page, page_title=page.title, started_at=now - dt.timedelta(minutes=minutes),
            duration_seconds=15, takeover=takeover, received_at=now,
        )  # fmt: skip
    PlayRecord.objects.create(  # outside the default seven days
        screen=screen_1, page=page_b, page_title=page_b.title, started_at=now - dt.timedelta(days=30),
        duration_seconds=15, received_at=now,
    )  # fmt: skip
    return screen_1, screen_2


def test_monitor_lists_screens_with_their_state_and_filters_by_it(admin_client, screens):
    html = _html(admin_client, MONITOR)
    table = _table(html)
    for name in ("在线的屏", "离线的屏", "停用的屏"):
        assert name in table
    assert "视频加载失败" in table and "从未连接" in table
    offline = _table(_html(admin_client, MONITOR, {"state": "offline"}))
    assert "离线的屏" in offline and "在线的屏" not in offline and "停用的屏" not in offline
    summary = (
        _html(admin_client, MONITOR, {"state": "offline"}).split('id="screen-summary"')[1].split("</div>")[0]
    )
    assert "<strong>1</strong>在线" in summary  # the counts are of every screen, whatever the filter


def test_monitor_exports_the_screen_states(admin_client, screens):
    lines = _csv(admin_client.get(MONITOR, {"export": "csv"}))
    assert lines[0] == "屏幕,区域,分组,状态,正在播放,播放器版本,最近心跳,最近错误"
    rows = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    assert rows["在线的屏"][3] == "在线" and rows["离线的屏"][3] == "离线" and rows["停用的屏"][3] == "已停用"
    xlsx = admin_client.get(MONITOR, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert next(sheet.iter_rows(values_only=True))[:4] == ("屏幕", "区域", "分组", "状态")


def test_play_report_lists_filters_and_exports_each_play(admin_client, plays):
    screen_1, screen_2 = plays
    table = _table(_html(admin_client, PLAYS))
    assert table.count("<tr") == 5  # the header and the four plays of the last seven days
    huarong = _table(_html(admin_client, PLAYS, {"district": screen_2.district_id}))
    assert "二号屏" in huarong and "一号屏" not in huarong
    takeovers = _table(_html(admin_client, PLAYS, {"takeover": "true"}))
    assert takeovers.count("<tr") == 2
    lines = _csv(admin_client.get(PLAYS, {"export": "csv", "screen": screen_1.pk}))
    assert lines[0] == "开始时间,屏幕ID,屏幕,区域,内容ID,内容标题,时长（秒）,应急接管"
    assert len(lines) == 3 and all(",一号屏," in line and line.endswith(",否") for line in lines[1:])
    xlsx = admin_client.get(PLAYS, {"export": "xlsx", "takeover": "true"})
    assert xlsx["Content-Disposition"].startswith('attachment; filename="screen-plays-')
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.values)
    assert rows[0][:3] == ("开始时间", "屏幕ID", "屏幕") and len(rows) == 2 and rows[1][7] == "是"


def test_play_report_takes_a_period_and_refuses_a_backwards_one(admin_client, plays):
    today = timezone.localdate()
    month = {"start": (today - dt.timedelta(days=40)).isoformat(), "end": today.isoformat()}
    assert _table(_html(admin_client, PLAYS, month)).count("<tr") == 6
    html = _html(admin_client, PLAYS, {"start": "2026-12-10", "end": "2026-12-01"})
    assert "开始日期不能晚于结束日期" in html
    assert _table(html).count("<tr") == 5  # fell back to the last seven days


def test_items_report_totals_per_item_and_exports_them(admin_client, plays):
    table = _table(_html(admin_client, ITEMS))
    assert table.index("科学补钙") < table.index("防范电信诈骗")
    lines = _csv(admin_client.get(ITEMS, {"export": "csv"}))
    assert lines[0] == "内容ID,内容标题,播放次数,其中应急接管"
    assert lines[1].split(",")[1:] == ["科学补钙", "3", "1"]


def test_monitor_links_the_reports_for_its_period(admin_client, plays):
    screen_1, _ = plays
    html = _html(admin_client, MONITOR, {"screen": screen_1.pk, "state": "online"})
    assert f'href="{PLAYS}?screen={screen_1.pk}"' in html and f'href="{ITEMS}?screen={screen_1.pk}"' in html


def test_reports_need_a_screen_permission(client, django_user_model, plays):
    user = django_user_model.objects.create_user("viewer", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for url in (MONITOR, PLAYS, ITEMS, f"{PLAYS}?export=csv", "/admin/screen-monitor/plays.csv"):
        assert client.get(url).status_code in (302, 403), url
    assert MONITOR not in client.get("/admin/").content.decode()  # no menu items either
    user.user_permissions.add(Permission.objects.get(codename="view_screen"))
    user = django_user_model.objects.get(pk=user.pk)  # no cached permissions
    client.force_login(user)
    for url in (MONITOR, PLAYS, ITEMS):
        assert client.get(url).status_code == 200, url
    menu = client.get("/admin/").content.decode()  # the sidebar (JSON) lists both
    assert f'"{MONITOR}"' in menu and f'"{PLAYS}"' in menu

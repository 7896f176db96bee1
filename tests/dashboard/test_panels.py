"""工作台: each panel lists the day's work with a link to act on it, says so in Chinese when there is
nothing, appears only for users who can act, and costs a fixed number of queries."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboard.panels import (
    ConfirmationPanel,
    ReviewTasksPanel,
    ScreensOfflinePanel,
    WarningsPanel,
    WeChatFailedPanel,
    ZeroResultSearchesPanel,
    dashboard_panels_for,
)
from editorial.selectors import AwaitingConfirmation
from feeds.screens.services import screen_create
from feeds.wechat.models import WeChatPush
from search.models import SearchQueryStat
from tests.factories import ArticlePageFactory, EmergencyPageFactory, user_in_group

pytestmark = pytest.mark.django_db

ALL_PANELS = [
    ReviewTasksPanel,
    WarningsPanel,
    ConfirmationPanel,
    WeChatFailedPanel,
    ScreensOfflinePanel,
    ZeroResultSearchesPanel,
]


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="pw")


def request_for(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def render(panel_class, user):
    return panel_class(request_for(user)).render_html({})


def submitted(article_index, editor, title):
    page = ArticlePageFactory(parent=article_index, live=False, title=title)
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    return page


def push(page, status, *, days_ago=0, error=""):
    row = WeChatPush.objects.create(page=page, title=page.title, status=status, error=error)
    WeChatPush.objects.filter(pk=row.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return row


def screen(name, *, seen_ago=None, enabled=True):
    created = screen_create(name=name, district="echeng", audiences=["elderly"], group="").screen
    last_seen = timezone.now() - seen_ago if seen_ago is not None else None
    type(created).objects.filter(pk=created.pk).update(last_seen_at=last_seen, enabled=enabled)
    return created


# --- the dashboard page -------------------------------------------------------------------------


def test_dashboard_shows_all_panels_in_order_for_a_superuser(client, superuser):
    client.force_login(superuser)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    headings = ["我的待审任务", "生效中的预警", "错敏词待确认", "微信推送失败", "离线大屏", "本周无结果搜索"]
    positions = [html.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "Awaiting your review" not in html and "等待您审核" not in html  # replaced by 我的待审任务
    for empty in ["暂无待审任务", "暂无生效中的预警", "暂无待确认的错敏词", "暂无推送失败", "暂无离线大屏"]:
        assert empty in html


def test_editor_sees_only_the_panels_they_can_act_on(client, home):
    editor = user_in_group("editor", "科普编辑")
    assert [type(p) for p in dashboard_panels_for(request_for(editor))] == [WarningsPanel, ConfirmationPanel]
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "生效中的预警" in html
    for hidden in ["我的待审任务", "离线大屏", "微信推送失败", "本周无结果搜索"]:
        assert hidden not in html


@pytest.mark.parametrize(
    "group, expected",
    [
        ("初审员", [ReviewTasksPanel, WarningsPanel, ConfirmationPanel]),
        ("终审员", [ReviewTasksPanel, WarningsPanel, ConfirmationPanel]),
        ("应急管理审核", [ReviewTasksPanel, WarningsPanel, ConfirmationPanel]),
        (
            "管理员",
            [
                WarningsPanel,
                ConfirmationPanel,
                WeChatFailedPanel,
                ScreensOfflinePanel,
                ZeroResultSearchesPanel,
            ],
        ),
    ],
)
def test_panels_follow_the_groups_permissions(home, group, expected):
    user = user_in_group("someone", group)
    assert [type(p) for p in dashboard_panels_for(request_for(user))] == expected


# --- 我的待审任务 ------------------------------------------------------------------------------------


def test_review_tasks_lists_pages_waiting_for_this_reviewer(client, article_index):
    editor = user_in_group("editor", "科普编辑")
    first = user_in_group("first", "初审员")
    second = user_in_group("second", "复审员")
    page = submitted(article_index, editor, "夏季防溺水须知")

    html = render(ReviewTasksPanel, first)
    assert "我的待审任务（1）" in html and "夏季防溺水须知" in html and "初审" in html
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in html
    report = reverse("wagtailadmin_reports:workflow") + "?reviewable=true"
    assert report in html
    client.force_login(first)
    assert "夏季防溺水须知" in client.get(report).content.decode()

    html = render(ReviewTasksPanel, second)  # not at 复审 yet
    assert "我的待审任务（0）" in html and "暂无待审任务" in html


# --- 预警 -----------------------------------------------------------------------------------------


def test_warnings_in_force_with_level_expiry_and_expiring_soon(emergency_index):
    now = timezone.now()
    soon = EmergencyPageFactory(
        parent=emergency_index,
        title="暴雨橙色预警",
        severity="orange",
        expires_at=now + dt.timedelta(hours=5),
    )
    EmergencyPageFactory(
        parent=emergency_index, title="高温黄色预警", severity="yellow", expires_at=now + dt.timedelta(days=3)
    )
    EmergencyPageFactory(
        parent=emergency_index,
        title="已过期预警",
        effective_from=now - dt.timedelta(days=2),
        expires_at=now - dt.timedelta(hours=1),
    )
    EmergencyPageFactory(parent=emergency_index, title="未发布预警", live=False)

    html = render(WarningsPanel, user_in_group("em", "应急管理审核"))
    assert "生效中的预警（2）" in html
    assert html.index("暴雨橙色预警") < html.index("高温黄色预警")  # most severe first
    assert "已过期预警" not in html and "未发布预警" not in html
    assert "橙色（二级）" in html
    local_expiry = timezone.localtime(soon.expires_at)
    assert f"失效时间 {local_expiry:%Y-%m-%d %H:%M}" in html
    assert html.count("24 小时内到期") == 1
    assert reverse("wagtailadmin_pages:edit", args=[soon.pk]) in html
    assert reverse("emergencies:index") + "?window=active" in html


def test_warnings_empty_state(superuser, home):
    assert "暂无生效中的预警" in render(WarningsPanel, superuser)


# --- 离线大屏 ---------------------------------------------------------------------------------------


def test_offline_screens_link_to_the_screen_admin(superuser, home):
    silent = screen("东湖社区大屏", seen_ago=dt.timedelta(hours=2))
    never = screen("新装大屏")
    screen("在线大屏", seen_ago=dt.timedelta(seconds=30))
    screen("停用大屏", enabled=False)

    html = render(ScreensOfflinePanel, superuser)
    assert "离线大屏（2）" in html
    assert "东湖社区大屏" in html and "新装大屏" in html and "从未上线" in html
    assert "在线大屏" not in html and "停用大屏" not in html
    assert reverse("wagtailsnippets_screens_screen:edit", args=[silent.pk]) in html
    assert reverse("wagtailsnippets_screens_screen:edit", args=[never.pk]) in html
    assert reverse("screen_monitor:index") in html


def test_no_offline_screens(superuser, home):
    screen("在线大屏", seen_ago=dt.timedelta(seconds=30))
    assert "暂无离线大屏" in render(ScreensOfflinePanel, superuser)


# --- 微信推送失败 -----------------------------------------------------------------------------------


def test_failed_pushes_of_the_last_week(superuser, article_index):
    failed = ArticlePageFactory(parent=article_index, title="防汛知识十问")
    fixed = ArticlePageFactory(parent=article_index, title="已重新推送成功")
    old = ArticlePageFactory(parent=article_index, title="上个月失败")
    push(failed, WeChatPush.FAILED, days_ago=1, error="access_token 无效")
    push(fixed, WeChatPush.FAILED, days_ago=2)
    push(fixed, WeChatPush.PUBLISHED, days_ago=1)
    push(old, WeChatPush.FAILED, days_ago=30)

    html = render(WeChatFailedPanel, superuser)
    assert "微信推送失败（近 7 天）（1）" in html
    assert "防汛知识十问" in html and "access_token 无效" in html
    assert "已重新推送成功" not in html and "上个月失败" not in html
    assert reverse("wechat_admin:push", args=[failed.pk]) in html
    assert reverse("wechat_admin:log") in html


def test_no_failed_pushes(superuser, home):
    assert "暂无推送失败" in render(WeChatFailedPanel, superuser)


# --- 本周无结果搜索 ---------------------------------------------------------------------------------


def test_zero_result_searches_this_week(superuser, home):
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    SearchQueryStat.objects.create(query="地震避险", day=today, hits=5, zero_result_hits=4)
    SearchQueryStat.objects.create(query="地震避险", day=monday, hits=3, zero_result_hits=3)
    SearchQueryStat.objects.create(query="蚊子", day=today, hits=2, zero_result_hits=2)
    SearchQueryStat.objects.create(query="游泳", day=today, hits=9, zero_result_hits=0)
    SearchQueryStat.objects.create(
        query="上周的词", day=monday - dt.timedelta(days=1), hits=9, zero_result_hits=9
    )

    html = render(ZeroResultSearchesPanel, superuser)
    assert "本周无结果搜索（2）" in html
    assert html.index("地震避险") < html.index("蚊子")
    assert "7 次无结果" in html and "2 次无结果" in html
    assert "游泳" not in html and "上周的词" not in html
    listing = reverse("wagtailsnippets_search_searchquerystat:list")
    assert f"{listing}?zero_results=true&amp;day_after={monday.isoformat()}" in html


def test_no_zero_result_searches(superuser, home):
    assert "本周暂无无结果搜索" in render(ZeroResultSearchesPanel, superuser)


# --- 错敏词待确认 -----------------------------------------------------------------------------------


def test_pages_awaiting_confirmation_link_to_their_edit_view(superuser, article_index):
    page = ArticlePageFactory(parent=article_index, title="关于某偏方的说明")
    found = (3, [AwaitingConfirmation(page=page, terms=["包治百病", "根治"])])
    with mock.patch("dashboard.panels.pages_awaiting_confirmation", return_value=found) as selector:
        html = render(ConfirmationPanel, superuser)
    selector.assert_called_once_with(limit=8)
    assert "错敏词待确认（3）" in html
    assert "关于某偏方的说明" in html and "包治百病、根治" in html
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in html and "去处理" in html


def test_nothing_awaiting_confirmation(superuser, home):
    assert "暂无待确认的错敏词" in render(ConfirmationPanel, superuser)


# --- query budget ---------------------------------------------------------------------------------


def fill(article_index, emergency_index, n, tag="a"):
    editor = User.objects.get_or_create(username="editor-q")[0]
    for i in range(n):
        submitted(article_index, editor, f"待审 {tag}{i}")
        EmergencyPageFactory(parent=emergency_index)
        screen(f"离线 {tag}{i}", seen_ago=dt.timedelta(hours=1))
        push(ArticlePageFactory(parent=article_index), WeChatPush.FAILED)
        SearchQueryStat.objects.create(
            query=f"无结果 {tag}{i}", day=timezone.localdate(), hits=1, zero_result_hits=1
        )


@pytest.mark.parametrize("n", [1, 6])
@pytest.mark.parametrize("who", ["superuser", "初审员"])
def test_panels_cost_a_fixed_number_of_queries(
    superuser, article_index, emergency_index, n, who, django_assert_max_num_queries
):
    fill(article_index, emergency_index, n)
    user = superuser if who == "superuser" else user_in_group("reviewer", who)
    request = request_for(User.objects.get(pk=user.pk))  # no permission caches carried over
    # a reviewer adds one membership check per active review step (Wagtail's reviewable_by)
    with django_assert_max_num_queries(20):
        panels = dashboard_panels_for(request)
        html = "".join(panel.render_html({}) for panel in panels)
    assert html.count("待审 ") == n


def test_query_count_does_not_grow_with_items(superuser, article_index, emergency_index):
    def count():
        request = request_for(User.objects.get(pk=superuser.pk))
        with CaptureQueriesContext(connection) as captured:
            for panel in dashboard_panels_for(request):
                panel.render_html({})
        return len(captured)

    fill(article_index, emergency_index, 1)
    few = count()
    fill(article_index, emergency_index, 5, tag="b")
    assert count() == few

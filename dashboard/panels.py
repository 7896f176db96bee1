"""工作台 panels: the day's work on the admin dashboard, each with a count, a short list, a link to act
and an empty state. A panel is added only for users who can act on it (``is_shown``); the queries
are in ``dashboard.selectors``.
"""

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.permissions import page_permission_policy

from content.models import EmergencyIndexPage
from editorial.selectors import pages_awaiting_confirmation

from . import selectors

LIST_LIMIT = 8


class DashboardPanel(Component):
    """One panel. Subclasses set the texts and implement ``is_shown`` and ``get_rows``."""

    name = ""
    heading = ""
    order = 100
    empty_text = "暂无"
    more_label = "查看全部"
    item_template = ""
    template_name = "dashboard/panel.html"

    def __init__(self, request):
        self.request = request

    @classmethod
    def is_shown(cls, request) -> bool:
        raise NotImplementedError

    def get_rows(self) -> tuple[int, list, dict]:
        """(total, items, extra context)."""
        raise NotImplementedError

    def get_more_url(self) -> str:
        return ""

    def get_context_data(self, parent_context=None):
        total, items, extra = self.get_rows()
        return {
            "panel": self,
            "title": f"{self.heading}（{total}）",
            "total": total,
            "items": items,
            "more_url": self.get_more_url(),
            "request": self.request,
            **extra,
        }


class ReviewTasksPanel(DashboardPanel):
    name = "dashboard_review_tasks"
    heading = "我的待审任务"
    order = 100
    empty_text = "暂无待审任务"
    more_label = "查看全部审核记录"
    item_template = "dashboard/items/review_task.html"

    @classmethod
    def is_shown(cls, request):
        return selectors.review_task_user_is_reviewer(request.user)

    def get_rows(self):
        total, items = selectors.review_task_list(self.request.user, limit=LIST_LIMIT)
        return total, items, {}

    def get_more_url(self):
        return reverse("wagtailadmin_reports:workflow") + "?reviewable=true"  # 等待我审核


class WarningsPanel(DashboardPanel):
    name = "dashboard_warnings"
    heading = "生效中的预警"
    order = 110
    empty_text = "暂无生效中的预警"
    more_label = "查看全部预警"
    item_template = "dashboard/items/warning.html"

    @classmethod
    def is_shown(cls, request):
        user = request.user
        if user.is_superuser:
            return True
        section = EmergencyIndexPage.objects.only("pk", "path", "depth").first()
        return section is not None and page_permission_policy.user_has_permission_for_instance(
            user, "change", section
        )

    def get_rows(self):
        summary = selectors.warning_in_force_list(now=timezone.now(), limit=LIST_LIMIT)
        return summary.total, summary.items, {"expiring_soon": summary.expiring_soon}

    def get_more_url(self):
        return reverse("emergencies:index") + "?window=active"


class ConfirmationPanel(DashboardPanel):
    name = "dashboard_editorial_confirmation"
    heading = "错敏词待确认"
    order = 120
    empty_text = "暂无待确认的错敏词"
    more_label = "查看全部"
    item_template = "dashboard/items/confirmation.html"

    def get_more_url(self):
        return reverse("editorial_awaiting")

    @classmethod
    def is_shown(cls, request):
        return request.user.is_superuser or page_permission_policy.user_has_permission(request.user, "change")

    def get_rows(self):
        total, items = pages_awaiting_confirmation(limit=LIST_LIMIT)
        return total, items, {}


class WeChatFailedPanel(DashboardPanel):
    name = "dashboard_wechat_failed"
    heading = "微信推送失败（近 7 天）"
    order = 130
    empty_text = "暂无推送失败"
    more_label = "查看推送记录"
    item_template = "dashboard/items/wechat_push.html"

    @classmethod
    def is_shown(cls, request):
        return request.user.has_perm("wechat.view_wechatpush")

    def get_rows(self):
        total, items = selectors.wechat_push_failed_list(now=timezone.now(), limit=LIST_LIMIT)
        return total, items, {}

    def get_more_url(self):
        return reverse("wechat_admin:log") + "?status=failed"  # the log, filtered to failures


class ScreensOfflinePanel(DashboardPanel):
    name = "dashboard_screens_offline"
    heading = "离线大屏"
    order = 140
    empty_text = "暂无离线大屏"
    more_label = "打开大屏监控"
    item_template = "dashboard/items/screen.html"

    @classmethod
    def is_shown(cls, request):
        user = request.user
        return user.has_perm("screens.view_screen") or user.has_perm("screens.change_screen")

    def get_rows(self):
        total, items = selectors.screen_offline_list(now=timezone.now(), limit=LIST_LIMIT)
        return total, items, {"can_edit": self.request.user.has_perm("screens.change_screen")}

    def get_more_url(self):
        return reverse("screen_monitor:index")


class ZeroResultSearchesPanel(DashboardPanel):
    name = "dashboard_zero_result_searches"
    heading = "本周无结果搜索"
    order = 150
    empty_text = "本周暂无无结果搜索"
    more_label = "查看搜索词统计"
    item_template = "dashboard/items/search_query.html"

    @classmethod
    def is_shown(cls, request):
        return request.user.has_perm("search.view_searchquerystat")

    def get_rows(self):
        total, items = selectors.search_zero_result_list(today=timezone.localdate(), limit=LIST_LIMIT)
        return total, items, {}

    def get_more_url(self):
        since = selectors.week_start(timezone.localdate())
        return (
            reverse("wagtailsnippets_search_searchquerystat:list")
            + f"?zero_results=true&day_after={since.isoformat()}"
        )


PANELS = [
    ReviewTasksPanel,
    WarningsPanel,
    ConfirmationPanel,
    WeChatFailedPanel,
    ScreensOfflinePanel,
    ZeroResultSearchesPanel,
]


def dashboard_panels_for(request) -> list[DashboardPanel]:
    """The panels this user can act on, in order."""
    return [panel(request) for panel in PANELS if panel.is_shown(request)]

"""设置 → 登录锁定: current lockouts with a 解除锁定 button, the counters behind them, the failure log."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from .lockout import lockout_minutes
from .selectors import login_attempt_list, login_failure_log_list, login_lockout_list
from .services import login_lockout_reset

KINDS = {"username": "账户", "ip_address": "地址"}


def can_view(user) -> bool:
    return user.is_superuser or user.has_perm("axes.view_accessattempt")


def can_reset(user) -> bool:
    return user.is_superuser or user.has_perm("axes.delete_accessattempt")


class LoginLockoutIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/lockouts.html"
    page_title = "登录锁定"
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not can_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": "首页"}, {"url": "", "label": "登录锁定"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            lockouts=login_lockout_list(),
            attempts=login_attempt_list(),
            failure_log=login_failure_log_list(),
            can_reset=can_reset(self.request.user),
            failure_limit=settings.AXES_FAILURE_LIMIT,
            minutes=lockout_minutes(),
            reset_url=reverse("login_lockouts:reset"),
        )
        return context


@require_POST
def login_lockout_reset_view(request):
    if not can_reset(request.user):
        raise PermissionDenied
    kind, value = request.POST.get("kind", ""), request.POST.get("value", "")
    if kind not in KINDS or not value:
        messages.error(request, "解除锁定失败：缺少账户或地址。")
    else:
        login_lockout_reset(kind=kind, value=value, by=request.user)
        messages.success(request, f"已解除{KINDS[kind]}“{value}”的登录锁定。")
    return redirect("login_lockouts:index")


class LoginLockoutMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view(request.user)


class LoginLockoutViewSet(ViewSet):
    name = "login_lockouts"
    url_prefix = "login-lockouts"
    icon = "lock"
    menu_label = "登录锁定"
    menu_order = 900
    add_to_settings_menu = True
    menu_item_class = LoginLockoutMenuItem

    def get_urlpatterns(self):
        return [
            path("", LoginLockoutIndexView.as_view(), name="index"),
            path("reset/", login_lockout_reset_view, name="reset"),
        ]

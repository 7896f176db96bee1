"""Admin: 推送到公众号 (preview, push, push history) for one page, and the push log (公众号推送记录).

The log is a Wagtail model viewset over ``WeChatPush``: filters, details (inspect), CSV/XLSX export.
Pushes are written only by the push service, so the log is read-only for everyone (superusers too);
every admin user may read it (docs/editors.md, 权限与用户组 ⁴)."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, Table
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from admin_site.listing import (
    AdminReadOnlyPermissionPolicy,
    ChineseExportMixin,
    ChineseInspectMixin,
    StatusColumn,
)
from content.models import CONTENT_MODELS

from .client import WeChatError, wechat_missing_settings
from .models import WeChatPush
from .services import wechat_article_preview, wechat_push_list, wechat_push_request

register_permission_policy(WeChatPush, AdminReadOnlyPermissionPolicy(WeChatPush), exact_class=True)


# --- columns shared by the log and a page's push history ------------------------------------


class PushNoteColumn(Column):
    """说明: the error, a link to the published article, or the draft's media_id."""

    def get_value(self, instance):
        if instance.error:
            return instance.error
        if instance.article_url:
            return format_html(
                '<a href="{}" target="_blank" rel="noopener">查看文章</a>', instance.article_url
            )
        if instance.media_id:
            return f"草稿 {truncatechars(instance.media_id, 16)}"
        return ""


def _status_tone(push) -> str:
    return {WeChatPush.PUBLISHED: "good", WeChatPush.FAILED: "bad"}.get(push.status, "")


def _status_column():
    return StatusColumn("get_status_display", label="状态", sort_key="status", tone=_status_tone)


def _requested_by_column():
    return Column("requested_by", label="操作人", accessor=lambda push: push.requested_by or "—")


def _created_at_column():
    return DateColumn("created_at", label="提交时间", sort_key="created_at")


def push_history_table(pushes) -> Table:
    """A page's pushes, newest first, as on the log (without links: they are all this page's)."""
    columns = [
        _created_at_column(),
        Column("title", label="标题"),
        _status_column(),
        _requested_by_column(),
        PushNoteColumn("note", label="说明"),
    ]
    return Table(columns, pushes, attrs={"id": "wechat-push-history"})


# --- one page: push and preview ---------------------------------------------------------------


def _content_page(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, tuple(CONTENT_MODELS)):
        raise PermissionDenied
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return page


def wechat_push_view(request, page_id):
    page = _content_page(request, page_id)
    missing = wechat_missing_settings()
    if request.method == "POST":
        publish = request.POST.get("action") == "publish"
        try:
            push, queued = wechat_push_request(page, user=request.user, publish=publish)
        except WeChatError as exc:
            messages.error(request, str(exc))
        else:
            push.refresh_from_db()
            if not queued:
                messages.info(request, f"这个版本已经推送过（{push.get_status_display()}），未重复推送。")
            elif push.status == WeChatPush.FAILED:
                messages.error(request, f"推送失败：{push.error}")
            else:
                messages.success(request, f"已提交推送：{push.get_status_display()}")
        return redirect("wechat_admin:push", page_id=page.pk)
    pushes = wechat_push_list(page)
    return render(
        request,
        "wechat/admin/push.html",
        {
            "page": page,
            "missing": missing,
            "pushes": pushes,
            "history": push_history_table(pushes),
            "preview_url": reverse("wechat_admin:preview", args=[page.pk]),
            "log_url": reverse("wechat_admin:index"),
            "header_title": "推送到公众号",
        },
    )


def wechat_preview_view(request, page_id):
    """The packaged article as it will look in WeChat, for a phone-width frame."""
    page = _content_page(request, page_id)
    if not page.live:
        article = None
    else:
        article = wechat_article_preview(page, absolute=request.build_absolute_uri)
    return render(request, "wechat/admin/preview.html", {"page": page, "article": article})


# --- the push log -------------------------------------------------------------------------------


class WeChatPushFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="状态", choices=WeChatPush.Status.choices, empty_label="全部", widget=forms.RadioSelect
    )
    created_at = django_filters.DateFromToRangeFilter(label="提交时间", widget=DateRangePickerWidget)
    publish = django_filters.BooleanFilter(
        label="推送方式",
        widget=forms.RadioSelect(choices=[("", "全部"), ("true", "推送并发布"), ("false", "推送为草稿")]),
    )

    class Meta:
        model = WeChatPush
        fields = []


class WeChatPushIndexView(ChineseExportMixin, IndexView):
    page_title = "公众号推送记录"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("requested_by")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(
                "推送页面（预览、重新推送）",
                url=reverse("wechat_admin:push", args=[instance.page_id]),
                icon_name="mail",
                priority=5,
            )
        )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["missing"] = wechat_missing_settings()
        return context


class WeChatPushInspectView(ChineseInspectMixin, InspectView):
    pass


class WeChatAdminViewSet(ModelViewSet):
    """公众号推送: the log at /admin/wechat/ (``wechat_admin:index``, also ``wechat_admin:log``) and each
    page's push and preview (``wechat_admin:push`` / ``wechat_admin:preview``)."""

    model = WeChatPush
    name = "wechat_admin"
    url_prefix = "wechat"
    icon = "mail"
    menu_label = "公众号推送"
    menu_order = 270
    add_to_admin_menu = True
    index_view_class = WeChatPushIndexView
    inspect_view_class = WeChatPushInspectView
    index_template_name = "wechat/admin/log.html"
    list_display = [
        "title",
        _status_column(),
        _requested_by_column(),
        _created_at_column(),
        PushNoteColumn("note", label="说明"),
    ]
    filterset_class = WeChatPushFilterSet
    search_fields = ["title"]
    search_backend_name = None  # the ORM: the push log is not in the search index
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields = [
        "title", "page", "status", "publish", "requested_by", "created_at", "updated_at", "attempts",
        "error", "article_url", "media_id", "publish_id",
    ]  # fmt: skip
    copy_view_enabled = False
    add_to_reference_index = False  # nothing links to a push; indexing each save would only cost writes
    list_export = [
        "created_at", "title", "page_id", "get_status_display", "publish", "requested_by", "attempts",
        "article_url", "error", "media_id", "publish_id",
    ]  # fmt: skip
    export_headings = {
        "created_at": "提交时间",
        "page_id": "页面ID",
        "get_status_display": "状态",
        "publish": "同时发布",
        "requested_by": "操作人",
    }
    export_filename = "wechat-pushes"

    def get_permissions_to_register(self):
        # Only viewing means anything: the log is read-only (the dashboard's failure panel asks for it).
        return super().get_permissions_to_register().filter(codename="view_wechatpush")

    def get_urlpatterns(self):
        # Only the views a read-only log has: no add, edit, copy or delete routes (nor their forms).
        return [
            path("", self.index_view, name="index"),
            path("", self.index_view, name="log"),  # the name the dashboard and older links use
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("pages/<int:page_id>/push/", wechat_push_view, name="push"),
            path("pages/<int:page_id>/preview/", wechat_preview_view, name="preview"),
        ]

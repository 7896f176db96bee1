"""Admin screens: the word list's index (with the list's health) and the published-content report."""

import datetime

import django_filters
from django.contrib import messages
from django.db.models import F
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports.base import ReportView
from wagtail.permissions import page_permission_policy
from wagtail.snippets.views.snippets import IndexView

from editorial.engine import current_list
from editorial.models import LEVEL_NAMES, PageCheck, PublishedCheck
from editorial.recheck import published_recheck, stale_count

REPORT_PERMISSION = "editorial.view_wordentry"
SYNC_RECHECK_LIMIT = 300  # stale pages the report re-checks while it renders; more wait for the task


def list_health_messages(request) -> None:
    """Say in the admin when checking runs on something other than the list as stored."""
    word_list = current_list()
    if word_list.problem:
        messages.error(request, f"{word_list.problem}。请检查数据库连接和词库，修复后会自动使用新词库。")
    if word_list.skipped:
        shown = "；".join(f"“{phrase}”：{reason}" for phrase, reason in word_list.skipped[:5])
        messages.warning(
            request, f"词库中有 {len(word_list.skipped)} 条无法使用，检查时已跳过：{shown}。请修改或删除。"
        )


class WordEntryIndexView(IndexView):
    def get(self, request, *args, **kwargs):
        if not self.results_only:
            list_health_messages(request)
        return super().get(request, *args, **kwargs)


def page_column():
    """The checked page's title, linking to its editor."""
    return TitleColumn(
        "page", label="页面", url_name="wagtailadmin_pages:edit", id_accessor="page_id", accessor="page.title"
    )


class HitsColumn(Column):
    def get_value(self, instance):
        return "；".join(
            f"{hit['level_name']}“{hit['matched']}”（{hit['position']}）" for hit in (instance.hits or [])[:6]
        ) + ("…" if len(instance.hits or []) > 6 else "")


class PublishedHitsFilterSet(WagtailFilterSet):
    level = django_filters.ChoiceFilter(
        label="级别", choices=list(LEVEL_NAMES.items()), method="filter_level", empty_label="全部"
    )

    class Meta:
        model = PublishedCheck
        fields = []

    def filter_level(self, queryset, name, value):
        field = {"block": "blocked__gt", "warn": "warnings__gt", "correct": "corrections__gt"}.get(value)
        return queryset.filter(**{field: 0}) if field else queryset


class PublishedHitsReportView(ReportView):
    """All published content that hits the list as it is now, most serious first; CSV/Excel export."""

    page_title = "已发布内容错敏词复查"
    template_name = "editorial/published_report.html"
    header_icon = "warning"
    index_url_name = "editorial_report"
    index_results_url_name = "editorial_report_results"
    filterset_class = PublishedHitsFilterSet
    model = PublishedCheck
    columns = [
        page_column(),
        Column("blocked", label="禁用"),
        Column("warnings", label="警告"),
        Column("corrections", label="纠错"),
        HitsColumn("hits", label="命中"),
        DateColumn("checked_at", label="复查时间"),
    ]
    list_export = [
        "page.title",
        "page.url_path",
        "blocked",
        "warnings",
        "corrections",
        "hits_text",
        "checked_at",
    ]
    export_headings = {
        "page.title": "标题",
        "page.url_path": "路径",
        "blocked": "禁用",
        "warnings": "警告",
        "corrections": "纠错",
        "hits_text": "命中（词语、位置、建议写法）",
        "checked_at": "复查时间",
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(REPORT_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return f"published-word-check-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        version = current_list().version
        return (
            PublishedCheck.objects.filter(list_version=version, page__live=True)
            .exclude(blocked=0, warnings=0, corrections=0)
            .select_related("page")
            .order_by("-blocked", "-warnings", "-corrections", "page__title")
        )

    def decorate_paginated_queryset(self, object_list):
        for check in object_list:
            check.hits_text = "；".join(
                f"{hit['level_name']}“{hit['matched']}”{hit['position']}"
                + (f"→{hit['suggestion']}" if hit.get("suggestion") else "")
                for hit in check.hits or []
            )
        return object_list

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return super().as_spreadsheet(self.decorate_paginated_queryset(list(queryset)), spreadsheet_format)

    def get(self, request, *args, **kwargs):
        if not self.results_only and not self.is_export:
            list_health_messages(request)
            stale = stale_count()
            if 0 < stale <= SYNC_RECHECK_LIMIT:  # a small site: bring the report up to date right away
                published_recheck()
                stale = 0
            if stale:
                messages.info(
                    request,
                    f"词库更新后还有 {stale} 篇已发布内容尚未复查，复查在后台进行；也可点击“立即复查”。",
                )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["recheck_url"] = reverse("editorial_recheck")
        context["can_recheck"] = self.request.user.has_perm("editorial.change_wordentry")
        return context


@require_POST
def recheck_now(request):
    if not request.user.has_perm("editorial.change_wordentry"):
        return permission_denied(request)
    counts = published_recheck()
    messages.success(
        request, f"复查完成：检查了 {counts['checked']} 篇，其中 {counts['with_hits']} 篇有命中。"
    )
    return redirect("editorial_report")


def confirm_log_message(log_entry) -> str:
    data = log_entry.data or {}
    terms = "、".join(data.get("terms") or [])
    action = data.get("action") or "提交"
    return format_html("{}前确认了 {} 处警告词：{}", action, data.get("count", 0), terms)


class WarningTermsColumn(Column):
    def get_value(self, instance):
        return "、".join(
            dict.fromkeys(hit["phrase"] for hit in instance.hits or [] if hit.get("level") == "warn")
        )


class AwaitingConfirmationView(ReportView):
    """Drafts whose 警告 hits nobody has confirmed yet (the dashboard's 错敏词待确认, in full)."""

    page_title = "错敏词待确认"
    header_icon = "warning"
    index_url_name = "editorial_awaiting"
    index_results_url_name = "editorial_awaiting_results"
    model = PageCheck
    columns = [
        page_column(),
        Column("warnings", label="警告"),
        WarningTermsColumn("hits", label="警告词"),
        DateColumn("checked_at", label="检查时间"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not (
            request.user.is_superuser or page_permission_policy.user_has_permission(request.user, "change")
        ):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            PageCheck.objects.filter(warnings__gt=0)
            .exclude(confirmed_key=F("warning_key"))
            .select_related("page")
            .order_by("-checked_at")
        )

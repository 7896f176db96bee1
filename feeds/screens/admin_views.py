"""Admin views for screens: the one-time token page, token rotation, the monitor (大屏监控) and the
proof-of-play reports (播放记录, 按内容汇总).

The monitor and the reports are Wagtail report views: columns, filters, CSV/XLSX export
(``?export=csv|xlsx``), and the screens' model permissions (view or change) to open them."""

from datetime import datetime, time, timedelta
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.timesince import timesince
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports.base import ReportView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import AdminDateInput, BooleanRadioSelect
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import CreateView

from admin_site.listing import ChineseExportMixin, StatusColumn
from content.models import Region

from .models import PlayRecord, Screen, ScreenGroup
from .selectors import ONLINE_WITHIN, screen_is_online
from .services import screen_token_rotate

MAX_RANGE_DAYS = 366
DEFAULT_DAYS = 7  # the period a report shows when none is chosen (or the one chosen is invalid)
MONITOR_TOP_ITEMS = 30  # items drawn as bars on the monitor; the report lists them all
SCREEN_PERMISSIONS = ModelPermissionPolicy(Screen)
VIEW_SCREENS = ["view", "change"]  # either opens the monitor and the reports
PERIOD_PARAMS = ("start", "end", "screen")  # the monitor passes its period on to the reports


def _token_page(request, screen: Screen, token: str, *, created: bool):
    player_url = request.build_absolute_uri(reverse("screen_player", args=[screen.pk])) + f"?token={token}"
    return render(
        request,
        "screens/admin/token.html",
        {
            "screen": screen,
            "token": token,
            "created": created,
            "player_url": player_url,
            "feed_url": request.build_absolute_uri(reverse("screen_feed", args=[screen.pk])),
            "header_title": f"{screen.name} 的令牌",
        },
    )


class ScreenCreateView(CreateView):
    """Creating a screen ends on a page that shows its token, once."""

    def run_after_hook(self):
        token = screen_token_rotate(self.object)
        return _token_page(self.request, self.object, token, created=True)


def screen_token_rotate_view(request, pk):
    if not request.user.has_perm("screens.change_screen"):
        raise PermissionDenied
    screen = get_object_or_404(Screen, pk=pk)
    if request.method == "POST":
        return _token_page(request, screen, screen_token_rotate(screen), created=False)
    return render(
        request, "screens/admin/rotate_confirm.html", {"screen": screen, "header_title": "更换令牌"}
    )


# --- filters ------------------------------------------------------------------------------------


class PlayPeriodForm(forms.Form):
    """A period of whole days: the last seven when empty; never backwards, never longer than a year."""

    def clean(self):
        data = super().clean()
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError("开始日期不能晚于结束日期")
        if (end - start).days >= MAX_RANGE_DAYS:
            raise forms.ValidationError(f"日期范围不能超过 {MAX_RANGE_DAYS} 天")
        data["start"], data["end"] = start, end
        return data


class PlayPeriodFilterSet(WagtailFilterSet):
    """Plays by period and screen. The period always applies (``in_period``), even when the form is
    invalid: then the last seven days, as when it is empty."""

    start = django_filters.DateFilter(label="开始日期", method="filter_period", widget=AdminDateInput)
    end = django_filters.DateFilter(label="结束日期", method="filter_period", widget=AdminDateInput)
    screen = django_filters.ModelChoiceFilter(
        label="屏幕", queryset=Screen.objects.all(), empty_label="全部屏幕"
    )

    class Meta:
        model = PlayRecord
        fields = []
        form = PlayPeriodForm

    def filter_period(self, queryset, name, value):
        return queryset  # applied by in_period()

    def period(self) -> tuple:
        """(first day, last day), both included."""
        if self.is_valid():
            return self.form.cleaned_data["start"], self.form.cleaned_data["end"]
        today = timezone.localdate()
        return today - timedelta(days=DEFAULT_DAYS - 1), today

    def in_period(self, queryset):
        first, last = self.period()
        tz = timezone.get_current_timezone()
        start = datetime.combine(first, time.min, tzinfo=tz)
        end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
        return queryset.filter(started_at__gte=start, started_at__lt=end)


class PlayFilterSet(PlayPeriodFilterSet):
    district = django_filters.ModelChoiceFilter(
        label="区域", field_name="screen__district", queryset=Region.objects.all(), empty_label="全部区域"
    )
    takeover = django_filters.BooleanFilter(label="应急接管", widget=BooleanRadioSelect)

    class Meta(PlayPeriodFilterSet.Meta):
        pass


class ScreenState(models.TextChoices):
    """Where a screen stands now (three missed heartbeats make it offline)."""

    ONLINE = "online", "在线"
    OFFLINE = "offline", "离线"
    DISABLED = "disabled", "已停用"

    @classmethod
    def of(cls, screen: Screen, now: datetime) -> "ScreenState":
        if not screen.enabled:
            return cls.DISABLED
        if screen_is_online(screen, now=now):
            return cls.ONLINE
        return cls.OFFLINE


class ScreenStatusFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label="状态",
        choices=ScreenState.choices,
        empty_label="全部",
        method="filter_state",
        widget=forms.RadioSelect,
    )

    district = django_filters.ModelChoiceFilter(
        label="区域", queryset=Region.objects.all(), empty_label="全部区域"
    )
    group = django_filters.ModelChoiceFilter(
        label="分组", queryset=ScreenGroup.objects.all(), empty_label="全部分组"
    )

    class Meta:
        model = Screen
        fields = []

    def filter_state(self, queryset, name, value):
        seen_lately = Q(last_seen_at__gte=timezone.now() - ONLINE_WITHIN)
        if value == ScreenState.DISABLED:
            return queryset.filter(enabled=False)
        if value == ScreenState.ONLINE:
            return queryset.filter(seen_lately, enabled=True)
        if value == ScreenState.OFFLINE:
            return queryset.filter(~seen_lately, enabled=True)
        return queryset


# --- proof-of-play totals (of plays already filtered) ----------------------------------------------


def play_per_item(plays):
    """Rows of page_id, page_title, plays, takeovers: most played first."""
    return (
        plays.values("page_id", "page_title")
        .annotate(plays=Count("id"), takeovers=Count("id", filter=Q(takeover=True)))
        .order_by("-plays", "page_title")
    )


def play_per_screen(plays):
    """Rows of screen_id, screen__name, screen__district__name, plays: most played first."""
    return (
        plays.values("screen_id", "screen__name", "screen__district__name")
        .annotate(plays=Count("id"))
        .order_by("-plays", "screen__name")
    )


# --- the monitor --------------------------------------------------------------------------------


class DashColumn(Column):
    empty_value_display = "—"


def _with_bar_widths(rows):
    top = max((row["plays"] for row in rows), default=0)
    for row in rows:
        row["top"] = top
    return rows


def _last_seen_text(screen, now):
    if screen.last_seen_at is None:
        return "从未连接"
    seen = timezone.localtime(screen.last_seen_at)
    return f"{seen:%Y-%m-%d %H:%M:%S}（{timesince(screen.last_seen_at, now)}前）"


def _last_error_text(screen):
    errors = screen.last_errors or []
    return f"{len(errors)} 条：{str(errors[-1])[:60]}" if errors else ""


class ScreenReportMixin(ChineseExportMixin):
    """Who may open it (the screens' view or change permission) and where it sits (大屏监控)."""

    permission_policy = SCREEN_PERMISSIONS
    any_permission_required = VIEW_SCREENS
    header_icon = "desktop"

    def get_breadcrumbs_items(self):
        items = [{"url": reverse("wagtailadmin_home"), "label": "首页"}]
        if self.index_url_name != "screen_monitor:index":
            items.append({"url": reverse("screen_monitor:index"), "label": "大屏监控"})
        return [*items, {"url": "", "label": self.get_page_title()}]


class ScreenMonitorView(ScreenReportMixin, ReportView):
    """Every screen's state now (listing, filters, export), the counts of each state, and the plays
    of a period per item and per screen (the same period form as the proof-of-play reports)."""

    template_name = "screens/admin/monitor.html"
    page_title = "大屏监控"
    index_url_name = "screen_monitor:index"
    index_results_url_name = "screen_monitor:index_results"
    filterset_class = ScreenStatusFilterSet
    paginate_by = 100
    no_results_message = "没有符合条件的屏幕。"
    columns = [
        StatusColumn(
            "state_label",
            label="状态",
            tone=lambda s: {ScreenState.ONLINE: "good", ScreenState.OFFLINE: "bad"}.get(s.state, ""),
        ),
        TitleColumn("name", label="屏幕", url_name="wagtailsnippets_screens_screen:edit"),
        DashColumn("district", label="区域", accessor="district.name"),
        DashColumn("group", label="分组", accessor="group_name"),
        DashColumn("last_playing_title", label="正在播放"),
        DashColumn("last_player_version", label="播放器版本"),
        DashColumn("last_seen", label="最近心跳", accessor="last_seen_text"),
        DashColumn("last_errors", label="最近错误", accessor="last_error_text"),
    ]
    list_export = [
        "name", "district.name", "group_name", "state_label", "last_playing_title", "last_player_version",
        "last_seen_at", "last_error_text",
    ]  # fmt: skip
    export_headings = {
        "name": "屏幕",
        "district.name": "区域",
        "group_name": "分组",
        "state_label": "状态",
        "last_playing_title": "正在播放",
        "last_player_version": "播放器版本",
        "last_seen_at": "最近心跳",
        "last_error_text": "最近错误",
    }
    export_filename = "screen-status"

    @cached_property
    def now(self):
        return timezone.now()

    def get_queryset(self):
        return Screen.objects.select_related("district", "group").order_by("district__sort_order", "name")

    def decorate_paginated_queryset(self, object_list):
        screens = list(object_list)
        for screen in screens:
            screen.state = ScreenState.of(screen, self.now)
            screen.state_label = screen.state.label
            screen.group_name = screen.group.name if screen.group else ""
            screen.last_seen_text = _last_seen_text(screen, self.now)
            screen.last_error_text = _last_error_text(screen)
        return screens

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.results_only or self.is_export:
            return context
        states = [
            ScreenState.of(screen, self.now) for screen in Screen.objects.only("enabled", "last_seen_at")
        ]
        plays_filters = PlayPeriodFilterSet(self.request.GET or None, request=self.request)
        plays = plays_filters.in_period(PlayRecord.objects.all())
        if plays_filters.is_valid():
            plays = plays_filters.filter_queryset(plays)
        per_item = list(play_per_item(plays))
        first, last = plays_filters.period()
        query = urlencode({key: self.request.GET[key] for key in PERIOD_PARAMS if self.request.GET.get(key)})
        context.update(
            screens_total=len(states),
            online_count=states.count(ScreenState.ONLINE),
            offline_count=states.count(ScreenState.OFFLINE),
            disabled_count=states.count(ScreenState.DISABLED),
            plays_form=plays_filters.form,
            start_day=first,
            end_day=last,
            per_item=_with_bar_widths(per_item[:MONITOR_TOP_ITEMS]),
            per_item_more=max(len(per_item) - MONITOR_TOP_ITEMS, 0),
            per_screen=_with_bar_widths(list(play_per_screen(plays))),
            total_plays=sum(row["plays"] for row in per_item),
            plays_url=reverse("screen_monitor:plays") + (f"?{query}" if query else ""),
            plays_items_url=reverse("screen_monitor:plays_items") + (f"?{query}" if query else ""),
        )
        return context


# --- proof of play ------------------------------------------------------------------------------


class PlayReportView(ScreenReportMixin, ReportView):
    """A proof-of-play report: plays in the chosen period (the last seven days by default)."""

    template_name = "screens/admin/plays.html"
    filterset_class = PlayFilterSet
    export_basename = "screen-plays"

    def filter_queryset(self, queryset):
        return super().filter_queryset(self.filters.in_period(queryset))

    def get_filename(self):
        first, last = self.filters.period()
        return f"{self.export_basename}-{first:%Y%m%d}-{last:%Y%m%d}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["start_day"], context["end_day"] = self.filters.period()
        context["period_errors"] = self.filters.form.non_field_errors() if self.filters.is_bound else []
        return context


def _page_title_column(**kwargs):
    """The item's title; a link to its editor while the page exists (the title outlives the page)."""
    return TitleColumn(
        "page_title",
        label="内容",
        get_url=lambda row: (
            reverse("wagtailadmin_pages:edit", args=[_get(row, "page_id")]) if _get(row, "page_id") else None
        ),
        **kwargs,
    )


def _get(row, name):
    return row[name] if isinstance(row, dict) else getattr(row, name)


class PlayRecordReportView(PlayReportView):
    """播放记录: each play, newest first (the export is the proof of play handed to the sponsor)."""

    page_title = "播放记录"
    index_url_name = "screen_monitor:plays"
    index_results_url_name = "screen_monitor:plays_results"
    no_results_message = "这段时间没有播放记录。"
    default_ordering = "-started_at"
    columns = [
        Column(
            "started_at",
            label="开始时间",
            accessor=lambda play: f"{timezone.localtime(play.started_at):%Y-%m-%d %H:%M:%S}",
            sort_key="started_at",
        ),
        Column("screen", label="屏幕", accessor="screen.name", sort_key="screen__name"),
        Column("district", label="区域", accessor="screen.district.name"),
        _page_title_column(sort_key="page_title"),
        Column("duration_seconds", label="时长（秒）", sort_key="duration_seconds"),
        Column("takeover", label="应急接管", accessor=lambda play: "是" if play.takeover else ""),
    ]
    list_export = [
        "started_at", "screen_id", "screen.name", "screen.district.name", "page_id", "page_title",
        "duration_seconds", "takeover",
    ]  # fmt: skip
    export_headings = {
        "started_at": "开始时间",
        "screen_id": "屏幕ID",
        "screen.name": "屏幕",
        "screen.district.name": "区域",
        "page_id": "内容ID",
        "page_title": "内容标题",
        "duration_seconds": "时长（秒）",
        "takeover": "应急接管",
    }

    def get_queryset(self):
        return self.order_queryset(PlayRecord.objects.select_related("screen__district"))


class ItemsPaginator(WagtailPaginator):
    verbose_name = verbose_name_plural = "条内容"  # "12 条内容", not "12 播放记录"


class PlayItemReportView(PlayReportView):
    """按内容汇总: plays per item in the period, most played first."""

    page_title = "播放统计（按内容）"
    index_url_name = "screen_monitor:plays_items"
    index_results_url_name = "screen_monitor:plays_items_results"
    no_results_message = "这段时间没有播放记录。"
    export_basename = "screen-plays-items"
    paginator_class = ItemsPaginator
    columns = [
        _page_title_column(),
        Column("plays", label="播放次数"),
        Column("takeovers", label="其中应急接管"),
    ]
    list_export = ["page_id", "page_title", "plays", "takeovers"]
    export_headings = {
        "page_id": "内容ID",
        "page_title": "内容标题",
        "plays": "播放次数",
        "takeovers": "其中应急接管",
    }

    def get_queryset(self):
        return PlayRecord.objects.all()

    def get_filtered_queryset(self):
        return play_per_item(super().get_filtered_queryset())


def plays_csv_view(request):
    """The proof-of-play CSV at its first address (``plays.csv``; ``?kind=items`` for the totals)."""
    view_class = PlayItemReportView if request.GET.get("kind") == "items" else PlayRecordReportView
    return view_class.as_view(export_format="csv")(request)


class ScreenMenuItem(MenuItem):
    def is_shown(self, request):
        return SCREEN_PERMISSIONS.user_has_any_permission(request.user, VIEW_SCREENS)


class ScreenMonitorViewSet(ViewSet):
    name = "screen_monitor"
    url_prefix = "screen-monitor"
    icon = "desktop"
    menu_label = "大屏监控"
    menu_order = 300
    menu_item_class = ScreenMenuItem

    def get_urlpatterns(self):
        return [
            path("", ScreenMonitorView.as_view(), name="index"),
            path("results/", ScreenMonitorView.as_view(results_only=True), name="index_results"),
            path("plays/", PlayRecordReportView.as_view(), name="plays"),
            path("plays/results/", PlayRecordReportView.as_view(results_only=True), name="plays_results"),
            path("plays/items/", PlayItemReportView.as_view(), name="plays_items"),
            path(
                "plays/items/results/",
                PlayItemReportView.as_view(results_only=True),
                name="plays_items_results",
            ),
            path("plays.csv", plays_csv_view, name="csv"),
            path("screens/<int:pk>/rotate-token/", screen_token_rotate_view, name="rotate_token"),
        ]


class PlayReportMenu(ViewSet):
    """科普大屏 › 播放记录: a menu entry for the proof-of-play report (its views are the monitor's)."""

    name = "screen_plays_menu"
    icon = "list-ul"
    menu_label = "播放记录"
    menu_order = 310
    menu_item_class = ScreenMenuItem

    @property
    def menu_url(self):
        return reverse("screen_monitor:plays")

    def get_urlpatterns(self):
        return []

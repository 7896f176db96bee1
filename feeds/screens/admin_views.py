"""Admin views for screens: the one-time token page, token rotation, and monitoring with proof of play."""

import csv
from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.views.snippets import CreateView

from .models import Screen
from .selectors import play_counts, play_records, screen_is_online, screen_status_list
from .services import screen_token_rotate

MAX_RANGE_DAYS = 366


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


class PlayReportForm(forms.Form):
    start = forms.DateField(label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    screen = forms.ModelChoiceField(
        label="屏幕", queryset=Screen.objects.all(), required=False, empty_label="全部屏幕"
    )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=6)
        if start > end:
            raise forms.ValidationError("开始日期不能晚于结束日期")
        if (end - start).days >= MAX_RANGE_DAYS:
            raise forms.ValidationError(f"日期范围不能超过 {MAX_RANGE_DAYS} 天")
        data["start"], data["end"] = start, end
        return data


def _report_range(params):
    """(form, start, end, screen ids) with the last seven days when the form is empty or invalid."""
    form = PlayReportForm(params or None)
    today = timezone.localdate()
    start_day, end_day, screen_ids = today - timedelta(days=6), today, None
    if form.is_valid():
        start_day, end_day = form.cleaned_data["start"], form.cleaned_data["end"]
        if form.cleaned_data.get("screen"):
            screen_ids = [form.cleaned_data["screen"].pk]
    tz = timezone.get_current_timezone()
    start = datetime.combine(start_day, time.min, tzinfo=tz)
    end = datetime.combine(end_day + timedelta(days=1), time.min, tzinfo=tz)
    return form, start_day, end_day, start, end, screen_ids


def _with_bar_widths(rows):
    top = max((row["plays"] for row in rows), default=0)
    for row in rows:
        row["percent"] = round(100 * row["plays"] / top, 1) if top else 0
    return rows


class ScreenMonitorView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "screens/admin/monitor.html"
    page_title = "大屏监控"
    header_icon = "desktop"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("screens.view_screen") and not request.user.has_perm(
            "screens.change_screen"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": "首页"}, {"url": "", "label": "大屏监控"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        screens = screen_status_list()
        for screen in screens:
            screen.online = screen.enabled and screen_is_online(screen, now=now)
        form, start_day, end_day, start, end, screen_ids = _report_range(self.request.GET)
        counts = play_counts(start=start, end=end, screen_ids=screen_ids)
        query = self.request.GET.urlencode()
        context.update(
            screens=screens,
            online_count=sum(1 for s in screens if s.online),
            offline_count=sum(1 for s in screens if s.enabled and not s.online),
            disabled_count=sum(1 for s in screens if not s.enabled),
            form=form,
            start_day=start_day,
            end_day=end_day,
            per_item=_with_bar_widths(counts["per_item"][:30]),
            per_item_more=max(len(counts["per_item"]) - 30, 0),
            per_screen=_with_bar_widths(counts["per_screen"]),
            total_plays=counts["total"],
            csv_url=reverse("screen_monitor:csv") + (f"?{query}" if query else ""),
            items_csv_url=reverse("screen_monitor:csv") + "?" + (f"{query}&" if query else "") + "kind=items",
        )
        return context


class _Echo:
    def write(self, value):
        return value


def plays_csv_view(request):
    """Proof of play as CSV (UTF-8 with BOM so Excel opens Chinese correctly): each play, or totals per item."""
    if not request.user.has_perm("screens.view_screen") and not request.user.has_perm(
        "screens.change_screen"
    ):
        raise PermissionDenied
    _form, start_day, end_day, start, end, screen_ids = _report_range(request.GET)
    writer = csv.writer(_Echo())
    by_item = request.GET.get("kind") == "items"

    def rows():
        yield "\ufeff"
        if by_item:
            yield writer.writerow(["内容ID", "内容标题", "播放次数", "其中应急接管"])
            for row in play_counts(start=start, end=end, screen_ids=screen_ids)["per_item"]:
                yield writer.writerow(
                    [row["page_id"] or "", row["page_title"], row["plays"], row["takeovers"]]
                )
            return
        yield writer.writerow(
            ["开始时间", "屏幕ID", "屏幕", "区域", "内容ID", "内容标题", "时长（秒）", "应急接管"]
        )
        for play in play_records(start=start, end=end, screen_ids=screen_ids):
            yield writer.writerow(
                [
                    timezone.localtime(play.started_at).isoformat(),
                    play.screen_id,
                    play.screen.name,
                    play.screen.district.name,
                    play.page_id or "",
                    play.page_title,
                    play.duration_seconds,
                    "是" if play.takeover else "否",
                ]
            )

    name = f"screen-plays-{'items-' if by_item else ''}{start_day:%Y%m%d}-{end_day:%Y%m%d}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ScreenMonitorViewSet(ViewSet):
    name = "screen_monitor"
    url_prefix = "screen-monitor"
    icon = "desktop"
    menu_label = "大屏监控"
    menu_order = 300

    def get_urlpatterns(self):
        return [
            path("", ScreenMonitorView.as_view(), name="index"),
            path("plays.csv", plays_csv_view, name="csv"),
            path("screens/<int:pk>/rotate-token/", screen_token_rotate_view, name="rotate_token"),
        ]

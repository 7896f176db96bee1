"""站内搜索 → 候选热词: the organic queries that reach 大家都在搜 by the numbers today, each with a
one-click 隐藏 (a hidden SearchHint). Only editors who may change SearchHint see or use it.

The admin home's 搜索引擎 panel: the engine's state from ``search.engine_status`` (cached briefly in
the shared cache, so a down cluster costs the home page at most one short probe), shown when
Elasticsearch is configured, to users who may see the search statistics."""

from django.contrib import messages
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports.base import ReportView
from wagtail.admin.viewsets.base import ViewSet

from .documents import external_backend_name
from .engine_status import STATUS_CACHE_SECONDS, engine_status_cached
from .hints import hint_candidates, hint_normalise
from .models import HINT_HIDDEN, SearchHint

PERMISSION = "search.change_searchhint"


class HideColumn(Column):
    """A 隐藏 button posting the query to the hide view."""

    def get_value(self, instance):
        return instance.query

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["value"] = format_html(
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="query" value="{}">'
            '<button type="submit" class="button button-small button-secondary">隐藏</button></form>',
            reverse("search_hint_candidates:hide"),
            get_token(request) if request else "",
            instance.query,
        )
        return context


class HintCandidatesView(ReportView):
    page_title = "候选热词"
    header_icon = "search"
    index_url_name = "search_hint_candidates:index"
    index_results_url_name = "search_hint_candidates:index_results"
    no_results_message = "目前没有达到展示条件的搜索词。"
    columns = [
        Column("query", label="搜索词"),
        Column("visitors", label="有结果的访客数"),
        Column("days", label="搜索天数"),
        HideColumn("hide", label="操作"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return hint_candidates()


@require_POST
def hint_hide(request):
    if not request.user.has_perm(PERMISSION):
        return permission_denied(request)
    query = " ".join(request.POST.get("query", "").split())[:100]
    if query:
        key = hint_normalise(query)
        existing = [hint for hint in SearchHint.objects.all() if hint.normalised == key]
        for hint in existing:  # a recommended spelling of the same term is hidden too
            hint.status = HINT_HIDDEN
            hint.save(update_fields=["status", "updated_at"])
        if not existing:
            SearchHint.objects.create(term=query, status=HINT_HIDDEN, note="从候选热词隐藏")
        messages.success(request, f"已隐藏“{query}”，它不会再出现在大家都在搜和搜索联想中。")
    return redirect("search_hint_candidates:index")


class CandidatesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


class HintCandidatesViewSet(ViewSet):
    icon = "search"
    menu_label = "候选热词"
    menu_item_class = CandidatesMenuItem

    def get_urlpatterns(self):
        return [
            path("", HintCandidatesView.as_view(), name="index"),
            path("results/", HintCandidatesView.as_view(results_only=True), name="index_results"),
            path("hide/", hint_hide, name="hide"),
        ]


class SearchEnginePanel(Component):
    name = "search_engine_status"
    order = 160  # after the 工作台 panels
    template_name = "search/admin/engine_panel.html"

    @classmethod
    def is_shown(cls, request) -> bool:
        return external_backend_name() is not None and request.user.has_perm("search.view_searchquerystat")

    def get_context_data(self, parent_context=None):
        return {"status": engine_status_cached(), "seconds": STATUS_CACHE_SECONDS}

import django_filters
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from admin_site.listing import ChineseExportMixin, ReadOnlyPermissionPolicy

from .admin_views import HintCandidatesViewSet, SearchEnginePanel
from .models import SearchBlockedTerm, SearchHint, SearchQueryStat, SearchQueryVisitor, SynonymGroup


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "list-ul"
    menu_label = "同义词"
    list_display = ["__str__", "note", "enabled", "updated_at"]
    list_filter = ["enabled"]
    search_fields = ["terms", "note"]


class SearchQueryStatFilterSet(WagtailFilterSet):
    zero_results = django_filters.BooleanFilter(label="只看无结果的搜索", method="filter_zero")
    day = django_filters.DateFromToRangeFilter(label="日期")

    class Meta:
        model = SearchQueryStat
        fields = []

    def filter_zero(self, queryset, name, value):
        if value is None:
            return queryset
        return (
            queryset.filter(zero_result_hits__gt=0) if value else queryset.filter(~Q(zero_result_hits__gt=0))
        )


# The statistics are written only by the search itself (search.query_stats): read-only for everyone.
register_permission_policy(SearchQueryStat, ReadOnlyPermissionPolicy(SearchQueryStat), exact_class=True)


class SearchQueryStatIndexView(ChineseExportMixin, IndexView):
    """The listing; its CSV opens in Excel in Chinese (BOM) and streams in chunks."""


class SearchQueryStatViewSet(SnippetViewSet):
    """Read-only report: what people search for, and what finds nothing (listing, filters, inspect, CSV)."""

    model = SearchQueryStat
    index_view_class = SearchQueryStatIndexView
    icon = "search"
    menu_label = "搜索词统计"
    list_display = [
        "query",
        "day",
        "hits",
        Column("visitor_count", label="访客数"),
        "zero_result_hits",
        "last_result_count",
    ]
    filterset_class = SearchQueryStatFilterSet
    ordering = ["-day", "-hits"]
    search_fields = ["query"]
    list_per_page = 50
    inspect_view_enabled = True
    copy_view_enabled = False
    list_export = ["query", "day", "hits", "visitor_count", "zero_result_hits", "last_result_count"]
    export_headings = {"visitor_count": "访客数"}
    export_filename = "search-query-stats"

    def get_queryset(self, request):
        # Distinct visitors of the query that day, in the listing's own query (no query per row).
        visitors = (
            SearchQueryVisitor.objects.filter(query=OuterRef("query"), day=OuterRef("day"))
            .values("query", "day")
            .annotate(n=Count("visitor_key", distinct=True))
            .values("n")
        )
        return SearchQueryStat.objects.annotate(
            visitor_count=Coalesce(Subquery(visitors, output_field=IntegerField()), 0)
        )


class SearchHintViewSet(SnippetViewSet):
    model = SearchHint
    icon = "pick"
    menu_label = "搜索提示"
    list_display = ["term", "status", "sort_order", "note", "updated_at"]
    list_filter = ["status"]
    search_fields = ["term", "note"]
    ordering = ["sort_order", "pk"]


class SearchBlockedTermViewSet(SnippetViewSet):
    model = SearchBlockedTerm
    icon = "cross"
    menu_label = "屏蔽词"
    list_display = ["phrase", "note", "updated_at"]
    search_fields = ["phrase", "note"]


class SearchGroup(ViewSetGroup):
    menu_label = "站内搜索"
    menu_icon = "search"
    menu_order = 250
    items = (
        SynonymGroupViewSet,
        SearchQueryStatViewSet,
        SearchHintViewSet,
        SearchBlockedTermViewSet,
        HintCandidatesViewSet(name="search_hint_candidates"),
    )


register_snippet(SearchGroup)


@hooks.register("construct_homepage_panels")
def search_engine_panel(request, panels):
    if SearchEnginePanel.is_shown(request):
        panels.append(SearchEnginePanel())

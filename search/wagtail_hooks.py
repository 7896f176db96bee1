import django_filters
from django.db.models import Q
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SearchQueryStat, SynonymGroup


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


class SearchQueryStatViewSet(SnippetViewSet):
    """Read-only report: what people search for, and what finds nothing."""

    model = SearchQueryStat
    icon = "search"
    menu_label = "搜索词统计"
    list_display = ["query", "day", "hits", "zero_result_hits", "last_result_count"]
    filterset_class = SearchQueryStatFilterSet
    ordering = ["-day", "-hits"]
    search_fields = ["query"]
    list_per_page = 50
    inspect_view_enabled = True
    copy_view_enabled = False
    list_export = ["query", "day", "hits", "zero_result_hits", "last_result_count"]


class SearchGroup(ViewSetGroup):
    menu_label = "站内搜索"
    menu_icon = "search"
    menu_order = 250
    items = (SynonymGroupViewSet, SearchQueryStatViewSet)


register_snippet(SearchGroup)

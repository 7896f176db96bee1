import django_filters
from django.db.models import Q
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
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


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Nobody, superusers included, may add, change or delete; viewing follows the model's permissions.

    The statistics are written only by the search itself (search.selectors); editing a count by hand
    would make the report lie."""

    WRITE_ACTIONS = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.WRITE_ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.WRITE_ACTIONS])


register_permission_policy(SearchQueryStat, ReadOnlyPermissionPolicy(SearchQueryStat), exact_class=True)


class SearchQueryStatViewSet(SnippetViewSet):
    """Read-only report: what people search for, and what finds nothing (listing, filters, inspect, CSV)."""

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

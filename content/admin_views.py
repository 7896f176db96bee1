"""Flat admin listings of content with the filters editors ask for: audience, type, and
(for emergencies) whether the warning is in force, upcoming or expired."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.forms import CheckboxSelectMultiple, RadioSelect
from django.utils import timezone
from wagtail.admin.filters import MultipleContentTypeFilter
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Page

from content.emergency import (
    ACTIVE,
    HAZARD_CHOICES,
    SEVERITY_CHOICES,
    WINDOW_STATE_LABELS,
    WINDOW_STATES,
    window_q,
)
from content.models import Audience, Region, audience_q
from content.types import ARTICLE, EMERGENCY, VIDEO, content_models


def _audience_filter(field_name="audiences", method=None):
    return django_filters.ModelMultipleChoiceFilter(
        label="受众",
        field_name=field_name,
        queryset=Audience.objects.all(),
        widget=CheckboxSelectMultiple,
        distinct=True,
        **({"method": method} if method else {}),
    )


class AllContentFilterSet(PageFilterSet):
    content_type = MultipleContentTypeFilter(
        label="内容类型",
        queryset=lambda request: ContentType.objects.filter(
            pk__in=[ct.pk for ct in ContentType.objects.get_for_models(*content_models()).values()]
        ),
        widget=CheckboxSelectMultiple,
    )
    audience = _audience_filter(method="filter_audience")

    class Meta:
        model = Page
        fields = []

    def filter_audience(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(audience_q(value))


class AllContentIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().type(*content_models())


class ArticleFilterSet(PageFilterSet):
    audience = _audience_filter()

    class Meta:
        model = ARTICLE.model
        fields = []


class VideoFilterSet(PageFilterSet):
    audience = _audience_filter()

    class Meta:
        model = VIDEO.model
        fields = []


class EmergencyFilterSet(PageFilterSet):
    window = django_filters.ChoiceFilter(
        label="生效状态",
        empty_label="全部",
        choices=[(key, WINDOW_STATE_LABELS[key]) for key in WINDOW_STATES],
        method="filter_window",
        widget=RadioSelect,
    )
    severity = django_filters.MultipleChoiceFilter(
        label="预警级别", choices=SEVERITY_CHOICES, widget=CheckboxSelectMultiple
    )
    hazard = django_filters.MultipleChoiceFilter(
        label="灾种", choices=HAZARD_CHOICES, widget=CheckboxSelectMultiple
    )
    regions = django_filters.ModelMultipleChoiceFilter(
        label="影响区域", queryset=Region.objects.all(), widget=CheckboxSelectMultiple, distinct=True
    )
    audience = _audience_filter()

    class Meta:
        model = EMERGENCY.model
        fields = []

    def filter_window(self, queryset, name, value):
        """Active = live and now inside the window (content.emergency)."""
        if value not in WINDOW_STATES:
            return queryset
        queryset = queryset.filter(window_q(value, timezone.now()))
        return queryset.filter(live=True) if value == ACTIVE else queryset


class AllContentListing(PageListingViewSet):
    model = Page
    index_view_class = AllContentIndexView
    filterset_class = AllContentFilterSet
    name = "all_content"
    menu_label = "全部内容"
    icon = "doc-full-inverse"


class ArticleListing(PageListingViewSet):
    model = ARTICLE.model
    filterset_class = ArticleFilterSet
    name = "articles"
    menu_label = ARTICLE.label
    icon = "doc-full"


class VideoListing(PageListingViewSet):
    model = VIDEO.model
    filterset_class = VideoFilterSet
    name = "videos"
    menu_label = VIDEO.label
    icon = "media"


class EmergencyListing(PageListingViewSet):
    model = EMERGENCY.model
    filterset_class = EmergencyFilterSet
    name = "emergencies"
    menu_label = EMERGENCY.label
    icon = "warning"


class ContentListingGroup(ViewSetGroup):
    menu_label = "科普内容"
    menu_icon = "folder-open-inverse"
    menu_order = 150
    items = (AllContentListing, ArticleListing, VideoListing, EmergencyListing)

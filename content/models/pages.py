"""The home page and the three section (listing) pages.

Selectors are imported inside methods: content.selectors imports these models.
"""

import re
from urllib.parse import urlencode

from django.db import models
from django.http import Http404
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from content.emergency import WINDOW_STATE_LABELS, WINDOW_STATES
from content.types import ARTICLE, EMERGENCY, SECTION_PAGE_TYPES, VIDEO

from .taxonomy import Topic

LISTING_PAGE_SIZE = 12
PAGE_NUMBER = re.compile(r"^[1-9][0-9]{0,5}$")


def _listing_page(items, request):
    """The requested page of a listing; a page number that is junk or past the end is a 404 (never
    a 200 for a page that does not exist: shared caches would keep a copy per number)."""
    from content import selectors  # noqa: PLC0415 (content.selectors imports these models)

    raw = request.GET.get("page") or "1"
    if not PAGE_NUMBER.match(raw):
        raise Http404("没有这一页")
    page_obj = selectors.page_of(items, raw, LISTING_PAGE_SIZE)
    if page_obj.number != int(raw):
        raise Http404("没有这一页")
    return page_obj


def _query(**params) -> str:
    return urlencode({k: v for k, v in params.items() if v})


def _listing_filters(url: str, audiences: list, audience, status: str, *, with_status: bool) -> dict:
    """Filter links of a section listing: each keeps the other filter and drops the page number;
    ``filter_query`` is what pagination links carry."""

    def chip(label, selected, **params):
        query = _query(**params)
        return {"label": label, "url": f"{url}?{query}" if query else url, "selected": selected}

    slug = audience.slug if audience else ""
    status_label = WINDOW_STATE_LABELS.get(status, "")
    whom = f"面向{audience.name}的" if audience else ""
    return {
        "audience_chips": [
            chip("全部", audience is None, status=status),
            *(chip(a.name, a == audience, audience=a.slug, status=status) for a in audiences),
        ],
        "status_chips": [
            chip(label, key == status, audience=slug, status=key)
            for key, label in [("", "全部"), *WINDOW_STATE_LABELS.items()]
        ]
        if with_status
        else [],
        "filter_query": _query(audience=slug, status=status),
        "empty_text": f"当前没有{whom}{status_label}的预警。"
        if status
        else "该栏目下暂时没有符合条件的内容。",
    }


class HomePage(RoutablePageMixin, Page):
    """The portal's front page; also serves the audience and topic pages as routes."""

    intro = models.CharField("导语", max_length=200, blank=True)

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = SECTION_PAGE_TYPES
    template = "pages/home_page.html"
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = "首页"

    @path("", name="home")
    def home_view(self, request):
        from content import selectors  # noqa: PLC0415 (content.selectors imports these models)

        return self.render(
            request,
            context_overrides={
                "latest_items": selectors.content_latest(limit=12),
                "audiences": selectors.audience_list(),
                "topics": selectors.topic_popular_list(limit=12),
                "sections": selectors.section_list(),
            },
        )

    @path("audiences/<slug:slug>/", name="audience")
    def audience_view(self, request, slug):
        from content import selectors  # noqa: PLC0415 (content.selectors imports these models)

        audience = next((a for a in selectors.audience_list() if a.slug == slug), None)
        if audience is None:
            raise Http404("没有这个受众")
        items = selectors.content_filtered(audience=audience)
        return self.render(
            request,
            context_overrides={
                "audience": audience,
                "page_obj": _listing_page(items, request),
                "topics": selectors.topic_popular_list(limit=12, audience=audience),
            },
            template="pages/audience_listing.html",
        )

    @path("topics/", name="topic_index")
    def topic_index_view(self, request):
        from content import selectors  # noqa: PLC0415 (content.selectors imports these models)

        return self.render(
            request,
            context_overrides={"topics": selectors.topic_popular_list(limit=None)},
            template="pages/topic_index.html",
        )

    @path("topics/<str:slug>/", name="topic")
    def topic_view(self, request, slug):
        from content import selectors  # noqa: PLC0415 (content.selectors imports these models)

        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            raise Http404("没有这个主题")
        items = selectors.content_filtered(topic=topic)
        return self.render(
            request,
            context_overrides={
                "topic": topic,
                "page_obj": _listing_page(items, request),
            },
            template="pages/topic_listing.html",
        )


class SectionPage(Page):
    """A listing of one content type, newest first, optionally narrowed by audience."""

    intro = models.CharField("导语", max_length=200, blank=True)

    max_count = 1  # one section per type: the banner, feeds and screens link to it by type
    parent_page_types = ["content.HomePage"]
    template = "pages/section_page.html"
    content_panels = Page.content_panels + [FieldPanel("intro")]
    listed_type = ""  # content_type_key of the pages listed: article / video / emergency

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        """The listing, narrowed by ``?audience=`` and, on the emergency section, ``?status=``
        (active / upcoming / expired); unknown values mean 全部."""
        from content import selectors  # noqa: PLC0415 (content.selectors imports these models)

        context = super().get_context(request, *args, **kwargs)
        audiences = selectors.audience_list()
        audience = next((a for a in audiences if a.slug == request.GET.get("audience")), None)
        with_status = self.listed_type == EMERGENCY.key
        status = request.GET.get("status", "") if with_status else ""
        status = status if status in WINDOW_STATES else ""
        items = selectors.section_items(self, audience=audience, status=status)
        context.update(
            audiences=audiences,
            current_audience=audience,
            current_status=status,
            page_obj=_listing_page(items, request),
            **_listing_filters(self.get_url(request), audiences, audience, status, with_status=with_status),
        )
        return context


class ArticleIndexPage(SectionPage):
    subpage_types = [ARTICLE.page_type]
    listed_type = ARTICLE.key
    template = SectionPage.template  # Wagtail derives a per-class default otherwise

    class Meta:
        verbose_name = ARTICLE.section_label


class VideoIndexPage(SectionPage):
    subpage_types = [VIDEO.page_type]
    listed_type = VIDEO.key
    template = SectionPage.template  # Wagtail derives a per-class default otherwise

    class Meta:
        verbose_name = VIDEO.section_label


class EmergencyIndexPage(SectionPage):
    subpage_types = [EMERGENCY.page_type]
    listed_type = EMERGENCY.key
    template = SectionPage.template  # Wagtail derives a per-class default otherwise

    class Meta:
        verbose_name = EMERGENCY.section_label

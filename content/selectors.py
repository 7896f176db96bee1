"""Every public read of content starts here: live, public, with related data prefetched.

Mixed listings (latest, audience, topic) order and paginate on the base ``Page`` table and
then load only the current page's items as their specific types, so a listing costs a fixed
number of queries however many items it shows.
"""

from collections import defaultdict
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from content.emergency import ACTIVE, WINDOW_STATES, window_q
from content.models import (
    CONTENT_MODELS,
    ArticleIndexPage,
    Audience,
    EmergencyIndexPage,
    EmergencyPage,
    Topic,
    VideoIndexPage,
    VideoPage,
)

CONTENT_MODELS_BY_KEY = {m.content_type_key: m for m in CONTENT_MODELS}
SECTION_MODELS = (ArticleIndexPage, VideoIndexPage, EmergencyIndexPage)
CARD_RENDITION = "fill-640x360|jpegquality-75"


def topics_prefetch(model) -> Prefetch:
    """A page's topics as one joined query. ``"tagged_topics__tag"`` would fetch the tags by id in a
    second query that Django 5.2 writes as one ``OR`` per tag on SQLite, which fails beyond 1,000 tags
    on a page of results ("Expression tree is too large"): every listing and feed answered 500."""
    through = model._meta.get_field("tagged_topics").related_model
    return Prefetch("tagged_topics", queryset=through.objects.select_related("tag"))


def _with_card_data(queryset: QuerySet) -> QuerySet:
    """What a listing card shows: cover rendition, audiences, topics."""
    images = get_image_model().objects.prefetch_renditions(CARD_RENDITION)
    return queryset.prefetch_related(
        Prefetch("cover_image", queryset=images),
        "audiences",
        topics_prefetch(queryset.model),
    )


def content_queryset(model) -> QuerySet:
    """Live, public pages of one content model, newest first, with card data."""
    qs = model.objects.live().public().order_by("-first_published_at", "-pk")
    if model is EmergencyPage:
        qs = qs.prefetch_related("regions")
    if model is VideoPage:
        qs = qs.select_related("video_file")  # the video URL and size (feeds, screens)
    return _with_card_data(qs)


def content_base_queryset() -> QuerySet:
    """All live, public content pages as plain ``Page`` rows, newest first."""
    return Page.objects.live().public().type(*CONTENT_MODELS).order_by("-first_published_at", "-pk")


def content_filtered(*, audience: Audience | None = None, topic: Topic | None = None) -> QuerySet:
    """Live content of every type, narrowed by audience and/or topic (a ``Page`` queryset)."""
    qs = content_base_queryset()
    if audience is not None:
        qs = qs.filter(
            Q(articlepage__audiences=audience)
            | Q(videopage__audiences=audience)
            | Q(emergencypage__audiences=audience)
        )
    if topic is not None:
        qs = qs.filter(
            Q(articlepage__tagged_topics__tag=topic)
            | Q(videopage__tagged_topics__tag=topic)
            | Q(emergencypage__tagged_topics__tag=topic)
        )
    if audience is not None or topic is not None:
        qs = qs.distinct()
    return qs


def content_for_screens(
    *, now: datetime, audiences=None, topic=None, type_key: str = "", region=None
) -> QuerySet:
    """Live content for unattended channels (screens): emergencies only while in force.

    ``audiences`` matches content for any of them; empty or None means every audience.
    With ``region``, emergencies must also be for that region (a warning for another
    district does not belong on this screen).
    """
    models = [CONTENT_MODELS_BY_KEY[type_key]] if type_key else CONTENT_MODELS
    qs = Page.objects.live().public().type(*models).order_by("-first_published_at", "-pk")
    in_force = window_q(ACTIVE, now, prefix="emergencypage__")
    if region is not None:
        in_force &= Q(emergencypage__regions=region)
    qs = qs.filter(Q(emergencypage__isnull=True) | in_force)
    conditions = Q()
    if audiences:
        conditions &= (
            Q(articlepage__audiences__in=audiences)
            | Q(videopage__audiences__in=audiences)
            | Q(emergencypage__audiences__in=audiences)
        )
    if topic is not None:
        conditions &= (
            Q(articlepage__tagged_topics__tag=topic)
            | Q(videopage__tagged_topics__tag=topic)
            | Q(emergencypage__tagged_topics__tag=topic)
        )
    if conditions:
        qs = qs.filter(pk__in=Page.objects.filter(conditions).values("pk"))
    return qs


def content_specific_list(pages) -> list:
    """Load ``Page`` rows as their specific types with card data, keeping their order."""
    pages = list(pages)
    ids_by_type = defaultdict(list)
    for page in pages:
        ids_by_type[page.content_type_id].append(page.pk)
    model_by_type_id = {
        ct.pk: model for model, ct in ContentType.objects.get_for_models(*CONTENT_MODELS).items()
    }
    loaded = {}
    for type_id, ids in ids_by_type.items():
        for obj in content_queryset(model_by_type_id[type_id]).filter(pk__in=ids):
            loaded[obj.pk] = obj
    return [loaded[p.pk] for p in pages if p.pk in loaded]


def content_latest(limit: int = 12) -> list:
    return content_specific_list(content_base_queryset()[:limit])


def page_of(queryset, number, per_page: int) -> PaginatorPage:
    """One page of a listing; out-of-range or junk page numbers fall back to a valid page.

    ``Page`` querysets are converted to their specific types for the current page only.
    """
    page_obj = Paginator(queryset, per_page).get_page(number)
    if page_obj.object_list and type(page_obj.object_list[0]) is Page:
        page_obj.object_list = content_specific_list(page_obj.object_list)
    return page_obj


def section_list() -> list:
    """The live section pages (图文科普, 科普视频, 应急科普) in tree order."""
    return list(Page.objects.live().public().type(*SECTION_MODELS).specific().order_by("path"))


def section_items(section, *, audience: Audience | None = None, status: str = "") -> QuerySet:
    """Live children of a section page, newest first. Emergencies: in force first, then upcoming,
    then expired; ``status`` (active / upcoming / expired) keeps one of those only."""
    model = CONTENT_MODELS_BY_KEY[section.listed_type]
    qs = content_queryset(model).child_of(section)
    if audience is not None:
        qs = qs.filter(audiences=audience)
    if model is EmergencyPage:
        now = timezone.now()
        if status in WINDOW_STATES:
            qs = qs.in_status(status, now)
        qs = qs.in_force_first(now)
    return qs


def emergency_active_list(*, now: datetime, region=None) -> list:
    """Emergencies in force at ``now``, most severe first, optionally for one region."""
    qs = content_queryset(EmergencyPage).in_force(now)
    if region is not None:
        qs = qs.for_region(region)
    return list(qs.most_severe_first())


def topic_popular_list(*, limit: int | None = 12, audience: Audience | None = None) -> list:
    """Topics used by live content, most used first, each with ``.count``."""
    live = {
        "article_items": Q(article_items__content_object__live=True),
        "video_items": Q(video_items__content_object__live=True),
        "emergency_items": Q(emergency_items__content_object__live=True),
    }
    if audience is not None:
        live = {
            rel: cond & Q(**{f"{rel}__content_object__audiences": audience}) for rel, cond in live.items()
        }
    qs = Topic.objects.annotate(
        **{
            f"n_{rel}": Count(f"{rel}__content_object", filter=cond, distinct=True)
            for rel, cond in live.items()
        }
    )
    topics = []
    for topic in qs:
        topic.count = topic.n_article_items + topic.n_video_items + topic.n_emergency_items
        if topic.count:
            topics.append(topic)
    topics.sort(key=lambda t: (-t.count, t.name))
    return topics[:limit] if limit else topics


def emergency_banner_list(*, now: datetime) -> list:
    """Warnings in force at ``now`` for the portal's site-wide banner, most severe first.

    ``emergency_active_list`` without the card data: the banner runs on every portal page and shows
    only the warning and its regions, so it costs three queries (view restrictions, pages, regions)
    however many warnings are in force.
    """
    qs = EmergencyPage.objects.live().public().in_force(now).prefetch_related("regions")
    return list(qs.most_severe_first())

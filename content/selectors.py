"""Every public read of content starts here: live, public, with related data prefetched.

Mixed listings (latest, audience, topic) order and paginate on the base ``Page`` table and
then load only the current page's items as their specific types, so a listing costs a fixed
number of queries however many items it shows.

Aggregates over everything live (popular topics, a listing's total) are kept under the portal
epoch (``content.aggregates``): at 50,000 items they cost more than the rest of the page.
"""

from collections import defaultdict
from datetime import date, datetime
from functools import partial, reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from content.aggregates import aggregate_get
from content.emergency import WINDOW_STATES
from content.models import (
    Audience,
    ContentQuerySet,
    EmergencyPage,
    HomePage,
    Topic,
    VideoPage,
    audience_q,
    content_pages,
)
from content.types import content_models, content_type_of, section_models

# A card's cover (``{% card_picture %}``): WebP with a JPEG fallback at three widths; transparent images
# flattened onto the card's white so the JPEG has no black corners. Listings prefetch exactly these.
CARD_PICTURE_SPEC = "fill-{320x180,640x360,960x540}|format-{webp,jpeg}|bgcolor-ffffff|jpegquality-75"
CARD_RENDITIONS = tuple(Filter.expand_spec(CARD_PICTURE_SPEC))
CARD_RENDITION = "fill-640x360|format-jpeg|bgcolor-ffffff|jpegquality-75"  # the one feeds link, among those
# A detail page's cover (templates/pages/content_detail.html: the figure's ``{% picture %}``) and its
# share card's image (``BasePage.get_context``); a video's poster (``VideoPage.get_context``).
OG_RENDITION = "fill-1200x630"
COVER_RENDITIONS = (
    *Filter.expand_spec("width-{400,800,1200}|format-{webp,jpeg}|bgcolor-ffffff"),
    OG_RENDITION,
)
POSTER_RENDITION = "width-1200"


def topics_prefetch(model) -> Prefetch:
    """A page's topics as one joined query. ``"tagged_topics__tag"`` would fetch the tags by id in a
    second query that Django 5.2 writes as one ``OR`` per tag on SQLite, which fails beyond 1,000 tags
    on a page of results ("Expression tree is too large"): every listing and feed answered 500."""
    through = model._meta.get_field("tagged_topics").related_model
    return Prefetch("tagged_topics", queryset=through.objects.select_related("tag"))


def _with_card_data(queryset: PageQuerySet, *, topics: bool = True) -> PageQuerySet:
    """What a card shows: cover renditions, audiences; and topics, which feeds and screens show
    (the portal's cards do not)."""
    images = get_image_model().objects.prefetch_renditions(*CARD_RENDITIONS)
    queryset = queryset.prefetch_related(Prefetch("cover_image", queryset=images), "audiences")
    return queryset.prefetch_related(topics_prefetch(queryset.model)) if topics else queryset


def _public(queryset: PageQuerySet) -> PageQuerySet:
    """``queryset.public()``, with the private sections kept under the portal epoch: Wagtail's
    ``public()`` asks the database for them on every call, twice in each listing."""
    paths = aggregate_get(
        "private-paths", (), lambda: list(PageViewRestriction.objects.values_list("page__path", flat=True))
    )
    if not paths:
        return queryset
    return queryset.exclude(reduce(or_, (Q(path__startswith=path) for path in paths)))


def image_with_renditions(image_id: int | None, specs) -> object | None:
    """An image with the renditions a page shows prefetched (two queries). Wagtail writes every
    rendition it finds in the cache back to the cache unless it was prefetched: on each request,
    six cache writes for a cover (with the file cache, six files and a directory listing)."""
    if image_id is None:
        return None
    return get_image_model().objects.prefetch_renditions(*specs).filter(pk=image_id).first()


def content_queryset(model, *, topics: bool = True) -> ContentQuerySet:
    """Live, public pages of one content model, newest first, with card data."""
    qs = _public(model.objects.live()).order_by("-first_published_at", "-pk")
    if model is EmergencyPage:
        qs = qs.prefetch_related("regions")
    if model is VideoPage:
        qs = qs.select_related("video_file")  # the video URL and size (feeds, screens)
    return _with_card_data(qs, topics=topics)


def content_base_queryset() -> ContentQuerySet:
    """All live, public content pages as plain ``Page`` rows, newest first, with the content queryset
    API (``for_audience``, ``for_topic``, ``for_region``, ``in_force``: ``content.models.querysets``)."""
    return _public(content_pages().live()).order_by("-first_published_at", "-pk")


def content_filtered(*, audience: Audience | None = None, topic: Topic | None = None) -> ContentQuerySet:
    """Live content of every type, narrowed by audience and/or topic (a ``Page`` queryset)."""
    qs = content_base_queryset()
    if audience is not None:
        qs = qs.for_audience(audience)
    if topic is not None:
        qs = qs.for_topic(topic)
    return qs


def content_specific_list(pages, *, topics: bool = True) -> list:
    """Load ``Page`` rows as their specific types with card data, keeping their order."""
    pages = list(pages)
    ids_by_type = defaultdict(list)
    for page in pages:
        ids_by_type[page.content_type_id].append(page.pk)
    model_by_type_id = {
        ct.pk: model for model, ct in ContentType.objects.get_for_models(*content_models()).items()
    }
    loaded = {}
    for type_id, ids in ids_by_type.items():
        for obj in content_queryset(model_by_type_id[type_id], topics=topics).filter(pk__in=ids):
            loaded[obj.pk] = obj
    return [loaded[p.pk] for p in pages if p.pk in loaded]


def content_latest(limit: int = 12) -> list:
    """The newest content as ``Page`` rows: ``content.cards`` loads the ones it has no card for."""
    return list(content_base_queryset()[:limit])


def page_of(queryset, number, per_page: int) -> PaginatorPage:
    """One page of a listing; out-of-range or junk page numbers fall back to a valid page.

    The items stay as the queryset gives them (``Page`` rows for mixed listings): ``content.cards``
    loads the specific pages it has no card for. The total (``COUNT(*)`` over every matching item)
    is kept under the portal epoch.
    """
    page_obj = _EpochCountPaginator(queryset, per_page).get_page(number)
    page_obj.object_list = list(page_obj.object_list)
    return page_obj


class _EpochCountPaginator(Paginator):
    """A paginator whose total is an aggregate kept under the portal epoch (``content.aggregates``),
    keyed by the listing's SQL. A listing that depends on the clock (emergencies in force at
    ``now``) has a new key every request, so it is counted afresh rather than stored."""

    @cached_property
    def count(self):
        # django-stubs types Paginator.count as a property; it is Django's cached_property.
        compute = partial(Paginator.count.func, self)  # type: ignore[attr-defined]
        query = getattr(self.object_list, "query", None)
        if query is None:
            return compute()
        try:
            sql, params = query.sql_with_params()
        except EmptyResultSet:
            return compute()
        if any(isinstance(p, (date, datetime)) for p in params):
            return compute()
        return aggregate_get("count", (connection.alias, sql, params), compute)


def section_list() -> list:
    """The live section pages (图文科普, 科普视频, 应急科普) in tree order; every portal page's
    navigation shows them, so they are kept under the portal epoch."""
    return aggregate_get("sections", (), _sections)


def _sections() -> list:
    return list(Page.objects.live().public().type(*section_models()).specific().order_by("path"))


def section_url(key: str) -> str:
    """The path of the section listing the content type ``key``; "/" when it is not live (a link
    that goes nowhere is worse than one to the front page)."""
    section = next((s for s in section_list() if s.listed_type == key), None)
    return (section.url if section is not None else None) or "/"


def home_route_url(name: str, *args) -> str:
    """The path of a route of the home page (``audience``, ``topic_index``, ``topic``), reversed
    from its routes (kept under the portal epoch); "/" when there is no live home page."""
    home_url = aggregate_get("home-url", (), _home_url)
    return f"{home_url}{HomePage.get_resolver().reverse(name, *args)}" if home_url else "/"


def _home_url() -> str:
    home = HomePage.objects.live().order_by("path").first()
    return (home.url or "") if home is not None else ""


def audience_list() -> list:
    """The five audiences in their editors' order (navigation, filters), kept under the portal epoch."""
    return aggregate_get("audiences", (), lambda: list(Audience.objects.all()))


def section_items(section, *, audience: Audience | None = None, status: str = "") -> PageQuerySet:
    """Live children of a section page, newest first. Emergencies: in force first, then upcoming,
    then expired; ``status`` (active / upcoming / expired) keeps one of those only.

    Articles and videos are listed as ``Page`` rows (``page_of`` loads one page of them as their
    type): ordered on the base table, the newest-first index finds one page of 50,000 children,
    where the child table's key as the tie-break made the database sort them all."""
    model = content_type_of(section.listed_type).model
    if model is not EmergencyPage:
        qs = _public(Page.objects.live()).child_of(section).order_by("-first_published_at", "-pk")
        if audience is not None:
            qs = qs.filter(audience_q([audience], [model]))
        return qs
    qs = content_queryset(model).child_of(section)
    if audience is not None:
        qs = qs.for_audience(audience)
    now = timezone.now()
    if status in WINDOW_STATES:
        qs = qs.in_status(status, now)
    return qs.in_force_first(now)


def emergency_active_list(*, now: datetime, region=None) -> list:
    """Emergencies in force at ``now``, most severe first, optionally for one region."""
    qs = content_queryset(EmergencyPage).in_force(now)
    if region is not None:
        qs = qs.for_region(region)
    return list(qs.most_severe_first())


def topic_popular_list(*, limit: int | None = 12, audience: Audience | None = None) -> list:
    """Topics used by live content, most used first (then by name), each with ``.count``.

    One grouped query over the three topic link tables, limited in SQL, kept under the portal
    epoch: the home, audience and topic index pages, search and feeds all show it.
    """
    rows = aggregate_get(
        "topics", (audience.pk if audience else None, limit), partial(_topic_counts, limit, audience)
    )
    topics = []
    for pk, name, slug, count in rows:
        topic = Topic(pk=pk, name=name, slug=slug)
        topic.count = count
        topics.append(topic)
    return topics


def _topic_counts(limit: int | None, audience: Audience | None) -> list[tuple]:
    """``(id, name, slug, count)`` of the ``limit`` most used topics (every used one if None)."""
    quote = connection.ops.quote_name
    page_table, params, branches = quote(Page._meta.db_table), [], []
    for model in content_models():
        through = model._meta.get_field("tagged_topics").related_model
        # Joined to the base page table directly: through the child table it took 3–4 times as long.
        # Only identifiers from model metadata, quoted, go into the text; values are parameters.
        branch = (
            f"SELECT l.{quote('tag_id')} AS tag_id, l.{quote('content_object_id')} AS page_id"  # noqa: S608
            f" FROM {quote(through._meta.db_table)} l INNER JOIN {page_table} p"
            f" ON p.{quote('id')} = l.{quote('content_object_id')} WHERE p.{quote('live')}"
        )
        if audience is not None:
            links = model.audiences.through
            page_column = links._meta.get_field(model.audiences.field.m2m_field_name()).column
            audience_column = links._meta.get_field(model.audiences.field.m2m_reverse_field_name()).column
            branch += (
                f" AND l.{quote('content_object_id')} IN (SELECT {quote(page_column)}"  # noqa: S608
                f" FROM {quote(links._meta.db_table)} WHERE {quote(audience_column)} = %s)"
            )
            params.append(audience.pk)
        branches.append(branch)
    sql = (
        f"SELECT t.{quote('id')}, t.{quote('name')}, t.{quote('slug')}, c.n"  # noqa: S608
        f" FROM {quote(Topic._meta.db_table)} t INNER JOIN ("
        f"SELECT u.tag_id, COUNT(DISTINCT u.page_id) AS n FROM ({' UNION ALL '.join(branches)}) u"
        f" GROUP BY u.tag_id) c ON c.tag_id = t.{quote('id')} ORDER BY c.n DESC, t.{quote('name')}"
    )
    if limit:
        sql += " LIMIT %s"
        params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [tuple(row) for row in cursor.fetchall()]
    # The database's collation may order names differently from Python: one rule for every backend.
    return sorted(rows, key=lambda row: (-row[3], row[1]))


def banner_warnings() -> tuple:
    """The warnings in force now for the portal's site-wide banner (``EmergencyWarning`` values,
    most severe first). Every portal page shows it: kept under the portal epoch until the next
    window opens or closes, so it changes on the next request after a publish or at that moment."""
    return aggregate_get(
        "banner",
        (),
        lambda: tuple(p.warning for p in emergency_banner_list(now=timezone.now())),
        windowed=True,
    )


def emergency_banner_list(*, now: datetime) -> list:
    """Warnings in force at ``now`` for the portal's site-wide banner, most severe first.

    ``emergency_active_list`` without the card data: the banner shows only the warning and its
    regions, so it costs three queries (view restrictions, pages, regions) however many warnings
    are in force.
    """
    qs = EmergencyPage.objects.live().public().in_force(now).prefetch_related("regions")
    return list(qs.most_severe_first())

"""The content-type registry (``content.types``) and the content queryset API
(``for_audience``, ``for_topic``, ``for_region``, ``in_force``) on one type and on mixed rows."""

import datetime as dt

import pytest
from wagtail.models import Page

from content.models import CONTENT_MODELS, ArticlePage, EmergencyPage, HomePage, Topic, content_pages
from content.selectors import home_route_url, section_url
from content.types import CONTENT_TYPE_CHOICES, CONTENT_TYPE_LABELS_TEXT, CONTENT_TYPES, content_type_get
from feeds.screens.models import CONTENT_TYPE_FILTERS
from tests.factories import ArticlePageFactory, EmergencyPageFactory, VideoPageFactory

NOW = dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def test_each_type_names_its_model_and_section_once():
    assert [t.key for t in CONTENT_TYPES] == ["article", "video", "emergency"]
    assert CONTENT_MODELS == tuple(t.model for t in CONTENT_TYPES)
    for entry in CONTENT_TYPES:
        model, section = entry.model, entry.section
        assert model.content_type_key == entry.key
        assert model.content_type_label == model._meta.verbose_name == entry.label
        assert model.parent_page_types == [entry.section_type]
        assert section.listed_type == entry.key
        assert section.subpage_types == [entry.page_type]
        assert section._meta.verbose_name == f"{entry.label}栏目"
        assert section.max_count == 1  # one section per type: everything links to it by type
    assert HomePage.subpage_types == [t.section_type for t in CONTENT_TYPES]
    assert content_type_get("article").model is ArticlePage
    assert content_type_get("page") is None
    assert CONTENT_TYPE_LABELS_TEXT == "图文科普、科普视频和应急科普"


def test_screen_schedules_offer_the_registered_types():
    assert CONTENT_TYPE_FILTERS == [("", "全部类型"), *CONTENT_TYPE_CHOICES]
    assert CONTENT_TYPE_CHOICES == [("article", "图文科普"), ("video", "科普视频"), ("emergency", "应急科普")]


@pytest.fixture
def pages(article_index, video_index, emergency_index, audiences, regions):
    topic = Topic.objects.create(name="防汛", slug="防汛")
    return {
        "article": ArticlePageFactory(parent=article_index, audiences=["youth"], topics=[topic]),
        "video": VideoPageFactory(parent=video_index, audiences=["elderly"]),
        "in_force": EmergencyPageFactory(
            parent=emergency_index,
            audiences=["elderly"],
            topics=[topic],
            effective_from=NOW - HOUR,
            expires_at=NOW + HOUR,
        ),
        "elsewhere": EmergencyPageFactory(
            parent=emergency_index,
            regions=["华容区"],
            effective_from=NOW - HOUR,
            expires_at=NOW + HOUR,
        ),
        "expired": EmergencyPageFactory(
            parent=emergency_index, effective_from=NOW - 2 * HOUR, expires_at=NOW - HOUR
        ),
        "topic": topic,
    }


def _ids(queryset) -> set:
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.django_db
def test_mixed_rows_narrow_every_type(pages, audiences, regions):
    everything = content_pages()
    assert everything.model is Page
    assert _ids(everything.for_audience(audiences["elderly"])) == {pages["video"].pk, pages["in_force"].pk}
    two = everything.for_audience(audiences["youth"], audiences["elderly"])
    assert _ids(two) == {p.pk for k, p in pages.items() if k not in ("topic",)}
    assert _ids(everything.for_audience()) == set()
    assert _ids(everything.for_topic(pages["topic"])) == {pages["article"].pk, pages["in_force"].pk}
    # Content without a window is always in force; an emergency only inside its window.
    in_force = everything.in_force(NOW)
    assert _ids(in_force) == {pages[k].pk for k in ("article", "video", "in_force", "elsewhere")}
    # Content without regions is for every region; an emergency for its own.
    assert _ids(in_force.for_region(regions["鄂城区"])) == {
        pages[k].pk for k in ("article", "video", "in_force")
    }


@pytest.mark.django_db
def test_one_type_narrows_that_type(pages, audiences, regions):
    assert _ids(ArticlePage.objects.for_audience(audiences["youth"])) == {pages["article"].pk}
    assert _ids(ArticlePage.objects.in_force(NOW).for_region(regions["华容区"])) == {pages["article"].pk}
    assert _ids(EmergencyPage.objects.in_force(NOW)) == {pages["in_force"].pk, pages["elsewhere"].pk}
    assert _ids(EmergencyPage.objects.for_region(regions["华容区"])) == {pages["elsewhere"].pk}
    assert _ids(EmergencyPage.objects.for_topic(pages["topic"])) == {pages["in_force"].pk}


@pytest.mark.django_db
def test_portal_urls_come_from_the_tree_and_the_routes(home):
    assert section_url("emergency") == "/emergency/"
    assert home_route_url("audience", "elderly") == "/audiences/elderly/"
    assert home_route_url("topic_index") == "/topics/"
    home.unpublish()
    assert home_route_url("audience", "elderly") == "/"

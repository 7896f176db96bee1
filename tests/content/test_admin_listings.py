"""Admin listings filter content by audience, type and emergency window."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from content.models import VideoPage
from tests.factories import ArticlePageFactory, EmergencyPageFactory, VideoPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(article_index, video_index, emergency_index):
    now = timezone.now()
    day = dt.timedelta(days=1)
    return {
        "farm_article": ArticlePageFactory(
            parent=article_index, title="水稻病虫害防治", audiences=["farmers"]
        ),
        "youth_article": ArticlePageFactory(parent=article_index, title="星空观测入门", audiences=["youth"]),
        "farm_video": VideoPageFactory(parent=video_index, title="农机安全操作", audiences=["farmers"]),
        "active": EmergencyPageFactory(
            parent=emergency_index, title="寒潮蓝色预警", effective_from=now - day, expires_at=now + day
        ),
        "expired": EmergencyPageFactory(
            parent=emergency_index, title="高温橙色预警", effective_from=now - 3 * day, expires_at=now - day
        ),
        "upcoming": EmergencyPageFactory(
            parent=emergency_index, title="暴雨黄色预警", effective_from=now + day, expires_at=now + 2 * day
        ),
    }


def _titles(response):
    return {page.title for page in response.context["object_list"]}


def test_all_content_filters_by_audience(admin_client, mixed):
    response = admin_client.get(
        "/admin/all_content/", {"audience": mixed["farm_article"].audiences.first().pk}
    )
    assert response.status_code == 200
    assert _titles(response) == {"水稻病虫害防治", "农机安全操作"}


def test_all_content_filters_by_type(admin_client, mixed):
    video_type = ContentType.objects.get_for_model(VideoPage)
    response = admin_client.get("/admin/all_content/", {"content_type": video_type.pk})
    assert _titles(response) == {"农机安全操作"}


def test_all_content_lists_only_content_pages(admin_client, mixed):
    titles = _titles(admin_client.get("/admin/all_content/"))
    assert "图文科普" not in titles and "科普鄂州" not in titles
    assert len(titles) == 6


@pytest.mark.parametrize(
    ("window", "expected"),
    [("active", "寒潮蓝色预警"), ("expired", "高温橙色预警"), ("upcoming", "暴雨黄色预警")],
)
def test_emergency_listing_filters_by_window(admin_client, mixed, window, expected):
    response = admin_client.get("/admin/emergencies/", {"window": window})
    assert response.status_code == 200
    assert _titles(response) == {expected}


def test_emergency_listing_treats_unpublished_as_not_active(admin_client, mixed):
    mixed["active"].unpublish()
    assert _titles(admin_client.get("/admin/emergencies/", {"window": "active"})) == set()


def test_article_listing_filters_by_audience(admin_client, mixed, audiences):
    response = admin_client.get("/admin/articles/", {"audience": audiences["youth"].pk})
    assert _titles(response) == {"星空观测入门"}

"""A small content set for the feeds: one live item per type, a draft and a private page beside them."""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import PageLogEntry, PageViewRestriction

from content.models import Topic
from tests.factories import ArticlePageFactory, EmergencyPageFactory, ImageFactory, VideoPageFactory


@pytest.fixture
def feed_content(article_index, video_index, emergency_index):
    earlier = timezone.now() - dt.timedelta(hours=2)
    disaster, _ = Topic.objects.get_or_create(name="防灾减灾", slug="防灾减灾")
    health, _ = Topic.objects.get_or_create(name="卫生健康", slug="卫生健康")
    dates = {"first_published_at": earlier, "last_published_at": earlier}
    article = ArticlePageFactory(
        parent=article_index,
        title="汛期防溺水要点",
        audiences=["elderly", "youth"],
        topics=[disaster],
        cover_image=ImageFactory(),
        author="张医生",
        body=[("paragraph", '<p>详见<a href="/topics/">主题</a>。</p>')],
        **dates,
    )
    video = VideoPageFactory(
        parent=video_index, title="心肺复苏四步法", audiences=["farmers"], topics=[health], **dates
    )
    emergency = EmergencyPageFactory(
        parent=emergency_index,
        title="暴雨橙色预警：减少外出",
        audiences=["elderly"],
        topics=[disaster],
        **dates,
    )
    draft = ArticlePageFactory(
        parent=article_index, title="草稿不应出现", live=False, audiences=["elderly"], **dates
    )
    private = ArticlePageFactory(parent=article_index, title="私密不应出现", audiences=["elderly"], **dates)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    PageLogEntry.objects.update(timestamp=earlier)  # all of this happened two hours ago
    return {"article": article, "video": video, "emergency": emergency, "draft": draft, "private": private}

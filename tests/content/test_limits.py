"""Limits that protect the public side (content.limits): listings and feeds survive an item with many
topics, and the admin refuses items over the limits with Chinese messages."""

from tests.factories import ArticlePageFactory

PUBLIC_PATHS = [
    "/",
    "/articles/",
    "/feeds/",
    "/feeds/rss.xml",
    "/feeds/atom.xml",
    "/feeds/feed.json",
    "/topics/",
]


def test_an_item_stored_with_a_thousand_topics_does_not_break_listings_or_feeds(client, article_index):
    """Older data (or a write that bypassed the limits) must not turn listings into 500s."""
    page = ArticlePageFactory(parent=article_index, audiences=["elderly"], title="很多主题")
    page.topics.set([f"主题{n}" for n in range(1000)])
    page.save(clean=False)
    for path in PUBLIC_PATHS:
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)


# --- the same limits in the admin, with Chinese messages ---------------------------------------

import pytest  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from wagtail.models import Page  # noqa: E402

from content import limits  # noqa: E402
from tests.content.test_admin_pages import (  # noqa: E402
    _article_data,
    _emergency_data,
    _post,
    _video_data,
)


def _refused(response, field):
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    return " ".join(errors[field])


def test_admin_refuses_too_many_topics(admin_client, article_index, audiences):
    data = _article_data([audiences["elderly"]])
    data["topics"] = ", ".join(f"主题{n}" for n in range(limits.MAX_TOPICS_PER_ITEM + 1))
    message = _refused(_post(admin_client, "articlepage", article_index, data), "topics")
    assert f"主题最多 {limits.MAX_TOPICS_PER_ITEM} 个" in message
    assert not Page.objects.filter(slug=data["slug"]).exists()


def test_admin_refuses_a_too_long_topic(admin_client, article_index, audiences):
    data = _article_data([audiences["elderly"]])
    data["topics"] = "长" * (limits.MAX_TOPIC_LENGTH + 1)
    assert "每个主题最长" in _refused(_post(admin_client, "articlepage", article_index, data), "topics")


def test_admin_refuses_a_too_long_transcript_and_duration(admin_client, video_index, audiences):
    data = _video_data([audiences["elderly"]])
    data["transcript"] = "字" * (limits.MAX_TRANSCRIPT_BYTES // 3 + 1)
    assert "字幕文稿过长" in _refused(_post(admin_client, "videopage", video_index, data), "transcript")
    data = _video_data([audiences["elderly"]])
    data["duration_seconds"] = str(10**20)
    response = _post(admin_client, "videopage", video_index, data)
    assert response.status_code == 200 and "duration_seconds" in response.context["form"].errors


def test_admin_refuses_too_long_instructions(admin_client, emergency_index, audiences, regions):
    data = _emergency_data([audiences["elderly"]], regions)
    data["instructions"] = "防" * (limits.MAX_INSTRUCTIONS_LENGTH + 1)
    message = _refused(_post(admin_client, "emergencypage", emergency_index, data), "instructions")
    assert f"防范指引最多 {limits.MAX_INSTRUCTIONS_LENGTH} 个字" in message


def test_any_write_path_refuses_an_oversized_body(article_index):
    page = ArticlePageFactory(parent=article_index, audiences=["elderly"], title="长文")
    page.body = [("paragraph", "<p>" + "文" * (limits.MAX_BODY_BYTES // 3 + 1) + "</p>")]
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert "正文过长" in str(excinfo.value.message_dict["body"])
    page.body = [("paragraph", "<p>" + "文" * 1000 + "</p>")]
    page.full_clean()

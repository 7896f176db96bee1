"""应急快速发布: an emergency goes live with one approval and is on screens, feeds and CAP at once;
everything else keeps 三审."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import PageLogEntry

from content.models import ArticlePage, EmergencyPage
from feeds.cap.models import CapMessage
from feeds.screens.services import screen_create
from tests.factories import ArticlePageFactory, EmergencyPageFactory, user_in_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return {
        "editor": user_in_group("editor", "科普编辑"),
        "emergency": user_in_group("emergency", "应急管理审核"),
        "first": user_in_group("first", "初审员"),
        "final": user_in_group("final", "终审员"),
    }


def _approve(client, user, page, task_state):
    client.force_login(user)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    return client.post(url, {"comment": "同意"})


def test_emergency_pages_use_the_one_step_workflow_and_the_rest_keep_three(article_index, emergency_index):
    emergency = EmergencyPageFactory(parent=emergency_index, live=False)
    article = ArticlePageFactory(parent=article_index, live=False)
    fast = emergency.get_workflow()
    assert fast.name == "应急快速发布（一审）"
    assert [t.name for t in fast.tasks] == ["应急审核（一审）"]
    assert [g.name for g in fast.tasks[0].specific.groups.all()] == ["应急管理审核"]
    assert [t.name for t in article.get_workflow().tasks] == ["初审", "复审", "终审"]


def test_a_normal_article_is_not_live_after_one_approval(client, article_index, staff):
    page = ArticlePageFactory(parent=article_index, live=False)
    page.save_revision(user=staff["editor"])
    state = page.get_workflow().start(page, staff["editor"])
    _approve(client, staff["first"], page, state.current_task_state)
    state.refresh_from_db()
    assert state.status == "in_progress" and state.current_task_state.task.name == "复审"
    assert not ArticlePage.objects.get(pk=page.pk).live


def test_the_emergency_group_can_publish_emergencies_but_not_articles(article_index, emergency_index, staff):
    emergency = EmergencyPageFactory(parent=emergency_index, live=False)
    article = ArticlePageFactory(parent=article_index, live=False)
    assert emergency.permissions_for_user(staff["emergency"]).can_publish()
    assert not article.permissions_for_user(staff["emergency"]).can_edit()
    assert not emergency.permissions_for_user(staff["editor"]).can_publish()


def test_an_emergency_goes_from_draft_to_screens_feeds_and_cap_with_one_approval(
    client, emergency_index, staff, django_capture_on_commit_callbacks
):
    cache.clear()
    created = screen_create(name="梁子湖大屏", district="liangzihu", audiences=["elderly"])
    other_district, other_token = created.screen, created.token
    created = screen_create(name="鄂城大屏", district="echeng", audiences=["elderly"])
    screen, token = created.screen, created.token
    feed_url = f"/api/v1/screens/{screen.pk}/feed"
    before = client.get(feed_url, HTTP_AUTHORIZATION=f"Bearer {token}")
    page = EmergencyPageFactory(
        parent=emergency_index,
        live=False,
        title="暴雨红色预警：立即避险",
        severity="red",
        audiences=["elderly"],
    )
    page.save_revision(user=staff["editor"])
    state = page.get_workflow().start(page, staff["editor"])
    task_state = state.current_task_state

    # 三审 reviewers have no say on this task.
    for other in (staff["first"], staff["final"]):
        assert "approve" not in [a[0] for a in task_state.task.specific.get_actions(page, other)]

    with django_capture_on_commit_callbacks(execute=True):
        response = _approve(client, staff["emergency"], page, task_state)
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == "approved"
    assert EmergencyPage.objects.get(pk=page.pk).live

    client.logout()
    # Screens: the next poll has a new ETag and the emergency takes over first.
    after = client.get(feed_url, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    first = after.json()["items"][0]
    assert first["id"] == page.pk and first["takeover"]
    elsewhere = client.get(
        f"/api/v1/screens/{other_district.pk}/feed", HTTP_AUTHORIZATION=f"Bearer {other_token}"
    )
    assert page.pk not in [item["id"] for item in elsewhere.json()["items"]]
    # Feeds and CAP: on the very next request.
    assert "暴雨红色预警：立即避险" in client.get("/feeds/type/emergency/rss.xml").content.decode()
    message = CapMessage.objects.get(page_key=page.pk)
    assert message.msg_type == "Alert"
    assert client.get(f"/feeds/emergency/cap/{page.pk}.xml").status_code == 200
    assert message.identifier in client.get("/feeds/emergency/cap.atom").content.decode()
    # Audit: who approved it.
    entry = PageLogEntry.objects.get(page_id=page.pk, action="kepu.emergency.publish")
    assert entry.user == staff["emergency"]

"""三审: an editor's submission goes 初审 → 复审 → 终审 and only goes live after the last approval."""

import pytest
from django.urls import reverse

from content.models import ArticlePage
from tests.factories import ArticlePageFactory, user_in_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return {
        name: user_in_group(name, group)
        for name, group in [
            ("editor", "科普编辑"),
            ("first", "初审员"),
            ("second", "复审员"),
            ("final", "终审员"),
        ]
    }


def test_content_pages_use_the_three_step_workflow(article_index):
    page = ArticlePageFactory(parent=article_index)
    workflow = page.get_workflow()
    assert workflow.name.startswith("三审")
    assert [t.name for t in workflow.tasks] == ["初审", "复审", "终审"]


def test_editor_cannot_publish_directly(client, article_index, staff):
    client.force_login(staff["editor"])
    page = ArticlePageFactory(parent=article_index, live=False)
    perms = page.permissions_for_user(staff["editor"])
    assert perms.can_edit() and not perms.can_publish()


def test_submission_goes_live_only_after_all_three_approvals(client, article_index, staff):
    page = ArticlePageFactory(parent=article_index, live=False, title="待审核的科普文章")
    page.save_revision(user=staff["editor"])
    workflow_state = page.get_workflow().start(page, staff["editor"])

    for step, reviewer in (("初审", "first"), ("复审", "second"), ("终审", "final")):
        page.refresh_from_db()
        task_state = workflow_state.current_task_state
        assert task_state.task.name == step
        # The wrong group sees no approve action for this step.
        others = [u for k, u in staff.items() if k not in {reviewer, "editor"}]
        for other in others:
            assert "approve" not in [a[0] for a in task_state.task.specific.get_actions(page, other)]
        assert not ArticlePage.objects.get(pk=page.pk).live

        client.force_login(staff[reviewer])
        url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
        response = client.post(url, {"comment": f"{step}通过"})
        assert response.status_code in (200, 302)
        workflow_state.refresh_from_db()

    assert ArticlePage.objects.get(pk=page.pk).live
    assert workflow_state.status == "approved"

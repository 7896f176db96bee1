"""Wagtail's default workflow and groups are gone, and removing them keeps pages and people safe."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from wagtail.models import (
    GroupApprovalTask,
    Page,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("content.migrations.0007_remove_wagtail_default_workflow")
REVIEW = migration.REVIEW_WORKFLOW


def test_default_workflow_task_and_groups_are_gone(home):
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    assert set(WorkflowPage.objects.values_list("workflow__name", flat=True)) <= {
        REVIEW,
        "应急快速发布（一审）",
    }


@pytest.fixture
def legacy(root_page, article_index):
    """What a site upgraded from Wagtail's defaults has: the groups, the workflow on the root, a
    page in moderation on it, and a moderator."""
    moderators = Group.objects.create(name="Moderators")
    editors = Group.objects.create(name="Editors")
    task = GroupApprovalTask.objects.create(
        name="Moderators approval", content_type=ContentType.objects.get_for_model(GroupApprovalTask)
    )
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name="Moderators approval")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    # an orphan page outside 首页, which only the default workflow covered
    orphan = root_page.add_child(instance=Page(title="旧站点", slug="old-site"))
    WorkflowPage.objects.create(page=orphan, workflow=workflow)
    moderator = User.objects.create_user("moderator", password="pw")
    moderator.groups.add(moderators)
    writer = User.objects.create_user("writer", password="pw")
    writer.groups.add(editors)

    page = ArticlePageFactory(parent=article_index, title="旧流程中的稿件")
    page.title = "旧流程中的稿件（修改稿）"
    revision = page.save_revision(user=writer)
    state = workflow.start(page, writer)
    return {"page": page, "revision": revision, "state": state, "orphan": orphan, "workflow": workflow}


def test_removal_reassigns_cancels_and_moves_members(legacy):
    assert legacy["state"].status == WorkflowState.STATUS_IN_PROGRESS

    migration.remove_default_workflow(apps)

    review = Workflow.objects.get(name=REVIEW)
    assert WorkflowPage.objects.get(page=legacy["orphan"]).workflow == review
    assert not Workflow.objects.filter(pk=legacy["workflow"].pk).exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
    assert not TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).exists()
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    editors = Group.objects.get(name="科普编辑")
    assert set(editors.user_set.values_list("username", flat=True)) == {"moderator", "writer"}
    assert not Group.objects.get(name="科普编辑").page_permissions.filter(permission__codename="publish_page")

    page = Page.objects.get(pk=legacy["page"].pk)
    assert page.live and page.title.startswith("旧流程中的稿件")
    assert page.latest_revision_id == legacy["revision"].pk  # the draft is still there
    assert page.get_latest_revision_as_object().title == "旧流程中的稿件（修改稿）"
    assert page.get_workflow() == review
    assert page.workflow_in_progress is False  # can be submitted to 三审 now

    migration.remove_default_workflow(apps)  # idempotent
    assert WorkflowPage.objects.get(page=legacy["orphan"]).workflow == review

"""The permission matrix of docs/editors.md (权限与用户组), checked for one user in each group.

Rows are the groups; each test reads one column of the table. When a group's rights change, change
the table in the guide and the expectations here together.
"""

import pytest
from django.contrib.auth.models import Group
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Workflow
from wagtail.permissions import policy_registry

from tests.factories import ArticlePageFactory, EmergencyPageFactory, user_in_group

pytestmark = pytest.mark.django_db

GROUPS = ["科普编辑", "初审员", "复审员", "终审员", "应急管理审核", "管理员"]

# group: (edit article, publish article, add in 图文科普, edit warning, publish warning, add in 应急科普,
#         delete a published article, delete an unpublished article)
PAGES = {
    "科普编辑": (True, False, True, True, False, True, False, True),
    "初审员": (True, False, False, True, False, False, False, True),
    "复审员": (True, False, False, True, False, False, False, True),
    "终审员": (True, True, False, True, True, False, True, True),
    "应急管理审核": (False, False, False, True, True, True, False, False),
    "管理员": (True, True, True, True, True, True, True, True),
}

# group: the workflow steps it approves
APPROVES = {
    "科普编辑": set(),
    "初审员": {"初审"},
    "复审员": {"复审"},
    "终审员": {"终审"},
    "应急管理审核": {"应急审核（一审）"},
    "管理员": set(),  # publishes directly instead
}

# model permissions behind the other columns; images and documents are collection permissions
MODELS = {
    "screens": "screens.change_screen",
    "wechat_log": "wechat.view_wechatpush",
    "search_stats": "search.view_searchquerystat",
    "users": "auth.change_user",
    "workflows": "wagtailcore.change_workflow",
}
HAS_MODEL = {
    "科普编辑": {"images", "documents"},
    "初审员": {"images", "documents"},
    "复审员": {"images", "documents"},
    "终审员": {"images", "documents"},
    "应急管理审核": {"images", "documents"},
    "管理员": {"images", "documents", *MODELS},
}


@pytest.fixture
def staff(db):
    return {group: user_in_group(f"user-{i}", group) for i, group in enumerate(GROUPS)}


@pytest.fixture
def pages(article_index, emergency_index):
    return {
        "article": ArticlePageFactory(parent=article_index),
        "draft": ArticlePageFactory(parent=article_index, live=False),
        "warning": EmergencyPageFactory(parent=emergency_index),
        "article_index": article_index,
        "emergency_index": emergency_index,
    }


def test_the_groups_are_exactly_ours():
    assert set(Group.objects.values_list("name", flat=True)) == set(GROUPS)


@pytest.mark.parametrize("group", GROUPS)
def test_page_permissions(staff, pages, group):
    user = staff[group]
    article = pages["article"].permissions_for_user(user)
    warning = pages["warning"].permissions_for_user(user)
    actual = (
        article.can_edit(),
        article.can_publish(),
        pages["article_index"].permissions_for_user(user).can_add_subpage(),
        warning.can_edit(),
        warning.can_publish(),
        pages["emergency_index"].permissions_for_user(user).can_add_subpage(),
        article.can_delete(),
        pages["draft"].permissions_for_user(user).can_delete(),
    )
    assert actual == PAGES[group]


@pytest.mark.parametrize("group", GROUPS)
def test_workflow_steps_each_group_approves(staff, pages, group):
    user = staff[group]
    approves = set()
    for page in (pages["article"], pages["warning"]):
        for task in page.get_workflow().tasks.specific():
            if task.get_actions(page, user):
                approves.add(task.name)
    assert approves == APPROVES[group]


def test_articles_use_three_step_review_and_warnings_the_fast_path(pages):
    assert [t.name for t in pages["article"].get_workflow().tasks] == ["初审", "复审", "终审"]
    assert [t.name for t in pages["warning"].get_workflow().tasks] == ["应急审核（一审）"]
    assert set(Workflow.objects.values_list("name", flat=True)) == {
        "三审（初审 → 复审 → 终审）",
        "应急快速发布（一审）",
    }


@pytest.mark.parametrize("group", GROUPS)
def test_model_permissions(staff, group):
    user = staff[group]
    has = {name for name, perm in MODELS.items() if user.has_perm(perm)}
    for name, model in (("images", get_image_model()), ("documents", get_document_model())):
        if policy_registry.get_by_type(model).user_has_permission(user, "add"):
            has.add(name)
    assert has == HAS_MODEL[group]
    assert user.has_perm("wagtailadmin.access_admin")
    # 搜索词统计 is read-only for every group (and for superusers, see tests/search)
    assert not user.has_perm("search.change_searchquerystat")

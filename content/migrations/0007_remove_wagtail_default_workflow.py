"""Remove what Wagtail's own migrations create for a fresh site: the "Moderators approval" workflow
and task, and the "Moderators" and "Editors" groups. Our groups and workflows (0003 三审, 0004
应急快速发布, 0008 管理员) replace them.

Pages stay safe:

- a page (or snippet type) assigned to the default workflow is re-assigned to 三审;
- a page in moderation on the default workflow has its workflow cancelled first; the page keeps its
  draft and every revision, and the audit log (报告 → 站点历史) keeps the submission; the cancelled
  workflow and task states go with the workflow;
- members of "Editors" or "Moderators" are added to 科普编辑 (the least privilege we have: write and
  submit, never publish) before the groups go; an administrator can move them on from there.

Idempotent: running it again finds nothing to do. Reverse is a no-op (we never want them back).
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

DEFAULT_WORKFLOW = "Moderators approval"
DEFAULT_TASK = "Moderators approval"
DEFAULT_GROUPS = ("Moderators", "Editors")
REVIEW_WORKFLOW = "三审（初审 → 复审 → 终审）"  # content/migrations/0003_review_workflow.py
EDITORS = "科普编辑"

IN_PROGRESS, CANCELLED = "in_progress", "cancelled"


def remove_default_workflow(apps, schema_editor=None):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    TaskState = apps.get_model("wagtailcore", "TaskState")

    defaults = Workflow.objects.filter(name=DEFAULT_WORKFLOW)
    review = Workflow.objects.filter(name=REVIEW_WORKFLOW).first()

    # 1. Assignments move to 三审 (or are dropped when 三审 does not exist, e.g. a database
    #    migrated before the site tree was created; publishing permissions still apply then).
    for model in (WorkflowPage, WorkflowContentType):
        assigned = model.objects.filter(workflow__in=defaults)
        if review is not None:
            assigned.update(workflow=review)
        else:
            assigned.delete()

    # 2. Moderation in progress on the default workflow is cancelled, as Workflow.deactivate() does.
    now = timezone.now()
    TaskState.objects.filter(workflow_state__workflow__in=defaults, status=IN_PROGRESS).update(
        status=CANCELLED, finished_at=now
    )
    WorkflowState.objects.filter(workflow__in=defaults, status=IN_PROGRESS).update(status=CANCELLED)

    # 3. The workflow, then its task when no other workflow uses it.
    defaults.delete()
    Task.objects.filter(name=DEFAULT_TASK, workflow_tasks__isnull=True).delete()

    # 4. Members move to 科普编辑, then the groups (and their page/collection permissions) go.
    old_groups = Group.objects.filter(name__in=DEFAULT_GROUPS)
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        User = apps.get_model(settings.AUTH_USER_MODEL)
        editors.user_set.add(*User.objects.filter(groups__in=old_groups).distinct())
    old_groups.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0006_body_sanitized_rich_text"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(remove_default_workflow, migrations.RunPython.noop)]

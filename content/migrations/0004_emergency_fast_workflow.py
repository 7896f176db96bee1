"""应急快速发布: a one-step workflow on the emergency section, approved by the emergency-management group.

Normal content keeps 三审 (from 0003, on the home page); Wagtail uses the nearest ancestor's
workflow, so pages under 应急科普 get this one. Members of 应急管理审核 can edit, approve and
publish emergency pages (and only those); administrators can change groups, tasks and the
assignment in 设置 → 工作流 / 用户组.
"""

from django.db import migrations

GROUP = "应急管理审核"
TASK = "应急审核（一审）"
WORKFLOW_NAME = "应急快速发布（一审）"


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    if Workflow.objects.filter(name=WORKFLOW_NAME).exists():
        return
    section = Page.objects.filter(content_type__app_label="content", content_type__model="emergencyindexpage").first()
    if section is None:
        return

    def perm(app_label, model, codename):
        ctype, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=ctype, codename=codename, defaults={"name": codename}
        )
        return permission

    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(perm("wagtailadmin", "admin", "access_admin"))
    for code in ("add", "change", "publish", "lock", "unlock"):
        GroupPagePermission.objects.get_or_create(
            group=group, page=section, permission=perm("wagtailcore", "page", f"{code}_page")
        )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        media = [("wagtailimages", "image", c) for c in ("add_image", "change_image", "choose_image")] + [
            ("wagtaildocs", "document", c) for c in ("add_document", "change_document", "choose_document")
        ]
        for app_label, model, codename in media:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=perm(app_label, model, codename)
            )

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type, active=True)
    task.groups.set([group])
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=section, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [("content", "0003_review_workflow")]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]

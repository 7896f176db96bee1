"""三审 review: 初审 → 复审 → 终审 as a Wagtail workflow on the home page, with the groups it needs.

Editors (科普编辑) can write and submit but not publish; each reviewer group approves one step;
approval at 终审 publishes. Administrators can re-assign groups and tasks in 设置 → 工作流.
"""

from django.db import migrations

EDITORS = "科普编辑"
STEPS = [("初审", "初审员"), ("复审", "复审员"), ("终审", "终审员")]
WORKFLOW_NAME = "三审（初审 → 复审 → 终审）"


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
    home = Page.objects.filter(depth=2, content_type__app_label="content", content_type__model="homepage").first()
    if home is None:
        return

    def perm(app_label, model, codename):
        ctype, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=ctype, codename=codename, defaults={"name": codename}
        )
        return permission

    access_admin = perm("wagtailadmin", "admin", "access_admin")
    page_perm = {code: perm("wagtailcore", "page", f"{code}_page") for code in ("add", "change", "publish", "lock", "unlock")}
    root_collection = Collection.objects.filter(depth=1).first()
    media_perms = [
        perm("wagtailimages", "image", codename) for codename in ("add_image", "change_image", "choose_image")
    ] + [perm("wagtaildocs", "document", codename) for codename in ("add_document", "change_document", "choose_document")]

    def make_group(name, page_codes):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for code in page_codes:
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=page_perm[code])
        if root_collection is not None:
            for permission in media_perms:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
        return group

    make_group(EDITORS, ["add", "change", "lock"])
    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    for order, (task_name, group_name) in enumerate(STEPS):
        codes = ["change", "lock", "unlock"] + (["publish"] if task_name == "终审" else [])
        group = make_group(group_name, codes)
        task = GroupApprovalTask.objects.create(name=task_name, content_type=task_type, active=True)
        task.groups.set([group])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_audiences_regions_site"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]

"""管理员: the group that runs the site day to day without being a superuser.

Full rights on the page tree (from the root: add, edit, publish, delete, lock, unlock — publishing
directly, outside 三审, is kept for corrections and emergencies), on images and documents, and on the
admin's own models: users and groups, workflows and tasks, topics, screens and screen groups,
synonyms; it can read the WeChat push log and the search statistics (those stay read-only for everyone).
The permission matrix is in docs/editors.md (权限与用户组) and tests/content/test_permission_matrix.py.

Django creates model permissions after migrations; the few this needs on a fresh database are
created here with the names Django would give them. Idempotent; reverse is a no-op.
"""

from django.db import migrations

GROUP = "管理员"
PAGE_CODES = ("add", "change", "publish", "bulk_delete", "lock", "unlock")
COLLECTION_PERMS = [
    ("wagtailimages", "image", f"{action}_image") for action in ("add", "change", "delete", "choose")
] + [("wagtaildocs", "document", f"{action}_document") for action in ("add", "change", "delete", "choose")]
CRUD = ("add", "change", "delete", "view")
MODEL_PERMS = (
    [("wagtailadmin", "admin", "access_admin")]
    + [("auth", model, f"{action}_{model}") for model in ("user", "group") for action in CRUD]
    + [("wagtailcore", model, f"{action}_{model}") for model in ("workflow", "task") for action in CRUD]
    + [("wagtailcore", "collection", f"{action}_collection") for action in ("add", "change", "delete")]
    + [("content", "topic", f"{action}_topic") for action in CRUD]
    + [("screens", model, f"{action}_{model}") for model in ("screen", "screengroup") for action in CRUD]
    + [("search", "synonymgroup", f"{action}_synonymgroup") for action in CRUD]
    + [("search", "searchquerystat", "view_searchquerystat"), ("wechat", "wechatpush", "view_wechatpush")]
)


def create_administrators(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    def perm(app_label, model, codename):
        ctype, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        try:
            verbose = apps.get_model(app_label, model)._meta.verbose_name_raw
        except LookupError:
            verbose = model
        action = codename.rsplit("_", 1)[0].replace("_", " ")
        permission, _ = Permission.objects.get_or_create(
            content_type=ctype, codename=codename, defaults={"name": f"Can {action} {verbose}"[:255]}
        )
        return permission

    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*(perm(*spec) for spec in MODEL_PERMS))
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        for code in PAGE_CODES:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=perm("wagtailcore", "page", f"{code}_page")
            )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for spec in COLLECTION_PERMS:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=perm(*spec)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0007_remove_wagtail_default_workflow"),
        ("screens", "0001_initial"),
        ("search", "0002_default_synonyms"),
        ("wechat", "0002_push_in_flight_markers"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_administrators, migrations.RunPython.noop)]

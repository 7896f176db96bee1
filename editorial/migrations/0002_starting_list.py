"""The shipped 错敏词 list (editorial/starting_list.py) and who may manage it.

终审员 and 管理员 manage the list; every editorial group can view it and the report. Existing
entries with the same folded form are left as editors made them.
"""

from django.db import migrations

MANAGERS = ["终审员", "管理员"]
VIEWERS = ["科普编辑", "初审员", "复审员", "应急管理审核"]


def load(apps, schema_editor):
    from editorial.folding import fold
    from editorial.starting_list import STARTING_LIST

    WordEntry = apps.get_model("editorial", "WordEntry")
    existing = set(WordEntry.objects.values_list("folded", flat=True))
    for phrase, level, category, suggestion, exceptions, note in STARTING_LIST:
        folded = fold(phrase)
        if folded in existing:
            continue
        existing.add(folded)
        WordEntry.objects.create(
            phrase=phrase,
            folded=folded,
            level=level,
            category=category,
            suggestion=suggestion,
            exceptions=exceptions,
            note=note,
        )

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    ctype, _ = ContentType.objects.get_or_create(app_label="editorial", model="wordentry")

    def perm(codename):
        permission, _ = Permission.objects.get_or_create(
            content_type=ctype, codename=codename, defaults={"name": codename}
        )
        return permission

    view = perm("view_wordentry")
    manage = [perm(f"{action}_wordentry") for action in ("add", "change", "delete")]
    for name in MANAGERS:
        group, _ = (
            Group.objects.get_or_create(name=name)
            if name == "管理员"
            else (
                Group.objects.filter(name=name).first(),
                False,
            )
        )
        if group is not None:
            group.permissions.add(view, *manage)
    for group in Group.objects.filter(name__in=VIEWERS):
        group.permissions.add(view)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("content", "0008_administrators_group"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

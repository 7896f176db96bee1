"""The tree's root page is titled "Root" by Wagtail's initial data; editors see it in the explorer
("正在浏览: Root") and in breadcrumbs. It is never served, so renaming it changes nothing public."""

from django.db import migrations

ROOT_TITLE = "全部站点"


def root_title_set(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title="Root").update(title=ROOT_TITLE, draft_title=ROOT_TITLE)


def root_title_unset(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=ROOT_TITLE).update(title="Root", draft_title="Root")


class Migration(migrations.Migration):
    dependencies = [("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(root_title_set, root_title_unset)]

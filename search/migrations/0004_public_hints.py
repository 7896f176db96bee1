"""Public search hints from trusted sources only (搜索提示, 屏蔽词) and distinct visitors per query and day.

终审员 and 管理员 manage 搜索提示 and 屏蔽词; the other editorial groups can view them. Django creates
model permissions after migrations; the ones needed here are created with the names Django would
give them. Idempotent; reverse is a no-op.
"""

from django.db import migrations, models

MANAGERS = ["终审员", "管理员"]
VIEWERS = ["科普编辑", "初审员", "复审员", "应急管理审核"]
MODELS = {"searchhint": "搜索提示", "searchblockedterm": "搜索屏蔽词"}
ACTIONS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    view, manage = [], []
    for model, verbose in MODELS.items():
        ctype, _ = ContentType.objects.get_or_create(app_label="search", model=model)
        for action in ACTIONS:
            permission, _ = Permission.objects.get_or_create(
                content_type=ctype, codename=f"{action}_{model}", defaults={"name": f"Can {action} {verbose}"}
            )
            (view if action == "view" else manage).append(permission)
    for group in Group.objects.filter(name__in=MANAGERS):
        group.permissions.add(*view, *manage)
    for group in Group.objects.filter(name__in=VIEWERS):
        group.permissions.add(*view)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_everyday_lexicon"),
        ("content", "0008_administrators_group"),  # the groups exist
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchBlockedTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "phrase",
                    models.CharField(
                        help_text="含有这个词的搜索提示一律不显示（繁体、全角、大小写写法同样屏蔽），推荐的搜索提示也不例外。",
                        max_length=100,
                        verbose_name="屏蔽词",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="备注")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
            ],
            options={
                "verbose_name": "搜索屏蔽词",
                "verbose_name_plural": "搜索屏蔽词",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="SearchHint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "term",
                    models.CharField(
                        help_text="读者在“大家都在搜”和搜索联想中看到的词。",
                        max_length=100,
                        verbose_name="搜索提示词",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("recommended", "推荐"), ("hidden", "隐藏")],
                        default="recommended",
                        help_text="推荐：排在“大家都在搜”最前面；隐藏：这个词永远不会作为搜索提示出现。",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                (
                    "sort_order",
                    models.IntegerField(default=0, help_text="数字小的排在前面。", verbose_name="排序"),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="备注")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
            ],
            options={
                "verbose_name": "搜索提示",
                "verbose_name_plural": "搜索提示",
                "ordering": ["sort_order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="SearchQueryVisitor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("query", models.CharField(max_length=100, verbose_name="搜索词")),
                ("day", models.DateField(verbose_name="日期")),
                ("visitor_key", models.CharField(max_length=32, verbose_name="访客标识")),
                ("found", models.BooleanField(default=False, verbose_name="有结果")),
            ],
            options={
                "verbose_name": "搜索访客",
                "verbose_name_plural": "搜索访客",
                "indexes": [models.Index(fields=["day", "query"], name="search_sear_day_34714b_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("query", "day", "visitor_key", "found"), name="search_query_visitor_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]

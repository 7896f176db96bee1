"""The five audiences, the five districts, and the site tree: 首页 with its three sections."""

from django.db import migrations
from django.utils import timezone

AUDIENCES = [
    ("youth", "青少年", "中小学生和青年：科学兴趣、探究实践与安全成长"),
    ("farmers", "农民", "种养技术、农业安全与乡村振兴"),
    ("workers", "产业工人", "安全生产、职业健康与技能提升"),
    ("elderly", "老年人", "健康养老、防范诈骗与数字生活"),
    ("officials", "领导干部和公务员", "科学决策、应急管理与新质生产力"),
]
REGIONS = [
    ("echeng", "鄂城区"),
    ("huarong", "华容区"),
    ("liangzihu", "梁子湖区"),
    ("gedian", "葛店开发区"),
    ("linkong", "临空经济区"),
]
SECTIONS = [
    ("ArticleIndexPage", "图文科普", "articles", "权威、易懂的图文科普"),
    ("VideoIndexPage", "科普视频", "videos", "看得懂、记得住的科普短视频"),
    ("EmergencyIndexPage", "应急科普", "emergency", "灾害来临时的权威防范指引"),
]


def create_vocabularies(apps, schema_editor):
    Audience = apps.get_model("content", "Audience")
    Region = apps.get_model("content", "Region")
    for order, (slug, name, description) in enumerate(AUDIENCES):
        Audience.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order}
        )
    for order, (slug, name) in enumerate(REGIONS):
        Region.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})


def create_site_tree(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")

    if Page.objects.filter(content_type__app_label="content", content_type__model="homepage").exists():
        return
    # Remove Wagtail's placeholder welcome page (and its Site) created by wagtailcore.
    Page.objects.filter(content_type__app_label="wagtailcore", content_type__model="page", depth=2).delete()
    root = Page.objects.get(depth=1)
    locale = Locale.objects.order_by("pk").first()
    now = timezone.now()
    common = {"live": True, "has_unpublished_changes": False, "locale": locale,
              "first_published_at": now, "last_published_at": now}

    def create(model_name, **fields):
        model = apps.get_model("content", model_name)
        ctype, _ = ContentType.objects.get_or_create(app_label="content", model=model_name.lower())
        return model.objects.create(content_type=ctype, draft_title=fields["title"], **common, **fields)

    home_path = root.path + "0001"
    home = create("HomePage", title="科普鄂州", slug="home", path=home_path, depth=2,
                  numchild=len(SECTIONS), url_path="/home/",
                  intro="让科学走进千家万户 · 鄂州市科学技术协会")
    for index, (model_name, title, slug, intro) in enumerate(SECTIONS, start=1):
        create(model_name, title=title, slug=slug, path=f"{home_path}{index:04d}", depth=3, numchild=0,
               url_path=f"/home/{slug}/", intro=intro)
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page_id=home.pk,
                        is_default_site=True, site_name="科普鄂州")


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_vocabularies, migrations.RunPython.noop),
        migrations.RunPython(create_site_tree, migrations.RunPython.noop),
    ]

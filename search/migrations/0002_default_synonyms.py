"""A starting list of synonym groups; editors maintain it in 站内搜索 → 同义词."""

from django.db import migrations

GROUPS = [
    ("老人，老年人，长者，银发族，老年朋友", "老年人的常见叫法"),
    ("电诈，电信诈骗，网络诈骗，电信网络诈骗，诈骗电话", "反诈"),
    ("新冠，新型冠状病毒，新冠病毒，新冠肺炎，新型冠状病毒感染", "疫情"),
    ("被骗，受骗，上当受骗，诈骗，骗局", "反诈：口语说法"),
    ("防止，防范，预防", "常见动词"),
    ("中风，脑卒中，脑梗", "慢病"),
    ("武昌鱼，团头鲂", "水产"),
    ("小龙虾，克氏原螯虾", "水产"),
    ("心肺复苏，CPR", "急救"),
    ("人工智能，AI", "科技"),
    ("一氧化碳中毒，煤气中毒", "冬季安全"),
    ("中暑，热射病", "高温"),
    ("学生，中小学生，青少年", "受众"),
    ("农民，农户，种植户，养殖户", "受众"),
    ("职工，工人，产业工人", "受众"),
    ("干部，公务员，领导干部", "受众"),
    ("手机，智能手机", "数字生活"),
    ("无人机，无人驾驶航空器", "低空经济"),
]


def create(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    if SynonymGroup.objects.exists():
        return
    SynonymGroup.objects.bulk_create([SynonymGroup(terms=terms, note=note) for terms, note in GROUPS])


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

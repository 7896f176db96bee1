"""The shipped lexicon of everyday ↔ formal terms (search/lexicon/everyday.txt) as synonym groups.

Editors maintain them afterwards in 站内搜索 → 同义词; ``manage.py search_lexicon_load`` adds
groups shipped later without touching the ones editors changed.
"""

from django.db import migrations


def create(apps, schema_editor):
    from search.lexicon.loader import lexicon_groups_add

    lexicon_groups_add(apps.get_model("search", "SynonymGroup"))


class Migration(migrations.Migration):
    dependencies = [("search", "0002_default_synonyms")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

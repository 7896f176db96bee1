"""Synthetic Chinese content for speed benchmarks: N article pages made from the demo corpus.

Sentences of the demo content are recombined at random (seeded), so the text has realistic
Chinese vocabulary and length (~400–900 characters) without repeating whole documents.

    DATABASE_URL=sqlite:///.var/bench-1k.sqlite3 python bench/speed/generate.py 1000
"""

import json
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

import django  # noqa: E402

django.setup()

from bs4 import BeautifulSoup  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from content.models import ArticleIndexPage, ArticlePage, Audience  # noqa: E402


def corpus_sentences():
    sentences, titles, topics = [], [], set()
    for line in (ROOT / "demo" / "demo.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        text = BeautifulSoup(item["body"], "html.parser").get_text("。")
        sentences += [s.strip() for s in re.split(r"[。！？\n]", text) if len(s.strip()) > 8]
        titles.append(item["title"])
        topics.update(item.get("topics", []))
    return sentences, titles, sorted(topics)


def main(total: int):
    """Pages are written in bulk (tree paths computed here) to make 50k items in about a minute;
    what is measured afterwards (reindex, search) reads them like any published page."""
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    from content.models import ArticlePageTopic, Topic

    rng = random.Random(20261201)
    sentences, titles, topics = corpus_sentences()
    topic_objs = [Topic.objects.get_or_create(name=name, defaults={"slug": name})[0] for name in topics]
    audiences = list(Audience.objects.all())
    section = ArticleIndexPage.objects.first()
    existing = ArticlePage.objects.filter(slug__startswith="synthetic-").count()
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.objects.first()
    settings.WAGTAILSEARCH_BACKENDS["default"]["AUTO_UPDATE"] = False
    started = time.monotonic()
    made = 0
    while existing + made < total:
        batch = min(2000, total - existing - made)
        with transaction.atomic():
            section.refresh_from_db()
            first_child = section.numchild + 1
            now = timezone.now()
            pages = []
            for i in range(batch):
                n = existing + made + i
                pages.append(
                    Page(
                        title=f"{rng.choice(titles)[: rng.randint(6, 14)]}（{n}）",
                        draft_title="",
                        slug=f"synthetic-{n}",
                        content_type=content_type,
                        path=Page._get_path(section.path, section.depth + 1, first_child + i),
                        depth=section.depth + 1,
                        numchild=0,
                        url_path=f"{section.url_path}synthetic-{n}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=now - timezone.timedelta(minutes=n),
                        last_published_at=now,
                        locale=locale,
                        translation_key=uuid.uuid4(),
                    )
                )
            for page in pages:
                page.draft_title = page.title
            Page.objects.bulk_create(pages)
            created = Page.objects.filter(slug__in=[p.slug for p in pages], depth=section.depth + 1).only(
                "pk", "slug"
            )
            audience_rows, topic_rows = [], []
            for page in created:
                body = "".join(
                    f"<p>{'。'.join(rng.sample(sentences, rng.randint(2, 4)))}。</p>"
                    for _ in range(rng.randint(3, 5))
                )
                child = ArticlePage(
                    page_ptr_id=page.pk,
                    summary="。".join(rng.sample(sentences, 1)),
                    body=[("paragraph", body)],
                )
                child.save_base(raw=True)
                audience_rows += [
                    ArticlePage.audiences.through(articlepage_id=page.pk, audience_id=a.pk)
                    for a in rng.sample(audiences, rng.randint(1, 2))
                ]
                topic_rows += [
                    ArticlePageTopic(content_object_id=page.pk, tag=t) for t in rng.sample(topic_objs, 2)
                ]
            ArticlePage.audiences.through.objects.bulk_create(audience_rows)
            ArticlePageTopic.objects.bulk_create(topic_rows)
            Page.objects.filter(pk=section.pk).update(numchild=section.numchild + batch)
        made += batch
        print(f"{existing + made}/{total} pages ({made / (time.monotonic() - started):.0f}/s)", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))

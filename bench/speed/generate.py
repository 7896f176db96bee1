"""Synthetic Chinese content for speed benchmarks: N article pages made from the demo corpus.

Sentences of the demo content are recombined at random (seeded), so the text has realistic
Chinese vocabulary and length (~400–900 characters) without repeating whole documents.

    DATABASE_URL=sqlite:///.var/bench-1k.sqlite3 python bench/speed/generate.py 1000

The portal benchmark (bench/portal/cold.py) also wants what a real site has beyond the corpus'
16 topics: a long tail of rarely used topics (``--tail-topics``, one on about half the pages,
Zipf-like) and cover images (``--covers``, the share of pages with one of the demo pictures).
Both default to off, so the search benchmark's data stays as it was.
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


def tail_topic_names(count: int, titles: list, topics: list, rng: random.Random) -> list:
    """``count`` distinct topic names that read like editors' tags (防灾减灾·暴雨内涝…)."""
    words = sorted({t[i : i + 4] for t in titles for i in range(0, max(len(t) - 4, 1), 3)})
    names = set()
    while len(names) < count:
        names.add(f"{rng.choice(topics)}·{rng.choice(words)}")
    return sorted(names)


def cover_images() -> list:
    """One image per demo picture, made once (reused by later runs)."""
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    Image = get_image_model()
    images = []
    for path in sorted((ROOT / "demo" / "images").glob("*.jpg")):
        title = f"synthetic-cover-{path.stem}"
        image = Image.objects.filter(title=title).first()
        if image is None:
            with path.open("rb") as handle:
                image = Image(title=title, file=ImageFile(handle, name=path.name))
                image.save()
        images.append(image)
    return images


def main(total: int, *, tail_topics: int = 0, covers: float = 0.0):
    """Pages are written in bulk (tree paths computed here) to make 50k items in about a minute;
    what is measured afterwards (reindex, search) reads them like any published page."""
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    from content.models import ArticlePageTopic, Topic

    rng = random.Random(20261201)
    sentences, titles, topics = corpus_sentences()
    topic_objs = [Topic.objects.get_or_create(name=name, defaults={"slug": name})[0] for name in topics]
    tail_objs = []
    if tail_topics:
        names = tail_topic_names(tail_topics, titles, topics, random.Random(7))
        known = set(Topic.objects.filter(name__in=names).values_list("name", flat=True))
        Topic.objects.bulk_create([Topic(name=n, slug=n) for n in names if n not in known], batch_size=500)
        by_name = {t.name: t for t in Topic.objects.filter(name__in=names)}
        tail_objs = [by_name[n] for n in names]
    images = cover_images() if covers else []
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
                    cover_image=rng.choice(images) if images and rng.random() < covers else None,
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
                if tail_objs and rng.random() < 0.5:
                    rank = int(len(tail_objs) * rng.random() ** 4)  # a few common, many rare
                    topic_rows.append(ArticlePageTopic(content_object_id=page.pk, tag=tail_objs[rank]))
            ArticlePage.audiences.through.objects.bulk_create(audience_rows)
            ArticlePageTopic.objects.bulk_create(topic_rows)
            Page.objects.filter(pk=section.pk).update(numchild=section.numchild + batch)
        made += batch
        print(f"{existing + made}/{total} pages ({made / (time.monotonic() - started):.0f}/s)", flush=True)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("total", type=int, help="how many synthetic articles the database should hold")
    parser.add_argument(
        "--tail-topics", type=int, default=0, help="rarely used topics beside the corpus' own"
    )
    parser.add_argument("--covers", type=float, default=0.0, help="share of pages with a cover image (0–1)")
    args = parser.parse_args()
    main(args.total, tail_topics=args.tail_topics, covers=args.covers)

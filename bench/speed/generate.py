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
    rng = random.Random(20261201)
    sentences, titles, topics = corpus_sentences()
    audiences = list(Audience.objects.all())
    section = ArticleIndexPage.objects.first()
    existing = ArticlePage.objects.filter(slug__startswith="synthetic-").count()
    # Pages only: search documents are built by the reindex being measured afterwards.
    settings.WAGTAILSEARCH_BACKENDS["default"]["AUTO_UPDATE"] = False
    started = time.monotonic()
    made = 0
    while existing + made < total:
        with transaction.atomic():
            for _ in range(min(500, total - existing - made)):
                n = existing + made
                title_words = rng.choice(titles)[: rng.randint(6, 14)]
                body = "".join(
                    f"<p>{'。'.join(rng.sample(sentences, rng.randint(2, 4)))}。</p>"
                    for _ in range(rng.randint(3, 5))
                )
                page = ArticlePage(
                    title=f"{title_words}（{n}）",
                    slug=f"synthetic-{n}",
                    summary="。".join(rng.sample(sentences, 1)),
                    body=[("paragraph", body)],
                    live=True,
                    first_published_at=timezone.now() - timezone.timedelta(minutes=n),
                )
                page.audiences.set(rng.sample(audiences, rng.randint(1, 2)))
                page.topics.set(rng.sample(topics, 2))
                section.add_child(instance=page)
                made += 1
        elapsed = time.monotonic() - started
        print(f"{existing + made}/{total} pages ({made / elapsed:.0f}/s)", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))

"""Cold renders of the portal in-process: time and queries per page type at the database's size.

"Cold" means no page cache: the page-cache middleware is taken out of the stack, so every request
renders. Two rows per page:

- ``cold``: the page renders; aggregates kept under the portal epoch (popular topics, listing
  counts) are warm, as they are for every page but the first after a change;
- ``after change``: the portal epoch moves before each request (what a publish does), so the
  request also recomputes those aggregates; listing cards (``content.cards``) stay kept, as they
  do for every page but the one published;
- ``nothing kept``: the cards epoch moves too (what an audience rename or an image edit does), so
  every card is loaded and rendered as well.

The ceiling is a plain Django view with a fixed JSON body through the same middleware
(``bench.screens.urls``), measured in the same interleaved rounds; ``× ceiling`` is page ÷ ceiling.
CPU ms is this process's CPU time (SQLite runs in-process): steadier than wall time on a shared machine.

    DATABASE_URL=sqlite:///.var/bench-50k.sqlite3 MEDIA_ROOT=.var/bench-media \\
        .venv/bin/python bench/portal/cold.py --rounds 30
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("CACHE_DIR", str(ROOT / ".var" / "bench-portal-cache"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGE_CACHE_MIDDLEWARE = "content.page_cache.PageCacheMiddleware"


def portal_urls() -> dict:
    from content.models import ArticlePage
    from content.selectors import topic_popular_list

    article = ArticlePage.objects.live().order_by("-first_published_at").only("url_path")[500]
    topic = topic_popular_list(limit=1)[0]
    return {
        "home": "/",
        "listing /articles/": "/articles/",
        "listing page 40": "/articles/?page=40",
        "audience /audiences/elderly/": "/audiences/elderly/",
        "topic page": f"/topics/{topic.slug}/",
        "article": article.url,
    }


def measure(client: Client, url: str, *, mode: str = "cold") -> tuple[float, float, int]:
    from content.cards import cards_invalidate
    from content.page_cache import portal_invalidate

    if mode in ("after change", "nothing kept"):
        portal_invalidate()
    if mode == "nothing kept":
        cards_invalidate()
    reset_queries()  # the query log keeps 9,000 entries: a full one counts every request as 0
    with CaptureQueriesContext(connection) as queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed * 1000, cpu * 1000, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    from content.models import ArticlePage, Topic
    from content.page_cache import portal_invalidate

    settings.ROOT_URLCONF = "bench.screens.urls"  # the production URLs plus /bench/ceiling
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != PAGE_CACHE_MIDDLEWARE]
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PAGE_CACHE_ENABLED = True  # the portal epoch keeps aggregates; the middleware is out
    client = Client()
    portal_invalidate()  # an epoch to keep aggregates under (the middleware would make one)
    urls = {"ceiling (plain Django view)": "/bench/ceiling", **portal_urls()}
    for url in urls.values():  # renditions made, URL and site caches filled
        measure(client, url)

    modes = ("cold", "after change", "nothing kept")
    results = {(name, mode): [] for name in urls for mode in modes}  # table order
    cpu = {key: [] for key in results}
    queries = {}
    for _ in range(args.rounds):
        for mode in ("after change", "nothing kept", "cold"):
            for name, url in urls.items():
                ms, cpu_ms, count = measure(client, url, mode=mode)
                results[name, mode].append(ms)
                cpu[name, mode].append(cpu_ms)
                queries[name, mode] = count
            if mode != "cold":  # the aggregates and cards of the last epoch made once, untimed
                for url in urls.values():
                    measure(client, url)

    items = ArticlePage.objects.live().count()
    print(f"{items} live articles, {Topic.objects.count()} topics, {args.rounds} rounds, {connection.vendor}")
    ceiling = statistics.median(results["ceiling (plain Django view)", "cold"])
    print("| page | mode | median ms | p95 ms | CPU ms (median) | queries | × ceiling |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for (name, mode), times in results.items():
        if name.startswith("ceiling") and mode != "cold":
            continue
        median = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        print(
            f"| {name} | {mode} | {median:.1f} | {p95:.1f} | {statistics.median(cpu[name, mode]):.1f} "
            f"| {queries[name, mode]} | {median / ceiling:.0f} |"
        )


if __name__ == "__main__":
    main()

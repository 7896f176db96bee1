"""Relevance of search over the demo content: ours vs stock Wagtail search, on both backends.

Run with `make bench-relevance` (it prepares a throwaway database and index first). Prints
Markdown tables (overall, per category, per style group); `--json FILE` also writes per-query
results. `--categories a,b` restricts the run to those categories. The Elasticsearch indexes are
named with the prefix in env BENCH_INDEX_PREFIX (default kepu_bench_), so that two runs against one
node do not share indexes.

Metrics (graded judgments 0–3 in judgments.jsonl):
- nDCG@10 with gain 2^g − 1;
- Recall@10 = judged-relevant items (g ≥ 1) in the top 10 / all judged-relevant items;
- MRR = 1 / rank of the first item with g ≥ 2 (g ≥ 1 when a query has none of grade 2+).
Queries with no relevant item ("no_answer") score 1 on every metric when the system returns
nothing and 0 otherwise (a confident wrong answer is a failure for a science portal).
"""

import argparse
import json
import math
import os
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from wagtail.models import Page  # noqa: E402

from content.models import CONTENT_MODELS  # noqa: E402
from search.selectors import page_search  # noqa: E402

K = 10
# Issue 16: queries written the way residents type each form their own style group; the eight
# original categories (including later long and no_answer additions) form "earlier".
NEW_STYLES = ("colloquial", "dictated", "pinyin", "initials", "everyday")


def style_of(category):
    return category if category in NEW_STYLES else "earlier"


def load_judgments():
    return [
        json.loads(line)
        for line in (HERE / "judgments.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def ours(backend_config):
    def run(query, filters):
        settings.WAGTAILSEARCH_BACKENDS = backend_config
        response = page_search(
            query,
            types=[filters["type"]] if "type" in filters else [],
            audiences=[filters["audience"]] if "audience" in filters else [],
            page_size=K,
        )
        expected = "elasticsearch" if "elasticsearch" in backend_config else "database"
        if response.backend != expected:
            raise RuntimeError(f"expected {expected}, search answered from {response.backend}")
        return [r.slug for r in response.results]

    return run


def stock(backend_name, backend_config):
    """Wagtail's stock page search: the query as typed, default analysis, filters applied after."""

    def run(query, filters):
        settings.WAGTAILSEARCH_BACKENDS = backend_config
        pages = Page.objects.live().public().type(*CONTENT_MODELS).specific()
        results = list(pages.search(query, backend=backend_name)[:200])
        slugs = []
        for page in results:
            if "type" in filters and page.content_type_key != filters["type"]:
                continue
            if "audience" in filters and not page.audiences.filter(slug=filters["audience"]).exists():
                continue
            slugs.append(page.slug)
        return slugs[:K]

    return run


def prepare_elasticsearch(ours_es, stock_es):
    """Fresh indexes: ours from the search documents, stock from the pages (Wagtail's update_index)."""
    from django.core.management import call_command

    from search.documents import search_index_rebuild

    settings.WAGTAILSEARCH_BACKENDS = ours_es
    search_index_rebuild("elasticsearch")
    settings.WAGTAILSEARCH_BACKENDS = stock_es
    call_command("update_index", backend_name="stock_es", verbosity=0)


def dcg(grades):
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def score(judgment, slugs):
    relevant = judgment["relevant"]
    if not relevant:
        hit = 1.0 if not slugs else 0.0
        return {"ndcg": hit, "recall": hit, "mrr": hit}
    grades = [relevant.get(s, 0) for s in slugs[:K]]
    ideal = dcg(sorted(relevant.values(), reverse=True)[:K])
    threshold = 2 if any(g >= 2 for g in relevant.values()) else 1
    first = next((i for i, g in enumerate(grades) if g >= threshold), None)
    return {
        "ndcg": dcg(grades) / ideal,
        "recall": sum(1 for g in grades if g >= 1) / len(relevant),
        "mrr": 1.0 / (first + 1) if first is not None else 0.0,
    }


def evaluate(system, judgments):
    per_query, by_category, by_style = [], defaultdict(list), defaultdict(list)
    for j in judgments:
        try:
            slugs = system(j["query"], j.get("filters", {}))
        except Exception as exc:  # noqa: BLE001 - stock backends can fail on odd input; count as no result
            print(f"  {j['id']} failed: {exc}", file=sys.stderr)
            slugs = []
        s = score(j, slugs)
        per_query.append({"id": j["id"], "query": j["query"], "category": j["category"], "top": slugs, **s})
        by_category[j["category"]].append(s)
        by_style[style_of(j["category"])].append(s)
    return per_query, by_category, by_style


def mean(values):
    return sum(values) / len(values) if values else 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", help="write per-query results here")
    parser.add_argument("--systems", default="all", help="comma list: ours-db,stock-db,ours-es,stock-es")
    parser.add_argument("--categories", default="", help="comma list of categories to run (default: all)")
    args = parser.parse_args()

    judgments = load_judgments()
    if args.categories:
        wanted = set(args.categories.split(","))
        unknown = wanted - {j["category"] for j in judgments}
        if unknown:
            parser.error(f"unknown categories: {', '.join(sorted(unknown))}")
        judgments = [j for j in judgments if j["category"] in wanted]
    prefix = os.environ.get("BENCH_INDEX_PREFIX", "kepu_bench_")
    database = {"default": settings.WAGTAILSEARCH_BACKENDS["default"]}
    systems = {"ours-db": ours(database), "stock-db": stock("default", database)}
    if os.environ.get("BENCH_ES_URL"):
        from cms.settings.search_config import elasticsearch_backend

        ours_es = {
            **database,
            "elasticsearch": elasticsearch_backend(os.environ["BENCH_ES_URL"], index_prefix=prefix),
        }
        # Stock: Wagtail's own page mapping (standard analyzer). The shared settings only add our
        # analyzer's definition, which update_index needs for the search-document index.
        stock_es = {
            **database,
            "stock_es": elasticsearch_backend(os.environ["BENCH_ES_URL"], index_prefix=f"{prefix}stock_"),
        }
        systems.update({"ours-es": ours(ours_es), "stock-es": stock("stock_es", stock_es)})
        prepare_elasticsearch(ours_es, stock_es)
    if args.systems != "all":
        systems = {k: v for k, v in systems.items() if k in args.systems.split(",")}

    results = {}
    print(f"{len(judgments)} judged queries\n")
    print("| system | nDCG@10 | Recall@10 | MRR |")
    print("| --- | --- | --- | --- |")
    categories = sorted({j["category"] for j in judgments})
    styles = [s for s in ("earlier", *NEW_STYLES) if any(style_of(j["category"]) == s for j in judgments)]
    category_rows, style_rows = [], []
    for name, system in systems.items():
        per_query, by_category, by_style = evaluate(system, judgments)
        results[name] = per_query
        print(
            f"| {name} | {mean([q['ndcg'] for q in per_query]):.3f} | {mean([q['recall'] for q in per_query]):.3f} "
            f"| {mean([q['mrr'] for q in per_query]):.3f} |"
        )
        category_rows.append((name, {c: mean([s["ndcg"] for s in by_category[c]]) for c in categories}))
        style_rows.append((name, {st: by_style[st] for st in styles}))
    print("\nnDCG@10 by category\n")
    print(
        "| system | "
        + " | ".join(f"{c} ({sum(1 for j in judgments if j['category'] == c)})" for c in categories)
        + " |"
    )
    print("| --- |" + " --- |" * len(categories))
    for name, row in category_rows:
        print(f"| {name} | " + " | ".join(f"{row[c]:.3f}" for c in categories) + " |")
    print("\nBy style group: nDCG@10 / Recall@10 / MRR\n")
    print("| style group | " + " | ".join(name for name, _ in style_rows) + " |")
    print("| --- |" + " --- |" * len(style_rows))
    for st in styles:
        count = sum(1 for j in judgments if style_of(j["category"]) == st)
        cells = [
            " / ".join(f"{mean([s[m] for s in row[st]]):.3f}" for m in ("ndcg", "recall", "mrr"))
            for _, row in style_rows
        ]
        print(f"| {st} ({count}) | " + " | ".join(cells) + " |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

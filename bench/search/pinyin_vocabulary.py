"""Pinyin vocabulary build time and per-call time (search/pinyin.py, issue 16 point 3).

    .venv/bin/python bench/search/pinyin_vocabulary.py [--titles 50000] [--rounds 2000]

2. The 76 demo items: imported into a throwaway SQLite database, then the real per-process load
   (``vocabulary_get``: version check, rows read, segmentation, pinyin) is timed cold.
1. Synthetic titles: ``--titles`` titles of 3–5 common words from jieba's own dictionary plus a
   topic or two, timed through ``vocabulary_build`` (the pure part of the load; the rows are made
   in memory, so the database read is not included — it is measured in part 1 for real rows).
   Then ``pinyin_words`` and ``pinyin_suggestions`` are timed per call on that warm vocabulary.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DB = Path("/tmp/kepu-bench-pinyin.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB}")
os.environ.setdefault("SEARCH_BACKEND", "database")

import django  # noqa: E402

django.setup()

import jieba  # noqa: E402
from django.core.management import call_command  # noqa: E402

from search import pinyin  # noqa: E402
from search.models import SearchDocument  # noqa: E402

QUERIES = ["nongyao", "xue ya", "fangnishui", "xueyagao", "zs", "fnsh", "xyg", "gaowen fangshu", "aed"]
PREFIXES = ["nongy", "fangn", "fn", "zs", "gao", "xinfei"]


def demo_load() -> tuple[int, float]:
    call_command("migrate", verbosity=0)
    if not SearchDocument.objects.exists():
        dated = Path("/tmp/kepu-bench-pinyin-demo")
        subprocess.run([sys.executable, "demo/dated.py", "demo/demo.jsonl", str(dated)], cwd=ROOT, check=True)
        call_command("import_content", str(dated / "demo.jsonl"), verbosity=0)
    pinyin._state.update(vocabulary=None, version=None, checked=0.0)
    started = time.perf_counter()
    pinyin.vocabulary_get()
    return SearchDocument.objects.count(), time.perf_counter() - started


def synthetic_documents(count: int, seed: int = 16):
    rng = random.Random(seed)
    dictionary = Path(jieba.__file__).parent / "dict.txt"
    pool = []
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        word, freq, *_ = line.split()
        if 2 <= len(word) <= 4 and int(freq) >= 500:
            pool.append(word)
    topics = rng.sample(pool, 300)
    suffixes = ["指南", "小常识", "要注意", "怎么办", "科普", "十问十答", ""]
    start = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    documents = []
    for n in range(count):
        title = "".join(rng.sample(pool, rng.randint(3, 5))) + rng.choice(suffixes)
        published = start + dt.timedelta(minutes=n * 50)
        documents.append((title, rng.sample(topics, rng.randint(1, 2)), published, title))
    documents.reverse()  # newest first, as the load reads them
    return documents, len(pool)


def per_call(fn, args, rounds: int) -> tuple[float, float]:
    times = []
    for i in range(rounds):
        arg = args[i % len(args)]
        started = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - started)
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.99)] * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=2_000)
    args = parser.parse_args()

    documents, pool = synthetic_documents(args.titles)
    extra = pinyin._dictionary_words()
    # jieba's and pypinyin's dictionaries load once per process, whatever the corpus: not counted.
    pinyin.vocabulary_build(iter(documents[:10]), extra)
    for label, rows in (
        ("all", documents),
        (f"cap {pinyin.MAX_DOCUMENTS}", documents[: pinyin.MAX_DOCUMENTS]),
    ):
        pinyin._syllables.cache_clear()
        pinyin._analysed.cache_clear()
        cpu = time.process_time()
        vocabulary = pinyin.vocabulary_build(iter(rows), extra)
        cold, cold_cpu = vocabulary.build_seconds, time.process_time() - cpu
        # A rebuild after one more page is published: the segmentation cache is warm.
        newest = ("新发布的农药安全使用指南", ["农药"], rows[0][2] + dt.timedelta(hours=1), "")
        cpu = time.process_time()
        vocabulary = pinyin.vocabulary_build(iter([newest, *rows[:-1]]), extra)
        warm_cpu = time.process_time() - cpu
        print(
            f"synthetic ({label}): {len(rows)} titles from {pool} words → {len(vocabulary.words)} vocabulary words, "
            f"first build {cold:.2f} s wall / {cold_cpu:.2f} s CPU, "
            f"rebuild after one publish {vocabulary.build_seconds:.2f} s wall / {warm_cpu:.2f} s CPU"
        )
        # Per call, on this vocabulary installed as this process's, version check not due.
        pinyin._state.update(vocabulary=vocabulary, version=None, checked=time.monotonic() + 3600)
        median, p99 = per_call(pinyin.pinyin_words, QUERIES, args.rounds)
        print(f"  pinyin_words: median {median:.3f} ms, p99 {p99:.3f} ms over {args.rounds} calls")
        median, p99 = per_call(pinyin.pinyin_suggestions, PREFIXES, args.rounds)
        print(f"  pinyin_suggestions: median {median:.3f} ms, p99 {p99:.3f} ms over {args.rounds} calls")
    for q in QUERIES:
        print(f"  {q!r} → {pinyin.pinyin_words(q)}")
    for q in PREFIXES:
        print(f"  {q!r} ⇢ {pinyin.pinyin_suggestions(q)}")

    count, seconds = demo_load()
    print(f"demo: {count} documents, cold load {seconds * 1000:.0f} ms (vocabulary_get, database included)")
    for q in QUERIES:
        print(f"  {q!r} → {pinyin.pinyin_words(q)}")
    for q in PREFIXES:
        print(f"  {q!r} ⇢ {pinyin.pinyin_suggestions(q)}")


if __name__ == "__main__":
    main()

"""Sequential HTTP latency of the search API against a running server (bounded, loopback only).

    python bench/speed/latency.py http://127.0.0.1:8766 --requests 300
Prints one JSON line: p50/p95/mean in ms for the search API, and for a baseline endpoint
(the suggest API with an empty query: Django's stack with no search work) in the same run.
"""

import argparse
import json
import random
import statistics
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


def queries():
    judged = [
        json.loads(line)
        for line in (HERE.parent / "relevance" / "judgments.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    items = [(j["query"], j.get("filters", {})) for j in judged]
    extra = [
        "安全",
        "预警",
        "老年人",
        "农业",
        "健康",
        "急救",
        "火灾 预防",
        "暴雨 出行",
        "诈骗 电话",
        "高温 作业",
    ]
    return items + [(q, {}) for q in extra]


def timed_get(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read()
        status = response.status
    return (time.perf_counter() - started) * 1000, status, body


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(7)
    pool = queries()
    for _ in range(20):  # warm up both endpoints
        timed_get(f"{args.base}/api/v1/search/?q=" + urllib.parse.quote("安全"))
        timed_get(f"{args.base}/api/v1/search/suggest/?q=")
    search, baseline, backends, counts = [], [], set(), []
    for _ in range(args.requests):
        q, filters = rng.choice(pool)
        params = {"q": q, **filters}
        ms, status, body = timed_get(f"{args.base}/api/v1/search/?" + urllib.parse.urlencode(params))
        assert status == 200, status
        data = json.loads(body)
        backends.add(data["backend"])
        counts.append(data["count"])
        search.append(ms)
        baseline.append(timed_get(f"{args.base}/api/v1/search/suggest/?q=")[0])
    print(
        json.dumps(
            {
                "backend": sorted(backends),
                "requests": len(search),
                "search_p50_ms": round(statistics.median(search), 1),
                "search_p95_ms": round(percentile(search, 95), 1),
                "search_mean_ms": round(statistics.fmean(search), 1),
                "baseline_p50_ms": round(statistics.median(baseline), 1),
                "baseline_p95_ms": round(percentile(baseline, 95), 1),
                "median_result_count": statistics.median(counts),
            }
        )
    )


if __name__ == "__main__":
    main()

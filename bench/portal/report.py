"""Summarise bench/portal/run.sh output: warm req/s per page as a share of the ceiling measured in the
same rounds, latency, and the surge.

    python bench/portal/report.py .var/bench-portal.jsonl
"""

import json
import statistics
import sys
from pathlib import Path


def main(path: str) -> None:
    rows = [
        json.loads(line)
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.startswith("{")
    ]
    wrk = [r for r in rows if r.get("phase") == "wrk"]
    ceiling = {r["round"]: r["rps"] for r in wrk if r["path"] == "/bench/ceiling"}
    print(
        "| page | req/s (median of rounds) | share of the ceiling (per round) | p50 ms | p95 ms | non-2xx |"
    )
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    for page in dict.fromkeys(r["path"] for r in wrk):
        mine = [r for r in wrk if r["path"] == page]
        shares = [r["rps"] / ceiling[r["round"]] for r in mine if ceiling.get(r["round"])]
        non_2xx = sum(n for r in mine for status, n in r["statuses"].items() if not status.startswith("2"))
        non_2xx += sum(sum(r["errors"].values()) for r in mine)
        print(
            f"| {page} | {statistics.median(r['rps'] for r in mine):.0f} | "
            f"{min(shares):.0%}–{max(shares):.0%} | {statistics.median(r['p50_ms'] for r in mine):.1f} | "
            f"{max(r['p95_ms'] for r in mine):.1f} | {non_2xx} |"
        )
    for r in rows:
        if r.get("phase") == "surge":
            print(
                f"\nSurge: {r['clients']} clients, {r['requests']} requests, {r['errors']} errors; "
                f"{r['rps_before']} req/s before the publish, {r['rps_after']} after; "
                f"{r['after_publish_showing_warning']} of {r['after_publish']} requests started after the "
                f"publish returned showed the warning ({r['share_showing']:.2%}); the import took {r['publish_s']} s."
            )


if __name__ == "__main__":
    main(sys.argv[1])

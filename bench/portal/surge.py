"""The surge: many residents on the home page and an article while another process publishes a red
warning. Prints one JSON line: requests, errors, the rate held, and of the requests that started
after the publish returned, the share that already showed the warning (target: all of them).

    python bench/portal/surge.py BASE ARTICLE_PATH --clients 32 --before 10 --after 15
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def _warning_file(title: str, slug: str) -> str:
    now = datetime.now(UTC)
    line = {
        "type": "emergency", "slug": slug, "title": title, "summary": "压测：突发化学品泄漏红色预警。",
        "body": "<p>请立即关闭门窗，听从指挥。</p>", "audiences": ["elderly"], "hazard": "chemical",
        "severity": "red", "regions": ["鄂城区"], "effective_from": (now - timedelta(minutes=1)).isoformat(),
        "expires_at": (now + timedelta(hours=2)).isoformat(), "instructions": "1. 关闭门窗\n2. 拨打 119",
    }  # fmt: skip
    handle, path = tempfile.mkstemp(suffix=".jsonl")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("article")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--before", type=float, default=10.0)
    parser.add_argument("--after", type=float, default=15.0)
    args = parser.parse_args()
    slug = f"surge-{uuid.uuid4().hex[:8]}"
    title = f"氯气泄漏红色预警 {slug[-8:]}"
    needle = title.encode()
    records = []  # (start, end, path, status or error, shows the warning)
    stop = threading.Event()

    def client(n: int) -> None:
        session = requests.Session()
        paths = ["/", args.article]
        i = n
        while not stop.is_set():
            path = paths[i % 2]
            i += 1
            started = time.monotonic()
            try:
                response = session.get(args.base + path, timeout=10)
                outcome, shows = response.status_code, needle in response.content
            except requests.RequestException as exc:
                outcome, shows = type(exc).__name__, False
                session = requests.Session()
            records.append((started, time.monotonic(), path, outcome, shows))

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(args.clients)]
    for thread in threads:
        thread.start()
    time.sleep(args.before)
    path = _warning_file(title, slug)
    publish_started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "import_content", path], cwd=ROOT, check=True, capture_output=True
    )
    published = time.monotonic()
    time.sleep(args.after)
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    os.unlink(path)

    def rate(rows, span):
        return round(len(rows) / span, 1) if span else None

    before = [r for r in records if r[1] < publish_started]
    after = [r for r in records if r[0] >= published]
    errors = [r for r in records if not isinstance(r[3], int) or r[3] >= 500]
    shown = [r for r in after if r[4]]
    print(json.dumps({
        "phase": "surge", "clients": args.clients, "requests": len(records), "errors": len(errors),
        "publish_s": round(published - publish_started, 2),
        "rps_before": rate(before, args.before), "rps_after": rate(after, args.after),
        "after_publish": len(after), "after_publish_showing_warning": len(shown),
        "share_showing": round(len(shown) / len(after), 4) if after else None,
        "not_showing_paths": sorted({r[2] for r in after if not r[4]}),
    }, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()

"""HTTP client side of the screen-feed benchmark (stdlib only; wrk does the max-throughput runs).

    python bench/screens/client.py warm    BASE SCREENS_TSV OUT_TSV   # first build of every feed, ETags
    python bench/screens/client.py cold    BASE SCREENS_TSV [--n 300] # epoch moved → rebuild, vs warm
    python bench/screens/client.py poll    BASE SCREENS_TSV [--interval 30 --measure 60 --publish echeng]
    python bench/screens/client.py report  RESULTS_JSONL              # Markdown summary

SCREENS_TSV lines: id, token, district[, etag]. Every subcommand prints one JSON line.

``poll`` behaves like the real player (static/js/screen-player.js): each screen starts at a random
phase, sends the ETag of its last 200 (If-None-Match) on a new connection (polls are 30 s apart, a
keep-alive would have expired) and polls again ``interval`` seconds after the answer. After
``measure`` seconds it publishes an EmergencyPage for one district in a separate process
(publish_emergency.py) and keeps polling for at least one more interval, until every screen of the
district has shown the new item (or ``--max-wait``), recording when each screen first saw it.
"""

import argparse
import heapq
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


# --- helpers -----------------------------------------------------------------------------


def read_screens(path):
    screens = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            screens.append(
                {
                    "id": int(parts[0]),
                    "token": parts[1],
                    "district": parts[2],
                    "etag": parts[3] if len(parts) > 3 else "",
                }
            )
    if not screens:
        sys.exit(f"{path}: no screens")
    return screens


def percentile(values, p):
    """Nearest-rank percentile (the same definition for every figure in the report)."""
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(-(-p * len(values) // 100)) - 1))]


def summary_ms(values):
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 50) * 1000, 1),
        "p95_ms": round(percentile(values, 95) * 1000, 1),
        "p99_ms": round(percentile(values, 99) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
        "mean_ms": round(statistics.fmean(values) * 1000, 1),
    }


def get_feed(base, screen, *, etag="", timeout=30):
    """(status, etag, body, seconds) for one poll on a fresh connection."""
    url = urllib.parse.urlsplit(base)
    headers = {"Authorization": f"Bearer {screen['token']}", "Connection": "close"}
    if etag:
        headers["If-None-Match"] = etag
    started = time.perf_counter()
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        conn.request("GET", f"/api/v1/screens/{screen['id']}/feed", headers=headers)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, response.getheader("ETag") or "", body, time.perf_counter() - started


def emit(result):
    result["loadavg"] = [round(x, 2) for x in os.getloadavg()]  # the machine is shared: say how busy
    print(json.dumps(result, ensure_ascii=False), flush=True)


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.screens.settings")
    import django

    django.setup()


# --- warm: first build of every feed ------------------------------------------------------


def cmd_warm(args):
    screens = read_screens(args.screens)
    results = [None] * len(screens)

    def one(i):
        status, etag, body, seconds = get_feed(args.base, screens[i])
        results[i] = (status, etag, len(body), seconds)

    started = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(one, range(len(screens))))
    elapsed = time.perf_counter() - started
    bad = [(screens[i]["id"], r[0]) for i, r in enumerate(results) if r[0] != 200 or not r[1]]
    if bad:
        sys.exit(f"warm-up: {len(bad)} feeds failed, first: {bad[:5]}")
    Path(args.out).write_text(
        "".join(
            f"{s['id']}\t{s['token']}\t{s['district']}\t{r[1]}\n"
            for s, r in zip(screens, results, strict=True)
        ),
        encoding="utf-8",
    )
    sizes = [r[2] for r in results]
    emit(
        {
            "phase": "warm",
            "screens": len(screens),
            "concurrency": args.concurrency,
            "seconds": round(elapsed, 1),
            "feeds_per_s": round(len(screens) / elapsed, 1),
            "body_bytes_p50": int(statistics.median(sizes)),
            "body_bytes_max": max(sizes),
            "distinct_etags": len({r[1] for r in results}),
            "latency": summary_ms([r[3] for r in results]),
        }
    )


# --- cold: a 200 right after the epoch moved ------------------------------------------------


def cmd_cold(args):
    django_setup()
    from feeds.screens import feed_cache

    screens = read_screens(args.screens)
    sample = random.Random(11).sample(screens, min(args.n, len(screens)))
    cold, warm = [], []
    feed_cache.screens_invalidate_all()  # a cold start (or a privacy change): every feed is stale
    for screen in sample:
        status, _, _, seconds = get_feed(args.base, screen)  # cache miss → full playlist rebuild
        if status != 200:
            sys.exit(f"cold: screen {screen['id']} answered {status}")
        cold.append(seconds)
        status, _, _, seconds = get_feed(args.base, screen)  # the same feed again, now cached
        warm.append(seconds)
    emit(
        {
            "phase": "cold",
            "screens": len(sample),
            "note": "one client, sequential; each screen: GET after the epoch moved, then GET again",
            "cold_200": summary_ms(cold),
            "warm_200": summary_ms(warm),
        }
    )


# --- poll: 1,000 screens every 30 s, with an emergency published mid-run ------------------------


class Poller:
    """Each screen polls, waits ``interval`` after the answer, polls again: static/js/screen-player.js.

    One thread per screen in flight at most (a pool as large as the fleet), so an overloaded server
    slows the screens down exactly as it would slow real players, and nothing queues in the client.
    """

    def __init__(self, base, screens, *, interval):
        self.base = base
        self.screens = screens
        self.interval = interval
        self.pool = ThreadPoolExecutor(len(screens))
        self.lock = threading.Condition()
        self.heap = []
        self.in_flight = 0
        self.records = []  # (scheduled, started, finished, status, screen index, error)
        self.first_seen = {}  # (screen index, item id) -> (finished, takeover)

    def poll(self, index, scheduled):
        screen = self.screens[index]
        started = time.time()
        try:
            status, etag, body, _ = get_feed(self.base, screen, etag=screen["etag"], timeout=300)
            error = ""
        except Exception as exc:  # noqa: BLE001 - a failed poll is a result, not a crash
            status, etag, body, error = 0, "", b"", f"{type(exc).__name__}: {exc}"
        finished = time.time()
        seen = []
        if status == 200:
            screen["etag"] = etag
            data = json.loads(body)
            seen = [(item["id"], item["takeover"]) for item in data["items"]]
        with self.lock:
            self.records.append((scheduled, started, finished, status, index, error))
            for item_id, takeover in seen:
                self.first_seen.setdefault((index, item_id), (finished, takeover))
            heapq.heappush(self.heap, (finished + self.interval, index))
            self.in_flight -= 1
            self.lock.notify()

    def run(self, t0, done):
        """Poll until ``done(now)`` is true, then wait for the polls in flight."""
        rng = random.Random(5)
        with self.lock:
            self.heap = [(t0 + rng.uniform(0, self.interval), i) for i in range(len(self.screens))]
            heapq.heapify(self.heap)
            while not done(time.time()):
                now = time.time()
                if self.heap and self.heap[0][0] <= now:
                    when, index = heapq.heappop(self.heap)
                    self.in_flight += 1
                    self.pool.submit(self.poll, index, when)
                else:
                    wait = self.heap[0][0] - now if self.heap else 0.5
                    self.lock.wait(min(wait, 0.5))
        self.pool.shutdown(wait=True)


def window_stats(records, start, end):
    """Polls scheduled in [start, end): latency = answer time − scheduled time (what the screen sees)."""
    rows = [r for r in records if start <= r[0] < end]
    statuses = {}
    for r in rows:
        statuses[str(r[3])] = statuses.get(str(r[3]), 0) + 1
    ok = [r for r in rows if r[3] in (200, 304)]
    return {
        "from_s": round(start, 1),
        "to_s": round(end, 1),
        "requests": len(rows),
        "rps": round(len(rows) / (end - start), 1) if end > start else None,
        "statuses": statuses,
        "errors": sorted({r[5] for r in rows if r[5]})[:3],
        "latency": summary_ms([r[2] - r[0] for r in ok]),
        "latency_304": summary_ms([r[2] - r[0] for r in ok if r[3] == 304]),
        "latency_200": summary_ms([r[2] - r[0] for r in ok if r[3] == 200]),
        "max_dispatch_lag_ms": round(max((r[1] - r[0] for r in rows), default=0) * 1000, 1),
    }


def _publish_later(args, at, publish):
    """At time ``at``, publish the emergency from another process; its report goes into ``publish``."""
    time.sleep(max(0, at - time.time()))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.screens.settings"}
    proc = subprocess.run(
        [sys.executable, str(HERE / "publish_emergency.py"), args.publish],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        publish["error"] = (proc.stderr.strip().splitlines() or ["publisher failed"])[-1]
    else:
        publish.update(json.loads(proc.stdout.strip().splitlines()[-1]))


def _poll_done(args, poller, affected, publish, now):
    """Stop polling once every affected screen saw the takeover (or on failure or time-out)."""
    if "error" in publish:
        return True
    if "page_id" not in publish:
        return False
    since = now - publish["t_publish"]
    if since < args.interval + args.slack:  # at least one full interval after the publish
        return False
    if since >= args.max_wait:
        return True
    return all(poller.first_seen.get((i, publish["page_id"]), (0, False))[1] for i in affected)


def cmd_poll(args):
    screens = read_screens(args.screens)
    if not all(s["etag"] for s in screens):
        sys.exit("poll: the screens file needs ETags (run the warm phase first)")
    poller = Poller(args.base, screens, interval=args.interval)
    affected = [i for i, s in enumerate(screens) if s["district"] == args.publish]
    publish = {}
    t0 = time.time() + 0.5

    thread = threading.Thread(target=_publish_later, args=(args, t0 + args.measure, publish), daemon=True)
    thread.start()
    poller.run(t0, lambda now: _poll_done(args, poller, affected, publish, now))
    thread.join()
    if "error" in publish:
        sys.exit(f"poll: publishing the emergency failed: {publish['error']}")

    rel = [(r[0] - t0, r[1] - t0, r[2] - t0, *r[3:]) for r in poller.records]
    t_pub = publish["t_publish"] - t0
    page_id = publish["page_id"]
    delays, missing = [], 0
    for i in affected:
        seen = poller.first_seen.get((i, page_id))
        if seen and seen[1]:
            delays.append(seen[0] - publish["t_publish"])
        else:
            missing += 1
    # "Within one poll": the first poll each screen sent after publish() returned already had it.
    first_after = {}
    for r in sorted(poller.records, key=lambda r: r[1]):
        if r[1] >= publish["t_published"]:
            first_after.setdefault(r[4], r)
    on_first_poll = sum(
        1
        for i in affected
        if i in first_after
        and (seen := poller.first_seen.get((i, page_id)))
        and seen[1]
        and seen[0] <= first_after[i][2]
    )
    elsewhere = [i for i in range(len(screens)) if screens[i]["district"] != args.publish]
    last = max(r[2] for r in rel)
    emit(
        {
            "phase": "poll",
            "screens": len(screens),
            "interval_s": args.interval,
            "offered_rps": round(len(screens) / args.interval, 1),
            "steady": window_stats(rel, 0, t_pub),
            "after_publish": window_stats(rel, t_pub, t_pub + args.interval),
            "after_publish_rest": window_stats(rel, t_pub + args.interval, last),
            "publish": {k: v for k, v in publish.items() if not k.startswith("t_")},
            "propagation": {
                "district": args.publish,
                "affected_screens": len(affected),
                "saw_takeover": len(delays),
                "missing": missing,
                "on_first_poll_after_publish": on_first_poll,
                "p50_s": round(percentile(delays, 50), 2) if delays else None,
                "p95_s": round(percentile(delays, 95), 2) if delays else None,
                "max_s": round(max(delays), 2) if delays else None,
                "other_district_screens_with_item": sum(
                    1 for i in elsewhere if (i, page_id) in poller.first_seen
                ),
                "other_district_screens_with_takeover": sum(
                    1 for i in elsewhere if poller.first_seen.get((i, page_id), (0, False))[1]
                ),
            },
        }
    )


# --- report ---------------------------------------------------------------------------------


def wrk_merge(rounds):
    """One row from several wrk rounds: rate over the summed time, percentiles as the median round."""
    statuses, errors = {}, 0
    for r in rounds:
        for k, v in r["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
        errors += sum(r["errors"].values())
    merged = {
        "rounds": len(rounds),
        "requests": sum(r["requests"] for r in rounds),
        "seconds": sum(r["duration_s"] for r in rounds),
        "statuses": statuses,
        "socket_errors": errors,
        "loadavg_1m": [r["loadavg"][0] for r in rounds],
    }
    merged["rps"] = merged["requests"] / merged["seconds"]
    for key in ("p50_ms", "p95_ms", "p99_ms"):
        merged[key] = statistics.median(r[key] for r in rounds)
    return merged


def _report_wrk(rows):
    """The wrk table and its ratios against the ceiling."""
    wrk = {}
    for r in rows:
        if r["phase"].startswith("wrk-"):
            wrk.setdefault(r["phase"][4:], []).append(r)
    out = []
    merged = {mode: wrk_merge(rounds) for mode, rounds in wrk.items()}
    ceiling, r304, r200 = merged.get("ceiling"), merged.get("304"), merged.get("200")
    if merged:
        conns = rows[[r["phase"] for r in rows].index("wrk-ceiling")]["connections"] if ceiling else "?"
        out.append(
            f"\nwrk, {conns} connections, {len(wrk.get('ceiling', []))} interleaved rounds "
            "(requests/s over all rounds; latency: median of the rounds)\n"
        )
        out.append("| run | requests/s | p50 | p95 | p99 | statuses | load avg (1 min) |")
        out.append("| --- | --- | --- | --- | --- | --- | --- |")
    rows_out = (
        ("(a) ceiling view", ceiling),
        ("(b) feed, 304 path", r304),
        ("(c) feed, 200 path (warm)", r200),
    )
    for name, r in rows_out:
        if r:
            statuses = ", ".join(f"{k}: {v:,}" for k, v in sorted(r["statuses"].items()))
            if r["socket_errors"]:
                statuses += f", socket errors: {r['socket_errors']}"
            out.append(
                f"| {name} | {r['rps']:,.0f} | {r['p50_ms']:.1f} ms | {r['p95_ms']:.1f} ms | {r['p99_ms']:.1f} ms "
                f"| {statuses} | {min(r['loadavg_1m']):.1f}–{max(r['loadavg_1m']):.1f} |"
            )
    if ceiling and r304:
        ratio = r304["rps"] / ceiling["rps"]
        per_round = [
            b["requests"] / b["duration_s"] / (a["requests"] / a["duration_s"])
            for a, b in zip(wrk["ceiling"], wrk["304"], strict=False)
        ]
        out.append(
            f"\n304 ÷ ceiling = {ratio:.0%} (rounds: {', '.join(f'{x:.0%}' for x in per_round)}; "
            f"target ≥ 50 %: {'met' if ratio >= 0.5 else 'NOT met'})"
        )
    if ceiling and r200:
        out.append(f"200 ÷ ceiling = {r200['rps'] / ceiling['rps']:.0%}")
    if r200:
        out.append(
            f"200 path p95 at saturation = {r200['p95_ms']:.1f} ms (target < 50 ms: {'met' if r200['p95_ms'] < 50 else 'NOT met'})"
        )
    return out


def _report_phases(by):
    """The warm-up, cold/warm 200 path and polling phases, one paragraph each."""
    out = []
    warm = by.get("warm")
    if warm:
        out.append(
            f"warm-up (first build of {warm['screens']} feeds, {warm['concurrency']} clients): {warm['seconds']} s, "
            f"{warm['feeds_per_s']} feeds/s, body {warm['body_bytes_p50']:,} bytes (median)"
        )
    cold = by.get("cold")
    if cold:
        c, w = cold["cold_200"], cold["warm_200"]
        out.append(
            f"200 path, one client, sequential ({cold['screens']} screens): cold (epoch just moved) "
            f"p50 {c['p50_ms']} ms, p95 {c['p95_ms']} ms, max {c['max_ms']} ms; "
            f"warm p50 {w['p50_ms']} ms, p95 {w['p95_ms']} ms (target p95 < 50 ms: "
            f"warm {'met' if w['p95_ms'] < 50 else 'NOT met'}, cold {'met' if c['p95_ms'] < 50 else 'NOT met'})"
        )
    poll = by.get("poll")
    if poll:
        s, a, p = poll["steady"], poll["after_publish"], poll["propagation"]
        out.append(
            f"steady state ({poll['screens']} screens / {poll['interval_s']} s = {poll['offered_rps']} req/s offered): "
            f"{s['requests']} polls at {s['rps']} req/s, p50 {s['latency'].get('p50_ms')} ms, "
            f"p95 {s['latency'].get('p95_ms')} ms, p99 {s['latency'].get('p99_ms')} ms, statuses {s['statuses']}"
        )
        for label, w in (
            ("interval after the publish", a),
            ("after that, until propagation ended", poll["after_publish_rest"]),
        ):
            if w["requests"]:
                out.append(
                    f"{label}: {w['requests']} polls, p50 {w['latency'].get('p50_ms')} ms, "
                    f"p95 {w['latency'].get('p95_ms')} ms, p99 {w['latency'].get('p99_ms')} ms, "
                    f"max {w['latency'].get('max_ms')} ms, statuses {w['statuses']}"
                )
        first = p.get("on_first_poll_after_publish")
        ok = p["missing"] == 0 and first == p["affected_screens"]
        out.append(
            f"emergency propagation ({p['district']}, {p['affected_screens']} screens): "
            f"{p['saw_takeover']} saw it, {first} on their first poll after the publish "
            f"(target: all, within one {poll['interval_s']} s poll interval: {'met' if ok else 'NOT met'}); "
            f"delay from publish p50 {p['p50_s']} s, p95 {p['p95_s']} s, max {p['max_s']} s; publish call "
            f"{poll['publish'].get('publish_ms')} ms; other districts' screens showing it: "
            f"{p['other_district_screens_with_item']}"
        )
    return out


def cmd_report(args):
    rows = [
        json.loads(line)
        for line in Path(args.results).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    by = {r["phase"]: r for r in rows}
    out = []
    machine = by.get("machine")
    if machine:
        out.append(
            f"{machine['cores']} cores, {machine['python']}, gunicorn {machine['gunicorn']}, Redis cache, SQLite; "
            f"load average before the run {machine['loadavg_before']}"
        )
    out += _report_wrk(rows)
    out += _report_phases(by)
    print("\n".join(out))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("warm")
    p.add_argument("base")
    p.add_argument("screens")
    p.add_argument("out")
    p.add_argument("--concurrency", type=int, default=4)
    p = sub.add_parser("cold")
    p.add_argument("base")
    p.add_argument("screens")
    p.add_argument("--n", type=int, default=300)
    p = sub.add_parser("poll")
    p.add_argument("base")
    p.add_argument("screens")
    p.add_argument("--interval", type=float, default=30)
    p.add_argument("--measure", type=float, default=60, help="seconds of polling before the publish")
    p.add_argument("--slack", type=float, default=5)
    p.add_argument("--publish", default="echeng", help="district of the emergency")
    p.add_argument(
        "--max-wait", type=float, default=400, help="give up on propagation after this many seconds"
    )
    p = sub.add_parser("report")
    p.add_argument("results")
    args = parser.parse_args()
    {"warm": cmd_warm, "cold": cmd_cold, "poll": cmd_poll, "report": cmd_report}[args.cmd](args)


if __name__ == "__main__":
    main()

"""Fault tests on the rehearsal stack (deploy/rehearsal.sh): a bounded load over loopback while one
fault at a time is injected; one JSON line per fault in OUT and a summary table.

    python bench/faults/client.py run OUT.jsonl      (bench/faults/run.sh starts it)
    python bench/faults/client.py report OUT.jsonl

The load: LOAD_THREADS threads, each sending searches (API and page), portal pages and screen feed
polls in turn through nginx, every request with a 10 s timeout; at most MAX_REQUESTS in all.
A request *failed* when it got a 5xx or no answer (connection error, timeout); 4xx never happen
here and would be counted apart. Faults, in order:

  es-kill     SIGKILL Elasticsearch, publish pages while it is down, start it again
  es-hang     SIGSTOP Elasticsearch for ES_HANG_SECONDS, publish pages meanwhile, SIGCONT
  redis-kill  SIGKILL Redis for REDIS_DOWN_SECONDS, start it again (empty)
  redis-hang  SIGSTOP Redis for REDIS_HANG_SECONDS (it keeps its data), import a red warning for the
              screen's district meanwhile (its invalidation is lost), SIGCONT; lost if the screen
              still shows the old playlist LOST_DEADLINE seconds after Redis is back
  worker-kill SIGKILL the task worker (run_worker) while a WeChat push (to tests/feeds/wechat/fake_server.py) runs;
              deploy/supervise.sh starts it again
  pg-restart  pg_ctl restart -m fast, gunicorn left alone
  db-lock     LOCK TABLE wagtailcore_page IN ACCESS EXCLUSIVE MODE held for DB_LOCK_SECONDS

Lost updates: pages published during a search engine outage that are not in Elasticsearch
(GET <index>/_doc/<page id>) once it is back and LOST_DEADLINE seconds have passed; for the
worker, a push that did not end 已发布 exactly once (one draft/add, one freepublish/submit).
"""

import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.feeds.wechat.fake_server import FakeWeChat  # noqa: E402 - after the path is set

WORK = Path(os.environ.get("REHEARSAL_DIR", ROOT / ".var" / "rehearsal"))
RUN = WORK / "run"
PY = str(ROOT / ".venv" / "bin" / "python")
THREADS = int(os.environ.get("LOAD_THREADS", "4"))
MAX_REQUESTS = int(os.environ.get("MAX_REQUESTS", "200000"))
ES_DOWN = float(os.environ.get("ES_DOWN_SECONDS", "20"))
ES_HANG = float(os.environ.get("ES_HANG_SECONDS", "20"))
REDIS_DOWN = float(os.environ.get("REDIS_DOWN_SECONDS", "15"))
REDIS_HANG = float(os.environ.get("REDIS_HANG_SECONDS", "15"))
DB_LOCK = float(os.environ.get("DB_LOCK_SECONDS", "10"))
LOST_DEADLINE = float(os.environ.get("LOST_DEADLINE", "60"))
DRAFT_HOLD = float(os.environ.get("DRAFT_HOLD_SECONDS", "5"))
QUIET = float(os.environ.get("QUIET_SECONDS", "5"))  # load before and after each fault
WECHAT_APP_ID, WECHAT_SECRET = "wx_rehearsal", "rehearsal-secret"

SEARCH_WORDS = ["防诈", "火灾", "暴雨", "燃气", "地震", "中暑", "寒潮", "溺水"]
PAGES = ["/", "/articles/", "/emergency/", "/videos/", "/feeds/"]


def log(message: str) -> None:
    print(f"faults: {message}", file=sys.stderr, flush=True)


def stack_env() -> dict:
    env = dict(os.environ)
    for line in (WORK / "env").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            env[key] = value
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}:{env['PATH']}"
    env["LOG_LEVEL"] = "WARNING"
    return env


def manage(*args, input_text=None, timeout=120) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=stack_env(), input=input_text, capture_output=True,
        text=True, timeout=timeout,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    return result.stdout


def shell(code: str) -> str:
    return manage("shell", "-c", code).strip()


def pid_of(name: str) -> int:
    return int((RUN / f"{name}.pid").read_text().strip())


def rehearsal(*args) -> None:
    subprocess.run(["bash", "deploy/rehearsal.sh", *args], cwd=ROOT, check=True, stdout=sys.stderr)


# --- load ----------------------------------------------------------------------------------------


class Load:
    """Threads sending requests until stopped; every request is recorded (time, kind, outcome)."""

    def __init__(self, base: str, screen_id: int, token: str):
        self.base = base
        self.targets = []
        for i, word in enumerate(SEARCH_WORDS):
            path = "/api/v1/search/" if i % 2 else "/search/"
            self.targets.append(("search", path, {"q": word}, {}))
        for path in PAGES:
            self.targets.append(("page", path, None, {}))
        feed = (f"/api/v1/screens/{screen_id}/feed", {"Authorization": f"Bearer {token}"})
        self.targets += [("screen", feed[0], None, feed[1])] * 4
        self.records: list[tuple] = []  # (start, kind, outcome, latency): outcome = status or error name
        self._stop = threading.Event()
        self._threads = []

    def start(self):
        for n in range(THREADS):
            thread = threading.Thread(target=self._run, args=(n,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=15)

    def _run(self, n: int):
        session = requests.Session()
        i = n
        while not self._stop.is_set() and len(self.records) < MAX_REQUESTS:
            kind, path, params, headers = self.targets[i % len(self.targets)]
            i += 1
            started = time.monotonic()
            try:
                response = session.get(self.base + path, params=params, headers=headers, timeout=10)
                outcome = response.status_code
            except requests.RequestException as exc:
                outcome = type(exc).__name__
                session = requests.Session()
            self.records.append((started, kind, outcome, time.monotonic() - started))
            time.sleep(0.02)

    def window(self, t0: float, t1: float) -> dict:
        rows = [r for r in list(self.records) if t0 <= r[0] < t1]
        out = {"tried": len(rows), "failed": 0, "client_errors": 0, "by_kind": {}, "outcomes": {}}
        for kind in ("search", "page", "screen"):
            mine = [r for r in rows if r[1] == kind]
            failed = [r for r in mine if not isinstance(r[2], int) or r[2] >= 500]
            latencies = sorted(r[3] for r in mine)
            out["by_kind"][kind] = {
                "tried": len(mine),
                "failed": len(failed),
                "p50_ms": round(statistics.median(latencies) * 1000) if latencies else None,
                "max_ms": round(latencies[-1] * 1000) if latencies else None,
            }
            out["failed"] += len(failed)
        for r in rows:
            out["outcomes"][str(r[2])] = out["outcomes"].get(str(r[2]), 0) + 1
            if isinstance(r[2], int) and 400 <= r[2] < 500:
                out["client_errors"] += 1
        failures = [r[0] for r in rows if not isinstance(r[2], int) or r[2] >= 500]
        out["failures_span_s"] = round(failures[-1] - failures[0], 1) if failures else 0.0
        out["last_failure_at_s"] = round(failures[-1] - t0, 1) if failures else None
        return out


# --- helpers for the faults ------------------------------------------------------------------------


def publish_articles(tag: str, n: int = 3) -> list[int]:
    """Publish n new articles through import_content (another process); their page ids."""
    folder = WORK / "faults"
    folder.mkdir(exist_ok=True)
    slugs = [f"fault-{tag}-{uuid.uuid4().hex[:8]}" for _ in range(n)]
    lines = [
        {
            "type": "article",
            "slug": slug,
            "title": f"故障演练{tag}第{i + 1}篇 {slug}",
            "summary": "故障演练期间发布的文章，用来检查搜索引擎恢复后能否搜到。",
            "body": "<p>故障演练期间发布的文章。</p>",
            "audiences": ["elderly"],
        }
        for i, slug in enumerate(slugs)
    ]
    path = folder / f"{slugs[0]}.jsonl"
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    manage("import_content", str(path))
    ids = shell(
        "from wagtail.models import Page; import json;"
        f"print(json.dumps(list(Page.objects.filter(slug__in={slugs!r}).values_list('pk', flat=True))))"
    )
    return json.loads(ids.splitlines()[-1])


def es_has(page_id: int) -> bool:
    env = stack_env()
    index = env["ELASTICSEARCH_INDEX_PREFIX"] + "search_searchdocument"
    try:
        return (
            requests.get(f"{env['ELASTICSEARCH_URL']}/{index}/_doc/{page_id}", timeout=5).status_code == 200
        )
    except requests.RequestException:
        return False


def es_healthy() -> bool:
    try:
        return requests.get(stack_env()["ELASTICSEARCH_URL"] + "/_cluster/health", timeout=3).ok
    except requests.RequestException:
        return False


def wait_replayed(page_ids: list[int], since: float) -> tuple[int, float | None]:
    """(lost, seconds from ``since`` until every page was in Elasticsearch)."""
    deadline = time.monotonic() + LOST_DEADLINE
    while time.monotonic() < deadline:
        missing = [pk for pk in page_ids if not es_has(pk)]
        if not missing:
            return 0, round(time.monotonic() - since, 1)
        time.sleep(1)
    return len([pk for pk in page_ids if not es_has(pk)]), None


def first_success_after(load: Load, t: float, kinds=("page", "search", "screen")) -> float | None:
    """Seconds from t until every kind answered below 500 again (after its last failure)."""
    worst = 0.0
    for kind in kinds:
        rows = [r for r in list(load.records) if r[0] >= t and r[1] == kind]
        failed = [r[0] + r[3] for r in rows if not isinstance(r[2], int) or r[2] >= 500]
        if not failed:
            continue
        after = [
            r[0] + r[3] for r in rows if isinstance(r[2], int) and r[2] < 500 and r[0] > max(failed) - 1e-9
        ]
        if not after:
            return None
        worst = max(worst, min(after) - t)
    return round(worst, 1)


# --- the faults ------------------------------------------------------------------------------------


def fault_es_kill(load: Load) -> dict:
    t0 = time.monotonic()
    os.kill(pid_of("es"), signal.SIGKILL)
    ids = publish_articles("eskill")
    time.sleep(max(0.0, ES_DOWN - (time.monotonic() - t0)))
    back = time.monotonic()
    rehearsal("es-start")
    lost, replay = wait_replayed(ids, back)
    return {"published_during": len(ids), "lost_updates": lost, "replayed_after_s": replay,
            "down_s": round(back - t0, 1), "t0": t0, "recovered": back}  # fmt: skip


def fault_es_hang(load: Load) -> dict:
    pid = pid_of("es")
    t0 = time.monotonic()
    os.kill(pid, signal.SIGSTOP)
    try:
        ids = publish_articles("eshang")
        time.sleep(max(0.0, ES_HANG - (time.monotonic() - t0)))
    finally:
        os.kill(pid, signal.SIGCONT)
    back = time.monotonic()
    lost, replay = wait_replayed(ids, back)
    return {"published_during": len(ids), "lost_updates": lost, "replayed_after_s": replay,
            "down_s": round(back - t0, 1), "t0": t0, "recovered": back}  # fmt: skip


def fault_redis_kill(load: Load) -> dict:
    t0 = time.monotonic()
    os.kill(pid_of("redis"), signal.SIGKILL)
    time.sleep(REDIS_DOWN)
    back = time.monotonic()
    rehearsal("redis-start")
    return {"lost_updates": 0, "down_s": round(back - t0, 1), "t0": t0, "recovered": back}


def import_red_warning(tag: str, district_name: str = "鄂城区") -> str:
    """Import (another process) a red warning in force for two minutes; its title."""
    folder = WORK / "faults"
    folder.mkdir(exist_ok=True)
    slug = f"fault-{tag}-{uuid.uuid4().hex[:8]}"
    title = f"故障演练红色预警 {slug}"
    now = time.time()
    iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t))  # noqa: E731
    line = {
        "type": "emergency", "slug": slug, "title": title, "summary": "故障演练期间发布的预警。",
        "body": "<p>故障演练。</p>", "audiences": ["elderly"], "hazard": "chemical", "severity": "red",
        "regions": [district_name], "effective_from": iso(now - 60), "expires_at": iso(now + 120),
        "instructions": "1. 关闭门窗",
    }  # fmt: skip
    path = folder / f"{slug}.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    manage("import_content", str(path))
    return title


def fault_redis_hang(load: Load, screen: tuple) -> dict:
    base, screen_id, token = screen
    feed = f"{base}/api/v1/screens/{screen_id}/feed"
    headers = {"Authorization": f"Bearer {token}"}
    etag = requests.get(feed, headers=headers, timeout=10).headers.get("ETag")
    pid = pid_of("redis")
    t0 = time.monotonic()
    os.kill(pid, signal.SIGSTOP)
    try:
        title = import_red_warning("redishang")
        time.sleep(max(0.0, REDIS_HANG - (time.monotonic() - t0)))
    finally:
        os.kill(pid, signal.SIGCONT)
    back = time.monotonic()
    current_after, polls = None, {"304": 0, "200 without it": 0}
    while time.monotonic() < back + LOST_DEADLINE:
        response = requests.get(feed, headers={**headers, "If-None-Match": etag or ""}, timeout=10)
        if response.status_code == 200 and (response.json().get("items") or [{}])[0].get("title") == title:
            current_after = round(time.monotonic() - back, 1)
            break
        polls["304" if response.status_code == 304 else "200 without it"] += 1
        time.sleep(1)
    return {"lost_updates": 0 if current_after is not None else 1, "screen_current_after_s": current_after,
            "stale_polls_after_resume": polls, "down_s": round(back - t0, 1), "t0": t0,
            "recovered": back}  # fmt: skip


class SlowDraftWeChat(FakeWeChat):
    """The fake WeChat API, answering the first draft/add only after DRAFT_HOLD seconds (the draft is
    made at once, as WeChat would have made it before a lost answer)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft_added = threading.Event()

    def _dispatch(self, method, target, headers, body):
        answer = super()._dispatch(method, target, headers, body)
        if target.startswith("/cgi-bin/draft/add") and not self.draft_added.is_set():
            self.draft_added.set()
            time.sleep(DRAFT_HOLD)
        return answer


def fault_worker_kill(load: Load, fake: SlowDraftWeChat) -> dict:
    slug_ids = publish_articles("wechat", n=1)
    out = shell(
        "from wagtail.models import Page; from feeds.wechat.services import wechat_push_request;"
        f"push, queued = wechat_push_request(Page.objects.get(pk={slug_ids[0]}).specific, publish=True);"
        "print(push.pk, queued)"
    )
    push_id = int(out.split()[-2])
    # Killed while waiting for WeChat's answer to draft/add: WeChat has made the draft, the worker
    # has not recorded it. The hardest moment for "exactly once".
    if not fake.draft_added.wait(60):
        raise RuntimeError("the worker never called draft/add")
    time.sleep(0.5)
    mid = ("/cgi-bin/draft/add", "/cgi-bin/freepublish/submit", "/cgi-bin/freepublish/get")
    calls_at_kill = {path.split("/cgi-bin/")[1]: len(fake.calls(path)) for path in mid}
    t0 = time.monotonic()
    killed = pid_of("worker")
    os.kill(killed, signal.SIGKILL)
    status, task_status = "?", "?"
    deadline = time.monotonic() + LOST_DEADLINE
    restarted = None
    while time.monotonic() < deadline:
        if restarted is None and (RUN / "worker.pid").exists() and pid_of("worker") != killed:
            restarted = round(time.monotonic() - t0, 1)
        status, task_status = shell(
            "from feeds.wechat.models import WeChatPush; from django_tasks_db.models import DBTaskResult;"
            f"p = WeChatPush.objects.get(pk={push_id});"
            "t = DBTaskResult.objects.filter(task_path__contains='wechat').order_by('-enqueued_at').first();"
            "print(p.status, t.status if t else '-')"
        ).split()[-2:]
        if status in ("published", "failed"):
            break
        time.sleep(2)
    drafts = len(fake.calls("/cgi-bin/draft/add"))
    submits = len(fake.calls("/cgi-bin/freepublish/submit"))
    once = status == "published" and drafts == 1 and submits == 1
    return {
        "push_status": status, "task_status": task_status, "draft_add_calls": drafts,
        "freepublish_submit_calls": submits, "calls_at_kill": calls_at_kill,
        "worker_restarted_after_s": restarted, "completed_exactly_once": once,
        "lost_updates": 0 if once else 1, "t0": t0, "recovered": time.monotonic(),
    }  # fmt: skip


def fault_pg_restart(load: Load) -> dict:
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    t0 = time.monotonic()
    subprocess.run(  # the new postmaster must not inherit a pipe of ours (we would wait for it forever)
        ["runuser", "-u", "postgres", "--", str(pg_bin / "pg_ctl"), "-D", str(WORK / "pg" / "data"),
         "-l", str(WORK / "pg" / "postgres.log"), "-m", "fast", "-w", "restart"],
        check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    back = time.monotonic()
    time.sleep(QUIET)
    return {"lost_updates": 0, "down_s": round(back - t0, 1), "t0": t0, "recovered": back,
            "recovery_s": first_success_after(load, t0)}  # fmt: skip


def fault_db_lock(load: Load) -> dict:
    env = stack_env()
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    sql = f"BEGIN; LOCK TABLE wagtailcore_page IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep({DB_LOCK}); COMMIT;"
    t0 = time.monotonic()
    locker = subprocess.Popen(
        [str(pg_bin / "psql"), env["DATABASE_URL"], "-qc", sql], stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    released = {}
    threading.Thread(
        target=lambda: (locker.wait(), released.setdefault("at", time.monotonic())), daemon=True
    ).start()
    time.sleep(0.5)
    write_started = time.monotonic()
    try:  # a write that needs the page table: an import that publishes one article
        publish_articles("locked", n=1)
        write = "published"
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        lines = [line for line in str(exc).splitlines() if "Error" in line or "错误" in line] or ["?"]
        write = f"failed: {lines[-1].strip()[:200]}"
    write_s = round(time.monotonic() - write_started, 1)
    locker.wait(timeout=DB_LOCK + 30)
    back = released.get("at", time.monotonic())
    return {"lost_updates": 0, "locked_s": round(back - t0, 1), "import_during_lock": write,
            "import_took_s": write_s, "t0": t0, "recovered": back}  # fmt: skip


# --- driver ----------------------------------------------------------------------------------------


def machine() -> dict:
    return {
        "nproc": os.cpu_count(),
        "loadavg": [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]],
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": sys.version.split()[0],
        "threads": THREADS,
    }


def run(out_path: str) -> None:
    out = open(out_path, "w", encoding="utf-8")

    def emit(row: dict) -> None:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
        print(json.dumps(row, ensure_ascii=False), flush=True)

    fake = SlowDraftWeChat(
        app_id=WECHAT_APP_ID, app_secret=WECHAT_SECRET, publish_polls_before_done=3
    ).start()
    os.environ.update(
        WECHAT_API_BASE=fake.base_url,
        WECHAT_APP_ID=WECHAT_APP_ID,
        WECHAT_APP_SECRET=WECHAT_SECRET,
        WECHAT_PUBLISH_POLL_DELAYS="2,2,2,2,2",
        WECHAT_RETRY_DELAYS="1,2",
        SEARCH_ENGINE_RETRY_SECONDS="5",
    )
    log("restarting the rehearsal stack with the fake WeChat API at " + fake.base_url)
    rehearsal("stop")
    rehearsal("start")
    env = stack_env()
    base = env["WAGTAILADMIN_BASE_URL"]
    # The fake WeChat starts empty on every run: forget the media an earlier run's fake held, and end
    # pushes an earlier run left unfinished (they would be recovered and run against this fake).
    shell(
        "from feeds.wechat.models import WeChatImage, WeChatPush;"
        "WeChatImage.objects.all().delete();"
        "WeChatPush.objects.exclude(status__in=['published', 'failed']).update(status='failed', error='bench reset')"
    )
    created = shell(
        "from feeds.screens.services import screen_create;"
        "c = screen_create(name='故障演练大屏', district='echeng', audiences=['elderly'], group='');"
        "print(c.screen.pk, c.token)"
    ).split()
    emit({"phase": "machine", **machine(), "base": base})
    load = Load(base, int(created[-2]), created[-1])
    load.start()
    try:
        faults = [
            ("es-kill", fault_es_kill),
            ("es-hang", fault_es_hang),
            ("redis-kill", fault_redis_kill),
            ("redis-hang", lambda load: fault_redis_hang(load, (base, int(created[-2]), created[-1]))),
            ("worker-kill", lambda load: fault_worker_kill(load, fake)),
            ("pg-restart", fault_pg_restart),
            ("db-lock", fault_db_lock),
        ]
        only = [name for name in os.environ.get("FAULTS", "").split(",") if name]
        for name, inject in faults:
            if only and name not in only:
                continue
            time.sleep(QUIET)
            before = load.window(time.monotonic() - QUIET, time.monotonic())
            log(f"{name}: injecting")
            result = inject(load)
            time.sleep(QUIET)
            t0, recovered = result.pop("t0"), result.pop("recovered")
            during = load.window(t0, time.monotonic())
            recovery = result.pop("recovery_s", None)
            if recovery is None and during["failed"]:
                recovery = first_success_after(load, t0)
            emit({
                "phase": name, **result, "tried": during["tried"], "failed": during["failed"],
                "client_errors": during["client_errors"], "recovery_s": recovery if during["failed"] else 0.0,
                "window_s": round(time.monotonic() - t0, 1), "fault_s": round(recovered - t0, 1),
                "by_kind": during["by_kind"], "outcomes": during["outcomes"],
                "before": before["by_kind"], "loadavg": machine()["loadavg"],
            })  # fmt: skip
    finally:
        load.stop()
        fake.stop()
    log(f"{len(load.records)} requests in all")


def report(path: str) -> None:
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    print("| fault | requests tried | failed (5xx or no answer) | lost updates | recovery | notes |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    for row in rows:
        if row["phase"] == "machine":
            continue
        notes = []
        if "published_during" in row:
            notes.append(f"{row['published_during']} pages published during the fault, "
                         f"in Elasticsearch {row['replayed_after_s']} s after it was back")  # fmt: skip
        if "push_status" in row:
            notes.append(f"push {row['push_status']}, task {row['task_status']}, draft/add ×{row['draft_add_calls']}, "
                         f"freepublish/submit ×{row['freepublish_submit_calls']}, worker back after "
                         f"{row['worker_restarted_after_s']} s")  # fmt: skip
        if "screen_current_after_s" in row:
            notes.append(f"warning imported during the hang on the screen {row['screen_current_after_s']} s "
                         f"after Redis was back")  # fmt: skip
        if "import_during_lock" in row:
            notes.append(
                f"import during the lock: {row['import_during_lock']} after {row['import_took_s']} s"
            )
        slow = {k: v["max_ms"] for k, v in row["by_kind"].items() if v["max_ms"]}
        notes.append("max ms " + ", ".join(f"{k} {v}" for k, v in slow.items()))
        recovery = f"{row['recovery_s']} s" if row.get("recovery_s") is not None else "n/a"
        print(f"| {row['phase']} | {row['tried']} | {row['failed']} | {row['lost_updates']} | {recovery} | "
              f"{'; '.join(notes)} |")  # fmt: skip


if __name__ == "__main__":
    command, path = sys.argv[1], sys.argv[2]
    run(path) if command == "run" else report(path)

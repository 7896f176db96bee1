"""What losing a node of the secured cluster does to search and indexing (issue 18).

    make search-cluster
    .venv/bin/python bench/search/cluster_node_loss.py [--threads 4] [--before 20] [--down 60] [--after 20]

On a throwaway SQLite database with the demo content, indexed on the cluster of
`.var/es-cluster.env` (replicas 1): THREADS threads search without pause (a fixed list of citizens'
queries) while the main thread, BEFORE seconds in, stops data node 2 (`cluster.sh node-stop 2`),
publishes one page every two seconds for DOWN seconds, starts the node again and waits for green,
then lets the searches run AFTER seconds more.

A search *failed* when it raised; one answered by the database is a *fallback* (the site stays up,
but not on Elasticsearch). An update is *lost* when its page is not in the Elasticsearch index once
the cluster is green again. Prints one JSON object (the figures for docs/benchmarks.md).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV_FILE = ROOT / ".var" / "es-cluster.env"
CLUSTER = ["bash", str(ROOT / "tools" / "elasticsearch" / "cluster.sh")]
sys.path.insert(0, str(ROOT))

from tests.search.cluster_env import env_file_read  # noqa: E402 - after the path is set

QUERIES = ["中暑", "暴雨", "防诈骗", "老人摔倒", "zs", "地震怎么办", "溺水", "高血压", "台风", "农药"]


def _django_setup(workdir: Path) -> None:
    if not ENV_FILE.exists():
        sys.exit("no cluster: run `make search-cluster` first")
    os.environ.update(env_file_read(ENV_FILE))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "CACHE_DIR": str(workdir / "cache"),
            "MEDIA_ROOT": str(workdir / "media"),
            "SEARCH_BACKEND": "elasticsearch",
            "ELASTICSEARCH_INDEX_PREFIX": "kepu_bench_nodeloss_",
            "LOG_LEVEL": "ERROR",
        }
    )
    import django  # after the environment is set: settings read it at import

    django.setup()


class Searches:
    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []  # (phase, backend or "", seconds, error)
        self.phase = "before"
        self.stop = threading.Event()

    def run(self, offset: int):
        from django.db import connection

        from search.selectors import page_search

        n = offset
        while not self.stop.is_set():
            query, phase = QUERIES[n % len(QUERIES)], self.phase
            started = time.monotonic()
            try:
                backend, error = page_search(query).backend, ""
            except Exception as exc:  # noqa: BLE001 - a failed search is a result here
                backend, error = "", f"{type(exc).__name__}: {exc}"
            with self.lock:
                self.rows.append((phase, backend, time.monotonic() - started, error))
            n += 1
        connection.close()

    def summary(self, phase: str) -> dict:
        rows = [r for r in self.rows if r[0] == phase]
        took = sorted(r[2] for r in rows) or [0.0]
        return {
            "searches": len(rows),
            "on_elasticsearch": sum(r[1] == "elasticsearch" for r in rows),
            "fallback_database": sum(r[1] == "database" for r in rows),
            "failed": sum(bool(r[3]) for r in rows),
            "p50_ms": round(statistics.median(took) * 1000, 1),
            "p95_ms": round(took[int(0.95 * (len(took) - 1))] * 1000, 1),
            "errors": sorted({r[3] for r in rows if r[3]})[:3],
        }


def _cluster(*args: str) -> float:
    started = time.monotonic()
    subprocess.run([*CLUSTER, *args], cwd=ROOT, check=True, capture_output=True, timeout=600)
    return round(time.monotonic() - started, 1)


def _green(client, index: str, timeout: float = 300) -> float:
    started = time.monotonic()
    while client.cluster.health(index=index, timeout="5s")["status"] != "green":
        if time.monotonic() - started > timeout:
            raise SystemExit("the cluster did not go green again")
        time.sleep(1)
    return round(time.monotonic() - started, 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--before", type=float, default=20)
    parser.add_argument("--down", type=float, default=60)
    parser.add_argument("--after", type=float, default=20)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="kepu-nodeloss-"))
    _django_setup(workdir)

    # Django is set up only now (the cluster variables come from the env file).
    from django.core.management import call_command

    from content.models import ArticleIndexPage, ArticlePage
    from search.backends import backend_get
    from search.documents import search_document_sync
    from search.models import PendingIndexUpdate, SearchDocument

    call_command("migrate", "--noinput", verbosity=0)
    subprocess.run(
        [sys.executable, "demo/dated.py", "demo/demo.jsonl", str(workdir / "demo")], cwd=ROOT, check=True
    )
    call_command("import_content", str(workdir / "demo" / "demo.jsonl"), verbosity=0)
    call_command("search_reindex", verbosity=0)
    index = backend_get("elasticsearch").get_index_for_model(SearchDocument)
    client, index_name = index.es, index.name
    index.refresh()

    searches = Searches()
    threads = [threading.Thread(target=searches.run, args=(i,)) for i in range(args.threads)]
    for thread in threads:
        thread.start()
    time.sleep(args.before)
    searches.phase = "node down"
    stop_took = _cluster("node-stop", "2")
    published, parent = [], ArticleIndexPage.objects.get()
    end = time.monotonic() + args.down
    while time.monotonic() < end:
        page = ArticlePage(title=f"节点故障期间发布的文章 {len(published) + 1}", summary="集群演练")
        parent.add_child(instance=page)
        page.save_revision().publish()
        search_document_sync(page.pk)
        published.append(page.pk)
        time.sleep(2)
    searches.phase = "node back"
    start_took = _cluster("node-start", "2")
    green_after = _green(client, index_name)
    searches.phase = "after"
    time.sleep(args.after)
    searches.stop.set()
    for thread in threads:
        thread.join()
    index.refresh()
    lost = [pk for pk in published if not client.exists(index=index_name, id=str(pk))]
    report = {
        "threads": args.threads,
        "phases": {p: searches.summary(p) for p in ("before", "node down", "node back", "after")},
        "node_stop_s": stop_took,
        "node_start_s": start_took,
        "green_after_start_s": green_after,
        "updates_during_loss": len(published),
        "updates_queued_after": PendingIndexUpdate.objects.count(),
        "updates_lost": len(lost),
        "documents_db": SearchDocument.objects.count(),
        "documents_es": client.count(index=index_name)["count"],
    }
    # By name: Elasticsearch 8 refuses wildcard deletes.
    names = list(client.indices.get(index="kepu_bench_nodeloss_*", expand_wildcards="all"))
    if names:
        client.indices.delete(index=",".join(names))
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

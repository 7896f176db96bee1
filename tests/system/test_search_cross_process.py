"""Search state changed by another process (an import run, another web worker) is seen by a
long-running search process without a restart: new pages in search and in the pinyin vocabulary,
and the engine rest (circuit breaker) kept in the shared cache."""

import json
import subprocess
import sys
import time

import pytest

from .stack import ROOT, Stack, throwaway_database

SEARCHER = """
import sys, django
django.setup()
from search.engine_health import engine_resting
from search.selectors import page_search
for line in sys.stdin:
    query = line.strip()
    if query == "?rest":
        print("resting" if engine_resting("shared-key") else "-", flush=True)
        continue
    response = page_search(query)
    print(response.reading or "", "|", ",".join(r.title for r in response.results) or "-", flush=True)
"""


@pytest.fixture
def database_url():
    with throwaway_database() as url:
        yield url


def test_search_sees_pages_and_engine_rest_changed_by_other_processes(database_url, tmp_path):
    stack = Stack(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DATABASE_URL": database_url,
            "CACHE_DIR": str(tmp_path / "cache"),
            "SEARCH_BACKEND": "database",
            "LOG_LEVEL": "WARNING",
        }
    )
    stack.manage("migrate", "--noinput")
    demo = json.loads((ROOT / "demo" / "demo.jsonl").read_text(encoding="utf-8").splitlines()[0])
    searcher = subprocess.Popen(
        [sys.executable, "-c", SEARCHER], cwd=ROOT, env=stack.env, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip

    def ask(query: str) -> str:
        searcher.stdin.write(query + "\n")
        searcher.stdin.flush()
        return searcher.stdout.readline().strip()

    try:
        assert ask("冰雹") == "| -"
        assert ask("?rest") == "-"
        title = "冰雹天气农作物防护要点"
        stack.import_lines(
            [
                {
                    **{k: v for k, v in demo.items() if k != "cover_image"},
                    "slug": "hail-crops",
                    "title": title,
                    "body": "<p>冰雹来临前加固大棚，收获成熟作物。</p>",
                }
            ]
        )
        assert ask("冰雹") == f"| {title}"  # the new page, with no restart
        # The pinyin vocabulary is rebuilt when the corpus changes (checked at most every few seconds).
        deadline = time.monotonic() + 15
        while (answer := ask("bingbao")) != f"冰雹 | {title}" and time.monotonic() < deadline:
            time.sleep(1)
        assert answer == f"冰雹 | {title}"
        stack.shell(
            "from search.engine_health import engine_failed; engine_failed('shared-key', 'elasticsearch', Exception('down'))"
        )
        assert ask("?rest") == "resting"  # another worker's failure rests the engine here too
        stack.shell("from search.engine_health import engine_rest_end; engine_rest_end('shared-key')")
        assert ask("?rest") == "-"
    finally:
        searcher.stdin.close()
        searcher.wait(timeout=30)

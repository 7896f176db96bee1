"""A word-list edit made by another process (an editor on another web worker, a `manage.py shell`)
is used by a long-running process on its next check: no restart, no shared memory."""

import subprocess
import sys

import pytest

from .stack import ROOT, Stack, throwaway_database

CHECKER = """
import sys, django
django.setup()
from editorial.engine import Place, current_list
for _ in sys.stdin:
    hits = current_list().check([Place("body", "正文", "本品疗效显著")]).hits
    print(",".join(f"{h.term.level}:{h.term.phrase}" for h in hits) or "-", flush=True)
"""


@pytest.fixture
def database_url():
    with throwaway_database() as url:
        yield url


def test_an_edit_in_another_process_is_used_on_the_next_check(database_url, tmp_path):
    stack = Stack(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DATABASE_URL": database_url,
            "CACHE_DIR": str(tmp_path / "cache"),
            "LOG_LEVEL": "WARNING",
        }
    )
    stack.manage("migrate", "--noinput")
    checker = subprocess.Popen(
        [sys.executable, "-c", CHECKER], cwd=ROOT, env=stack.env, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip

    def check() -> str:
        checker.stdin.write("\n")
        checker.stdin.flush()
        return checker.stdout.readline().strip()

    try:
        assert check() == "-"
        stack.shell(
            "from editorial.models import WordEntry; WordEntry.objects.create(phrase='疗效显著', level='warn')"
        )
        assert check() == "warn:疗效显著"
        stack.shell(
            "from editorial.models import WordEntry; e = WordEntry.objects.get(phrase='疗效显著'); e.level = 'block'; e.save()"
        )
        assert check() == "block:疗效显著"
        stack.shell(
            "from editorial.models import WordEntry; WordEntry.objects.filter(phrase='疗效显著').delete()"
        )
        assert check() == "-"
    finally:
        checker.stdin.close()
        checker.wait(timeout=30)

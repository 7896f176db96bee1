"""A locked database makes the site slower or asks clients to retry — never a 500.

A real server process on a SQLite file (the embedded default, WAL mode); this test holds the lock
from another connection, as a long import or a stuck process would.
"""

import re
import sqlite3
import time

import pytest
import requests

from .stack import PYTHON, Stack, free_port, process

LOCK_TIMEOUT = 1  # seconds a write waits for the lock (DATABASE_LOCK_TIMEOUT)

# One server for the module (the site fixture): under xdist (--dist loadgroup) its tests stay in
# one worker instead of starting a server in each.
pytestmark = pytest.mark.xdist_group("busy-database-site")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("busy")
    db = folder / "db.sqlite3"
    stack = Stack(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DEBUG": "0",  # the public error handling, as in production
            "DATABASE_URL": f"sqlite:///{db}",
            "DATABASE_LOCK_TIMEOUT": str(LOCK_TIMEOUT),
            "CACHE_DIR": str(folder / "cache"),
            "MEDIA_ROOT": str(folder / "media"),
            "SEARCH_BACKEND": "database",
            "SEARCH_STATS_FLUSH_SECONDS": "0",
            "LOG_LEVEL": "CRITICAL",
        }
    )
    stack.manage("migrate", "--noinput", "-v0")
    screen_id, token = stack.create_screen(district="echeng")
    stack.shell(
        "from django.contrib.auth.models import User; User.objects.create_superuser('editor', '', 'pw-12345678')"
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with process(args, env=stack.env, log=folder / "server.log", ready_url=f"{base}/"):
        yield {"base": base, "db": db, "screen_id": screen_id, "token": token}


class Lock:
    """Hold SQLite's write lock (``BEGIN IMMEDIATE``) or, with ``exclusive``, every lock."""

    def __init__(self, db, *, exclusive=False):
        self.conn = sqlite3.connect(db, timeout=10, isolation_level=None)
        self.exclusive = exclusive

    def __enter__(self):
        if self.exclusive:
            self.conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            self.conn.execute("BEGIN EXCLUSIVE")
            self.conn.execute("UPDATE wagtailcore_page SET title = title WHERE id = 1")
        else:
            self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *exc):
        self.conn.execute("ROLLBACK")
        self.conn.close()


def _heartbeat(site):
    return requests.post(
        f"{site['base']}/api/v1/screens/{site['screen_id']}/heartbeat",
        json={"player_version": "t", "playing": None, "plays": [], "errors": []},
        headers={"Authorization": f"Bearer {site['token']}"},
        timeout=30,
    )


def _admin_login(site):
    session = requests.Session()
    page = session.get(f"{site['base']}/admin/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        f"{site['base']}/admin/login/",
        data={"csrfmiddlewaretoken": token, "username": "editor", "password": "pw-12345678"},
        headers={"Referer": f"{site['base']}/admin/login/"},
        allow_redirects=False,
        timeout=30,
    )


def test_reads_keep_working_while_writes_are_blocked(site):
    assert _heartbeat(site).status_code in (200, 204)  # warm: the server works unlocked
    with Lock(site["db"]):
        started = time.monotonic()
        for path in ("/", "/emergency/", "/search/?q=防汛", "/feeds/rss.xml", "/api/v1/search/?q=暴雨"):
            assert requests.get(f"{site['base']}{path}", timeout=30).status_code == 200, path
        feed = requests.get(
            f"{site['base']}/api/v1/screens/{site['screen_id']}/feed",
            headers={"Authorization": f"Bearer {site['token']}"},
            timeout=30,
        )
        assert feed.status_code == 200
        assert time.monotonic() - started < 20

        heartbeat = _heartbeat(site)
        assert heartbeat.status_code == 503
        assert heartbeat.headers["Retry-After"] == "5"
        assert heartbeat.json() == {"error": "系统繁忙，请稍后重试"}

        login = _admin_login(site)
        assert login.status_code == 503
        assert "系统繁忙" in login.text and login.headers["Retry-After"]
    assert _heartbeat(site).status_code in (200, 204)  # and it recovers by itself
    assert _admin_login(site).status_code == 302


def test_an_exclusively_locked_database_answers_503_not_500(site):
    """What needs the database answers 503; a page already in the page cache, or a search answer
    in the search result cache (which need no database), keeps answering 200."""
    requests.get(f"{site['base']}/", timeout=30)  # warm the page cache
    requests.get(f"{site['base']}/api/v1/search/?q=暴雨", timeout=30)  # and the search result cache
    with Lock(site["db"], exclusive=True):
        cached = requests.get(f"{site['base']}/", timeout=30)
        assert cached.status_code == 200 and cached.headers["X-Page-Cache"] == "hit"
        assert requests.get(f"{site['base']}/api/v1/search/?q=暴雨", timeout=30).status_code == 200
        for path in ("/search/?q=台风", "/api/v1/search/?q=台风"):  # asked for the first time
            response = requests.get(f"{site['base']}{path}", timeout=30)
            assert response.status_code == 503, (path, response.status_code)
            assert response.headers["Retry-After"] == "5"
    assert requests.get(f"{site['base']}/search/?q=暴雨", timeout=30).status_code == 200

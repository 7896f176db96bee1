"""A change made in one process reaches every other process on its next request.

Real processes only: the dev server as `make serve` starts it (SQLite or the configured database,
the file cache, the scheduler beside it) and gunicorn with two workers on production settings
(Redis). Another process — `import_content`, a `manage.py shell` — publishes, expires and
unpublishes an emergency; the next poll of a screen and the next page in every worker show it.
"""

import datetime as dt
import os
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .stack import PYTHON, ROOT, Stack, free_port, process, redis_server, throwaway_database, wait_until

TZ = dt.timezone(dt.timedelta(hours=8))


def _now():
    return dt.datetime.now(TZ).replace(microsecond=0)


def _emergency_line(slug: str, title: str, *, start, end, severity="red") -> dict:
    return {
        "type": "emergency",
        "slug": slug,
        "title": title,
        "summary": "跨进程测试：一条由另一个进程导入的预警。",
        "body": "<p>请立即按照防范指引行动。</p>",
        "audiences": ["elderly"],
        "hazard": "chemical",
        "severity": severity,
        "regions": ["鄂城区"],
        "effective_from": start.isoformat(),
        "expires_at": end.isoformat(),
        "instructions": "1. 关闭门窗\n2. 听从指挥撤离\n3. 拨打 119",
    }


class Site:
    """HTTP views of one running server, as a screen and a resident see it."""

    def __init__(self, base: str, screen_id: int, token: str):
        self.base, self.screen_id, self.token = base, screen_id, token

    def poll(self, etag: str | None = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}", "Connection": "close"}
        if etag:
            headers["If-None-Match"] = etag
        return requests.get(f"{self.base}/api/v1/screens/{self.screen_id}/feed", headers=headers, timeout=10)

    def get(self, path: str) -> requests.Response:
        response = requests.get(f"{self.base}{path}", headers={"Connection": "close"}, timeout=10)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        return response


def _feed_titles(response) -> list:
    assert response.status_code == 200, response.status_code
    return [item["title"] for item in response.json()["items"]]


def _every_worker(site: Site, check, *, workers: int, tries: int = 60) -> set:
    """Ask until ``workers`` different processes have answered; every answer must pass ``check``.

    Each round asks ``workers`` times at once: with sync workers a busy one leaves the next
    connection to another, where sequential requests may all land on the same idle worker.
    """
    seen = set()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in range(tries):
            for response in pool.map(lambda _: check(), range(workers)):
                seen.add(response.headers.get("X-Worker-Pid", "single"))
            if len(seen) >= workers:
                return seen
    raise AssertionError(f"only {len(seen)} of {workers} workers answered in {tries} rounds")


def _emergency_cycle(stack: Stack, site: Site, *, workers: int):
    """Publish, let the window close, republish and unpublish an emergency from other processes."""
    slug = f"cross-process-{uuid.uuid4().hex[:8]}"
    title = f"氯气泄漏红色预警 {slug[-8:]}"
    before = site.poll()
    etag = before.headers["ETag"]
    assert title not in _feed_titles(before)

    # 1. Published by an import (another process): the next poll in every worker is a takeover.
    now = _now()
    stack.import_lines(
        [_emergency_line(slug, title, start=now - dt.timedelta(minutes=1), end=now + dt.timedelta(hours=2))]
    )
    import_took = _now() - now

    def poll_shows_takeover():
        response = site.poll(etag)
        assert response.status_code == 200, "the old ETag must not get a 304 after the publish"
        first = response.json()["items"][0]
        assert first["title"] == title and first["takeover"] is True
        return response

    _every_worker(site, poll_shows_takeover, workers=workers)
    # CAP is recorded by the task worker (production) or at once (the immediate backend).
    wait_until(lambda: title in site.get("/feeds/emergency/cap.atom").text, timeout=30, what="the CAP Alert")

    def pages_show_it():
        for path in ("/", "/search/", "/feeds/"):
            assert title in site.get(path).text, f"{path} does not show the warning in force"
        assert title in site.get("/feeds/rss.xml").text
        assert title in site.get("/feeds/emergency/cap.atom").text
        return site.get("/")

    _every_worker(site, pages_show_it, workers=workers, tries=30)
    etag = site.poll().headers["ETag"]

    # 2. The window closes by itself (no publish): gone from the next poll and from the banner.
    # Room for the next import and a poll before the end: three times what the first import took.
    end = _now() + max(dt.timedelta(seconds=10), 3 * import_took + dt.timedelta(seconds=5))
    stack.import_lines([_emergency_line(slug, title, start=end - dt.timedelta(hours=1), end=end)])
    assert title in _feed_titles(site.poll()), "the warning is in force until its end"
    wait_until(
        lambda: _now() > end, timeout=(end - _now()).total_seconds() + 30, what="the end of the window"
    )

    def poll_without_it():
        response = site.poll()
        assert title not in _feed_titles(response), "an expired warning is still on the screen"
        assert title not in site.get("/search/").text, "an expired warning is still in the banner"
        return response

    _every_worker(site, poll_without_it, workers=workers)

    # 3. In force again, then unpublished from a shell: gone everywhere on the next request.
    now = _now()
    stack.import_lines(
        [_emergency_line(slug, title, start=now - dt.timedelta(minutes=1), end=now + dt.timedelta(hours=2))]
    )
    _every_worker(site, poll_shows_takeover, workers=workers)
    stack.shell(
        f"from content.models import EmergencyPage; EmergencyPage.objects.get(slug='{slug}').unpublish()"
    )
    wait_until(
        lambda: title not in site.get("/feeds/emergency/cap.atom").text, timeout=30, what="the CAP Cancel"
    )

    def unpublished_everywhere():
        response = site.poll()
        assert title not in _feed_titles(response)
        assert title not in site.get("/").text
        assert title not in site.get("/feeds/emergency/cap.atom").text
        return response

    _every_worker(site, unpublished_everywhere, workers=workers)


@pytest.fixture(scope="module")
def database_url():
    with throwaway_database() as url:
        yield url


@pytest.mark.slow
def test_make_serve_sees_changes_from_other_processes_and_runs_the_scheduler(database_url, tmp_path):
    """The `make run` server: dev settings, file cache, the scheduler started beside it."""
    port = free_port()
    stack = Stack(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DATABASE_URL": database_url,
            "CACHE_DIR": str(tmp_path / "cache"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "SEARCH_BACKEND": "database",
            "SCHEDULER_INTERVAL_SECONDS": "1",
            "LOG_LEVEL": "WARNING",
        }
    )
    stack.manage("migrate", "--noinput", "-v0")
    screen_id, token = stack.create_screen(district="echeng")
    venv = os.path.dirname(os.path.dirname(PYTHON))
    args = [
        "make",
        "-s",
        "-C",
        str(ROOT),
        "serve",
        "HOST=127.0.0.1",
        f"PORT={port}",
        f"PY={PYTHON}",
        f"VENV={venv}",
    ]
    base = f"http://127.0.0.1:{port}"
    with process(args, env=stack.env, log=tmp_path / "serve.log", ready_url=f"{base}/"):
        site = Site(base, screen_id, token)
        _emergency_cycle(stack, site, workers=1)

        # Scheduled in Wagtail a few seconds ahead: live without anyone running a command.
        slug = f"scheduled-{uuid.uuid4().hex[:8]}"
        stack.shell(
            "import datetime as dt\n"
            "from django.utils import timezone\n"
            "from content.models import ArticleIndexPage, ArticlePage, Audience\n"
            f"page = ArticlePage(title='定时上线的文章 {slug}', slug='{slug}', summary='定时发布测试')\n"
            "ArticleIndexPage.objects.get().add_child(instance=page)\n"
            "page.audiences.set(Audience.objects.filter(slug='elderly'))\n"
            "page.go_live_at = timezone.now() + dt.timedelta(seconds=8)\n"
            "page.expire_at = timezone.now() + dt.timedelta(seconds=30)\n"
            "page.live = False\n"
            "page.save_revision().publish()\n"
        )
        title = f"定时上线的文章 {slug}"
        assert title not in site.get("/").text
        wait_until(lambda: title in site.get("/").text, timeout=40, what="the scheduled page to go live")
        assert title in _feed_titles(site.poll())
        wait_until(lambda: title not in site.get("/").text, timeout=80, what="the scheduled page to expire")
        assert title not in _feed_titles(site.poll())


@pytest.mark.slow
def test_gunicorn_workers_see_changes_from_other_processes(database_url, tmp_path):
    """Production settings, two gunicorn workers, the task worker, Redis: every worker sees the change."""
    with redis_server(tmp_path) as redis_url:
        stack = Stack(
            {
                "DJANGO_SETTINGS_MODULE": "cms.settings.production",
                "DATABASE_URL": database_url,
                "REDIS_URL": redis_url,
                "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
                "SECRET_KEY": "cross-process-test",
                "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_SSL_REDIRECT": "0",
                "MEDIA_ROOT": str(tmp_path / "media"),
                "STATIC_ROOT": str(tmp_path / "static"),
                "SEARCH_BACKEND": "database",
                "LOG_LEVEL": "WARNING",
            }
        )
        stack.manage("migrate", "--noinput", "-v0")
        stack.manage("collectstatic", "--noinput", "-v0")
        screen_id, token = stack.create_screen(district="echeng")
        port = free_port()
        gunicorn = os.path.join(os.path.dirname(PYTHON), "gunicorn")
        args = [
            gunicorn,
            "tests.system.pid_wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            # gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl):
            # a parallel worker's or another run's gunicorn (or a rehearsal stack's) would take it over.
            "--no-control-socket",
        ]
        base = f"http://127.0.0.1:{port}"
        worker = [PYTHON, "manage.py", "run_worker", "--interval", "0.5"]
        with (
            process(worker, env=stack.env, log=tmp_path / "worker.log", ready_url=None),
            process(args, env=stack.env, log=tmp_path / "gunicorn.log", ready_url=f"{base}/"),
        ):
            _emergency_cycle(stack, Site(base, screen_id, token), workers=2)


@pytest.mark.parametrize(
    ("unset", "message"),
    [
        ("REDIS_URL", "REDIS_URL must be set in production"),
        ("TASKS_BACKEND", "TASKS_BACKEND must be a real queue"),
    ],
)
def test_production_refuses_to_start_with_per_process_state(unset, message):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "x",
        "ALLOWED_HOSTS": "kepu.example",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    env.pop(unset)
    result = subprocess.run(
        [PYTHON, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert message in result.stderr

"""Redis down: screens, heartbeats and portal pages still answer, rebuilt from the database.

Production ignores Redis errors (``DJANGO_REDIS_IGNORE_EXCEPTIONS``): reads miss, writes are
dropped. Here the real django-redis backend points at a loopback port nobody listens on, with
production's options, so every cache call fails the way it does when Redis is killed.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cms import redis_breaker
from feeds.screens import feed_cache
from feeds.screens.near_cache import NearCache
from tests.factories import ArticlePageFactory

from .conftest import feed_get

REPO = Path(__file__).resolve().parents[3]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: connections are refused


@pytest.fixture
def redis_down(settings, monkeypatch):
    settings.DJANGO_REDIS_IGNORE_EXCEPTIONS = True  # read when the cache object is made: set it first
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 1.0},
        }
    }
    near = NearCache()
    monkeypatch.setattr(feed_cache, "near_cache", near)
    yield near
    near.stop()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Overrides the package's cache clearing: there is no reachable cache to clear."""
    yield


def test_production_ignores_redis_errors_and_checks_database_connections():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="kepu.example.cn",
        REDIS_URL="redis://127.0.0.1:1/0",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    code = (
        "import json; from django.conf import settings as s;"
        "o = {k: v for k, v in s.CACHES['default']['OPTIONS'].items() if k != 'CONNECTION_POOL_KWARGS'};"
        "print(json.dumps([s.DJANGO_REDIS_IGNORE_EXCEPTIONS, o,"
        " s.DATABASES['default']['CONN_HEALTH_CHECKS']]))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    ignore, options, health_checks = json.loads(result.stdout.strip().splitlines()[-1])
    assert ignore is True
    assert options["SOCKET_CONNECT_TIMEOUT"] <= 1 and options["SOCKET_TIMEOUT"] <= 2
    assert health_checks is True


def test_screen_feed_is_built_from_the_database_while_redis_is_down(
    client, make_screen, article_index, redis_down
):
    ArticlePageFactory(parent=article_index, audiences=["elderly"], title="冬季用电安全")
    screen, token = make_screen(audiences=["elderly"])
    first = feed_get(client, screen, token)
    assert first.status_code == 200
    assert "冬季用电安全" in [item["title"] for item in first.json()["items"]]
    again = feed_get(client, screen, token, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code in (200, 304)


def test_a_change_during_the_outage_reaches_the_next_poll(client, make_screen, article_index, redis_down):
    """No epoch can be stored, so none can be stale: every poll rebuilds and sees the change."""
    screen, token = make_screen(audiences=["elderly"])
    before = feed_get(client, screen, token)
    assert before.status_code == 200
    ArticlePageFactory(parent=article_index, audiences=["elderly"], title="燃气泄漏怎么办")
    after = feed_get(client, screen, token, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "燃气泄漏怎么办" in [item["title"] for item in after.json()["items"]]


def test_wrong_token_is_still_refused_while_redis_is_down(client, make_screen, redis_down):
    screen, _token = make_screen()
    assert feed_get(client, screen, "not-the-token").status_code == 401


def test_heartbeat_answers_while_redis_is_down(client, make_screen, article_index, redis_down):
    page = ArticlePageFactory(parent=article_index, audiences=["elderly"], title="科学补钙")
    screen, token = make_screen()
    body = {"player_version": "abc123", "uptime_seconds": 60, "playing": {"id": page.pk}}
    response = client.post(
        f"/api/v1/screens/{screen.pk}/heartbeat",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200


def test_portal_pages_answer_while_redis_is_down(client, home, article_index, emergency_index, redis_down):
    ArticlePageFactory(parent=article_index, title="暴雨来了怎么办")
    for url in ("/", "/articles/", "/emergency/", "/search/?q=暴雨", "/api/v1/search/?q=暴雨", "/feeds/"):
        assert client.get(url).status_code == 200, url


@pytest.fixture
def redis_hung(settings, monkeypatch):
    """A Redis that accepts connections and never answers (SIGSTOP, a stuck disk), with production's
    options and its circuit breaker."""

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    settings.DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    settings.CACHE_RETRY_SECONDS = 5.0
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{listener.getsockname()[1]}/0",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "CONNECTION_POOL_KWARGS": {"connection_class": redis_breaker.CircuitBreakerConnection},
            },
        }
    }
    near = NearCache()
    monkeypatch.setattr(feed_cache, "near_cache", near)
    redis_breaker.breaker_reset()
    yield redis_breaker
    redis_breaker.breaker_reset()
    near.stop()
    listener.close()


def test_a_hung_redis_costs_a_poll_one_timeout_not_one_per_cache_call(
    client, make_screen, article_index, redis_hung
):

    ArticlePageFactory(parent=article_index, audiences=["elderly"], title="冬季用电安全")
    screen, token = make_screen(audiences=["elderly"])
    started = time.monotonic()
    first = feed_get(client, screen, token)
    assert first.status_code == 200
    assert "冬季用电安全" in [item["title"] for item in first.json()["items"]]
    assert time.monotonic() - started < 2  # one 0.5 s timeout, not one for each of ~8 cache calls
    assert redis_hung.breaker_open()
    started = time.monotonic()
    for _ in range(5):
        assert feed_get(client, screen, token).status_code == 200
    assert time.monotonic() - started < 1  # the breaker is open: no call waits on Redis


def test_production_uses_the_breaker_for_plain_redis_urls():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="kepu.example.cn",
        REDIS_URL="redis://127.0.0.1:1/0",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    code = (
        "from django.conf import settings as s;"
        "print(s.CACHES['default']['OPTIONS']['CONNECTION_POOL_KWARGS']['connection_class'].__name__)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "CircuitBreakerConnection"

"""Security headers on public pages, the admin's looser policy, and production's defaults."""

import base64
import hashlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import ArticlePageFactory

REPO = Path(__file__).resolve().parents[2]


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def _error_page_style_hash() -> str:
    html = (REPO / "templates" / "500.html").read_text("utf-8")
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    return "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"


@pytest.fixture
def article(article_index, audiences):
    return ArticlePageFactory(parent=article_index, title="暴雨防范", audiences=[audiences["youth"]])


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/articles/", "/search/?q=暴雨", "/feeds/", "/no-such-page/"])
def test_public_pages_carry_a_strict_csp(client, home, path):
    response = client.get(path)
    csp = _directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'", _error_page_style_hash()]  # no 'unsafe-inline' for style either
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert "https://player.bilibili.com" in csp["frame-src"]
    assert "https://player.bilibili.com" in csp["media-src"]


@pytest.mark.django_db
def test_article_page_and_feeds_carry_the_csp_and_other_headers(client, article):
    for path in (article.url, "/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
            assert feature in policy


@pytest.mark.django_db
def test_public_templates_have_no_inline_script_or_style(client, article):
    html = client.get(article.url).content.decode()
    assert "<script>" not in html and "<script " in html  # scripts, but every one from a file
    for chunk in html.split("<script")[1:]:
        assert chunk.split(">", 1)[0].count(" src=") == 1
    assert " style=" not in html and "<style" not in html


@pytest.mark.django_db
def test_admin_gets_the_looser_policy_and_still_works(admin_client, home):
    response = admin_client.get("/admin/pages/")
    assert response.status_code == 200
    csp = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]


def _production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="kepu.example.cn",
        REDIS_URL="redis://127.0.0.1:1/0",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        **extra,
    )
    return env


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_turns_hsts_on_by_default_without_preload():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=REPO,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True", "False"]


@pytest.mark.django_db
def test_hsts_header_is_sent_over_https(client, home, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"

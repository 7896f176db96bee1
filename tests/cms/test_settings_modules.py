"""Settings modules as a new developer and an operator meet them (each read in a fresh process)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _setting(module: str, name: str, **env) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SERVE_MEDIA", "REDIS_URL"}}
    environ.update(DJANGO_SETTINGS_MODULE=module, **env)
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_make_run_serves_uploaded_images():
    # base.py reads DEBUG before dev.py turns it on; the dev server must still serve MEDIA_ROOT.
    assert _setting("cms.settings.dev", "SERVE_MEDIA") == "True"


def test_the_embedded_default_cache_is_shared_by_every_process_on_the_machine():
    backend = _setting("cms.settings.dev", "CACHES['default']['BACKEND']")
    assert backend == "cms.file_cache.FileCache"


def test_a_wsgi_server_without_a_settings_module_gets_production_and_refuses_to_start():
    environ = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG"}
    }
    result = subprocess.run(
        [sys.executable, "-c", "import cms.wsgi"], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr

"""Bench-only settings for ``bench/screens``: production settings plus a shared cache and a ceiling URL.

Everything else (DEBUG off, middleware, ALLOWED_HOSTS, SECRET_KEY from the environment) is the
production module as deployed. Two deliberate differences, both irrelevant to the feed API:
static files use the plain storage (no ``collectstatic`` manifest needed) and HTTPS redirects are
off (the benchmark talks plain HTTP on loopback).
"""

from cms.settings.env import env_str
from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.screens.urls"
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The playlist epoch and the feeds live in the Django cache; the publisher (a separate process)
# must see the servers' cache, so the benchmark needs a shared one. run.sh starts Redis.
if not env_str("REDIS_URL"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "bench.screens.settings needs REDIS_URL (a shared cache); run bench/screens/run.sh"
    )

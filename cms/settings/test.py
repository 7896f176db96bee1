from .base import *  # noqa: F403
from .env import env_str

# DEBUG stays False (from base) so error pages are the public Chinese pages.
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(env_str("TEST_MEDIA_ROOT", str(BASE_DIR / ".var" / "test-media")))  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True  # serve from finders; no collectstatic needed
SEARCH_STATS_FLUSH_SECONDS = 0  # tests read the statistics right after searching
SEARCH_RESULT_CACHE_SECONDS = 0  # as the page cache: tests change content where commit callbacks never run
SEARCH_HINT_CACHE_SECONDS = 0  # tests read the hints right after searching (a test turns it on)
SERVE_MEDIA = True  # the player tests load renditions from the live server
# One process per test run: a private memory cache keeps runs from seeing each other's entries.
# (Tests that start other processes give them a shared cache of their own, tests/system/.)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WECHAT_RETRY_DELAYS = [0.01, 0.02, 0.04]  # the backoff schedule, without the waiting
WECHAT_PUBLISH_POLL_DELAYS = [0.01, 0.01, 0.01]
# The shared page cache is off for the suite: tests change content inside their own transaction,
# where commit callbacks (the cache's invalidations) never run. tests/content/test_page_cache.py
# turns it on and runs the callbacks; tests/system/ runs it in real processes.
PAGE_CACHE_ENABLED = False

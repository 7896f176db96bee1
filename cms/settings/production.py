from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_str
from .search_config import search_backends_build

DEBUG = False
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (comma-separated).")
if not REDIS_URL:  # noqa: F405
    # The file cache is shared only by processes on one machine; production may run several.
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production: every web worker, the task worker, the scheduler and "
        "management commands must share one cache, or a change made in one process (an emergency "
        "published from the admin, an import) would not reach screens served by the others."
    )
if TASKS["default"]["BACKEND"].endswith("ImmediateBackend"):  # noqa: F405
    raise ImproperlyConfigured(
        "TASKS_BACKEND must be a real queue in production (django_tasks_db.DatabaseBackend, run by "
        "`manage.py run_worker`): the immediate backend runs publishing side effects inside the request."
    )

# One replica of every shard unless ELASTICSEARCH_REPLICAS says otherwise: a cluster that loses a
# node keeps every shard (docs/search.md). Bad values are `manage.py check` errors (search.checks).
ELASTICSEARCH_DEFAULT_REPLICAS = 1
WAGTAILSEARCH_BACKENDS = search_backends_build(
    SEARCH_BACKEND,  # noqa: F405
    ELASTICSEARCH,  # noqa: F405
    default_replicas=ELASTICSEARCH_DEFAULT_REPLICAS,
)

# A Redis outage costs speed, never answers: cache reads miss and writes are dropped (logged), so
# every cached answer is rebuilt from the database (a missing screen epoch is a new one, never a
# stale feed); Redis should run without persistence so a restart starts empty. Short socket
# timeouts keep a hung Redis from holding requests (tests/feeds/screens/test_cache_outage.py).
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
CACHES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
    {
        "SOCKET_CONNECT_TIMEOUT": 0.5,
        "SOCKET_TIMEOUT": 1.0,
    }
)
# After one timeout, a process leaves Redis alone for CACHE_RETRY_SECONDS (cms/redis_breaker.py).
CACHE_RETRY_SECONDS = float(env_str("CACHE_RETRY_SECONDS", "5"))
if REDIS_URL.startswith("redis://"):  # noqa: F405
    from cms.redis_breaker import CircuitBreakerConnection

    CACHES["default"]["OPTIONS"]["CONNECTION_POOL_KWARGS"] = {  # noqa: F405
        "connection_class": CircuitBreakerConnection
    }
# Persistent connections (DATABASE_CONN_MAX_AGE > 0) are checked before reuse, so a restarted
# PostgreSQL costs the requests made while it was down, not one failed request per worker after.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# HSTS on by default (a year); subdomains included unless a subdomain still serves plain http;
# preload only on purpose, since leaving the browsers' preload list takes months (docs/security.md).
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:  # off on purpose (above), so the deploy check's reminder is noise
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]

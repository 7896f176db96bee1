"""Production-safe base settings. Every value that differs per machine comes from the
environment through cms.settings.env; see .env.example for the full list."""

import base64
import hashlib
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from .env import env_bool, env_list, env_str
from .search_config import elasticsearch_env, search_backends_build

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "content",
    "search",
    "feeds",
    "feeds.screens",
    "feeds.wechat",
    "feeds.syndication",
    "feeds.cap",
    "accounts",
    "editorial",  # 错敏词 checks (docs/editors.md)
    "dashboard",  # the admin dashboard panels
    "admin_site",  # the admin in Chinese: branding, the editors' guide under 帮助 (docs/admin.md)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "tasks_ops",  # the production task worker (run_worker): heartbeats, orphaned tasks put back
    "axes",  # admin sign-in lockout (accounts/, docs/security.md); no django.contrib.admin: one admin
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "content.csp.PathCSPMiddleware",  # Content-Security-Policy (security headers, below)
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous pages from the shared cache (content.page_cache, docs/caching.md): below the headers
    # added to every answer, above the session so a hit costs no session or database work.
    "content.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "content.context_processors.portal",
                "feeds.wechat.context_processors.wechat_share",
            ],
        },
    },
]

# SQLite file by default so a fresh clone runs with no services.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# A write that cannot get its lock within this many seconds fails fast and answers 503 with
# Retry-After (content.database_busy) instead of hanging a worker or answering 500.
DATABASE_LOCK_TIMEOUT = float(env_str("DATABASE_LOCK_TIMEOUT", "5"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL: readers never wait for the writer; IMMEDIATE: a write transaction takes its lock when
        # it begins (waiting up to the timeout) instead of failing when it upgrades half-way.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": DATABASE_LOCK_TIMEOUT,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={int(DATABASE_LOCK_TIMEOUT * 1000)}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Admin sign-in lockout (django-axes; policy and unlocking in docs/security.md). Failures count per
# account and per address separately: either reaching the limit locks it for the cool-off, during
# which even the right password is refused. Unlock: 设置 → 登录锁定, or `manage.py axes_reset`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out credentials before checking them
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env_str("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env_str("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False  # a login with a known account must not wipe an address's failures
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the failure log shown in 登录锁定
AXES_ENABLE_ADMIN = False  # no Django admin; the Wagtail view replaces it
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_STR_CALLABLE = "accounts.lockout.client_describe"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip_address"
# Reverse proxies in front of Django that append the client's address to X-Forwarded-For (nginx with
# proxy_add_x_forwarded_for: 1). 0 = use REMOTE_ADDR and ignore X-Forwarded-For, which any client can
# write; but behind nginx 0 would count every login against nginx's own address. Read by
# accounts.lockout.client_ip_address (AXES_IPWARE_PROXY_COUNT is unused: django-ipware not installed).
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "0"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Translations Wagtail lacks, compiled at install (docs/admin.md); they win over the apps' own.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "static_collected")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)  # let Django serve uploads (development, tests, demos)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background work (Wagtail's own tasks now; publishing side effects later).
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}
# The task worker (`manage.py run_worker`, tasks_ops) writes a heartbeat this often (seconds). A
# worker silent for TASKS_WORKER_LOST_AFTER_SECONDS is lost (killed, its host down): the tasks it
# was running go back to the queue, at most TASKS_MAX_ORPHAN_RECOVERIES times per task, then FAILED.
TASKS_WORKER_HEARTBEAT_SECONDS = float(env_str("TASKS_WORKER_HEARTBEAT_SECONDS", "5"))
TASKS_WORKER_LOST_AFTER_SECONDS = float(env_str("TASKS_WORKER_LOST_AFTER_SECONDS", "30"))
TASKS_MAX_ORPHAN_RECOVERIES = int(env_str("TASKS_MAX_ORPHAN_RECOVERIES", "3"))
if TASKS_WORKER_LOST_AFTER_SECONDS < 2 * TASKS_WORKER_HEARTBEAT_SECONDS:
    from django.core.exceptions import ImproperlyConfigured

    # One late heartbeat must not make a live worker look lost (its task would run twice at once).
    raise ImproperlyConfigured(
        "TASKS_WORKER_LOST_AFTER_SECONDS must be at least twice TASKS_WORKER_HEARTBEAT_SECONDS"
    )

# One cache that every process shares (web workers, the task worker, the scheduler, CLI commands):
# screen feeds and other change markers live here, so a change made anywhere is seen everywhere on
# the next request. Redis in production (REDIS_URL); otherwise a folder of files, which all
# processes on this machine share (the embedded default for `make run`). Losing entries only
# costs rebuilds: every cached answer is checked against an epoch, and a missing epoch is new.
REDIS_URL = env_str("REDIS_URL")
CACHE_DIR = Path(env_str("CACHE_DIR", str(BASE_DIR / ".var" / "cache")))
CACHES = {
    "default": (
        # django-redis keeps one client per server; Django's own RedisCache builds one per operation,
        # which was most of the cost of a screen's 304 poll.
        {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "cms.file_cache.FileCache",
            "LOCATION": str(CACHE_DIR),
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    )
}
# Shared page cache (content.page_cache, docs/caching.md): anonymous GET/HEAD of portal pages and
# feeds answered from CACHES["default"], exact (any change moves an epoch; an emergency window
# boundary ends an entry). PAGE_CACHE_SECONDS is how long an entry is kept (0 or
# PAGE_CACHE_ENABLED=false: off). The HTTP headers let nginx or a CDN keep a page
# PAGE_CACHE_SHARED_MAX_AGE seconds (s-maxage: a warning reaches visitors behind it within that
# time) and serve it PAGE_CACHE_STALE_WHILE_REVALIDATE seconds longer while revalidating. The
# search page shell shows popular searches, which change without a publish: kept at most
# PAGE_CACHE_SEARCH_SECONDS.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = int(env_str("PAGE_CACHE_SECONDS", "3600"))
PAGE_CACHE_SHARED_MAX_AGE = int(env_str("PAGE_CACHE_SHARED_MAX_AGE", "5"))
PAGE_CACHE_STALE_WHILE_REVALIDATE = int(env_str("PAGE_CACHE_STALE_WHILE_REVALIDATE", "10"))
PAGE_CACHE_SEARCH_SECONDS = int(env_str("PAGE_CACHE_SEARCH_SECONDS", "60"))
# Mounts of cms/urls.py whose answers are never shared: the admin, documents, the APIs, the WeChat
# callback, screens, and CAP (recorded by the task worker after the publish).
PAGE_CACHE_EXCLUDED_PREFIXES = (
    "/admin/",
    "/api/",
    "/wechat/",
    "/screens/",
    "/documents/",
    "/feeds/emergency/",
)

# The scheduler (`manage.py run_scheduler`) publishes pages scheduled in Wagtail and unpublishes
# expired ones; it wakes this often (seconds). `make run` starts one beside the dev server.
SCHEDULER_INTERVAL_SECONDS = int(env_str("SCHEDULER_INTERVAL_SECONDS", "15"))

# Screens (docs/screens.md): the feed API also accepts ?token= when on. Off: query strings reach access
# logs; players send the token as a Bearer header or carry the cookie their player link set.
SCREENS_TOKEN_IN_QUERY = env_bool("SCREENS_TOKEN_IN_QUERY", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR", "propagate": True},
        "django_tasks": {"level": "WARNING"},
        # One INFO line per request otherwise (the upkeep probes every 15 s); retries and failures
        # stay as warnings.
        "elastic_transport": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # failures and lockouts; not every step of each attempt
    },
}

# Wagtail
WAGTAIL_SITE_NAME = "科普鄂州"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
# Avatars from gravatar.com: unreachable from many offices and outside the admin CSP.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "mp4", "webm", "vtt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 500 * 1024 * 1024  # videos are uploaded as documents
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Search (DESIGN.md §3). The database backend is always configured and kept current (it is the
# fallback); Elasticsearch is added when SEARCH_BACKEND=elasticsearch. Only search.documents
# writes to Elasticsearch (AUTO_UPDATE off), so failed writes are queued and replayed.
SEARCH_BACKEND = env_str("SEARCH_BACKEND", "database")
if SEARCH_BACKEND not in {"database", "elasticsearch"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SEARCH_BACKEND must be 'database' or 'elasticsearch'")
# The connection (docs/search.md, "Connection settings"): ELASTICSEARCH_URLS (or ELASTICSEARCH_URL),
# ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME + ELASTICSEARCH_PASSWORD, ELASTICSEARCH_CA_CERTS,
# ELASTICSEARCH_SHARDS, ELASTICSEARCH_REPLICAS (0 here, 1 in production). Read as given; bad values
# are `manage.py check` errors (search.checks), certificates are always verified.
ELASTICSEARCH = elasticsearch_env()
ELASTICSEARCH_DEFAULT_REPLICAS = 0
WAGTAILSEARCH_BACKENDS = search_backends_build(
    SEARCH_BACKEND, ELASTICSEARCH, default_replicas=ELASTICSEARCH_DEFAULT_REPLICAS
)

# After Elasticsearch fails, search answers from the database this long before trying it again.
SEARCH_ENGINE_RETRY_SECONDS = int(env_str("SEARCH_ENGINE_RETRY_SECONDS", "30"))
# A search waits at most this long (seconds) for Elasticsearch before answering from the database;
# writes keep ELASTICSEARCH_TIMEOUT. Queries normally take well under 100 ms.
SEARCH_ENGINE_QUERY_TIMEOUT = float(env_str("ELASTICSEARCH_QUERY_TIMEOUT", "2"))

# Search answers (the API and the results page) are kept this long per query, filters and page
# (search.result_cache; exact: a publish or an index change starts over; 0: off).
SEARCH_RESULT_CACHE_SECONDS = int(env_str("SEARCH_RESULT_CACHE_SECONDS", "30"))

# Search statistics are buffered per process and written at most this often (seconds).
SEARCH_STATS_FLUSH_SECONDS = int(env_str("SEARCH_STATS_FLUSH_SECONDS", "10"))
# Days the per-visitor search rows (opaque keyed hashes, no addresses) are kept for the public hints.
SEARCH_VISITOR_RETENTION_DAYS = int(env_str("SEARCH_VISITOR_RETENTION_DAYS", "90"))

# Public search hints (大家都在搜, suggestions) besides editors' recommended terms: a query qualifies when
# it found results for at least SEARCH_HINT_MIN_VISITORS distinct visitors on at least SEARCH_HINT_MIN_DAYS
# distinct days within the last SEARCH_HINT_WINDOW_DAYS days, so nobody can push a term in by repeating it.
# The editors' block list (站内搜索 → 屏蔽词) and hidden terms apply on top (search/hints.py).
SEARCH_HINT_MIN_VISITORS = int(env_str("SEARCH_HINT_MIN_VISITORS", "5"))
SEARCH_HINT_MIN_DAYS = int(env_str("SEARCH_HINT_MIN_DAYS", "2"))
SEARCH_HINT_WINDOW_DAYS = int(env_str("SEARCH_HINT_WINDOW_DAYS", "30"))
# Seconds each worker keeps the list of qualifying queries (editors' hiding and blocking apply at once).
SEARCH_HINT_CACHE_SECONDS = int(env_str("SEARCH_HINT_CACHE_SECONDS", "60"))

# Hosts the video-embed block accepts (comma-separated in the environment).
VIDEO_EMBED_ALLOWED_HOSTS = env_list(
    "VIDEO_EMBED_ALLOWED_HOSTS",
    [
        "player.bilibili.com",
        "www.bilibili.com",
        "v.qq.com",
        "www.ixigua.com",
        "media.kepu-ezhou.cn",
        "www.kepuchina.cn",
    ],
)

# WeChat official account (DESIGN.md §4). The integration switches on when the app id and secret
# are set; WECHAT_API_BASE is only changed to point tests at a local protocol-faithful server.
WECHAT_APP_ID = env_str("WECHAT_APP_ID")
WECHAT_APP_SECRET = env_str("WECHAT_APP_SECRET")
WECHAT_TOKEN = env_str("WECHAT_TOKEN")  # callback signature token (公众号后台 → 服务器配置)
WECHAT_AES_KEY = env_str("WECHAT_AES_KEY")  # EncodingAESKey, 43 characters, for 安全模式
WECHAT_API_BASE = env_str("WECHAT_API_BASE", "https://api.weixin.qq.com")
WECHAT_TIMEOUT = float(env_str("WECHAT_TIMEOUT", "10"))
# Backoff before each retry of a rate-limited or busy call (seconds, comma-separated).
WECHAT_RETRY_DELAYS = [float(s) for s in env_list("WECHAT_RETRY_DELAYS", ["1", "4", "15"])]
# How long to wait between asking WeChat whether a publish job has finished (seconds).
WECHAT_PUBLISH_POLL_DELAYS = [
    float(s) for s in env_list("WECHAT_PUBLISH_POLL_DELAYS", ["2", "5", "10", "20"])
]

# Syndication and CAP (DESIGN.md §4, docs/syndication.md). Items per feed page (?page=N for more).
FEEDS_PAGE_SIZE = int(env_str("FEEDS_PAGE_SIZE", "30"))
# CAP <sender> (unique to this system: a domain or an address), the <senderName> when a page names
# no source, and <status>: Actual in production; Test or Exercise on staging so no one acts on it.
CAP_SENDER = env_str("CAP_SENDER", "kepu.ezhou.gov.cn")
CAP_SENDER_NAME = env_str("CAP_SENDER_NAME", "鄂州市科学技术协会（科普鄂州）")
CAP_STATUS = env_str("CAP_STATUS", "Actual")
if CAP_STATUS not in {"Actual", "Exercise", "System", "Test", "Draft"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("CAP_STATUS must be Actual, Exercise, System, Test or Draft")
if not CAP_SENDER or any(c in CAP_SENDER for c in " ,<&"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("CAP_SENDER must be non-empty, without spaces, commas, < or &")

# Security headers (docs/security.md). Content-Security-Policy from django-csp: no inline script
# anywhere public (templates load static files only), no inline style, images from this site and
# data: URLs, video frames and media from VIDEO_EMBED_ALLOWED_HOSTS. The admin needs inline script
# and style and gets a looser policy (content.csp). Nonces are not used: pages are served from a
# shared cache, and a cached nonce is no nonce.
_CSP_SELF = "'self'"
_CSP_MEDIA = urlsplit(MEDIA_URL)  # an absolute MEDIA_URL (a media host) is allowed for images and media
_CSP_MEDIA_ORIGIN = [f"{_CSP_MEDIA.scheme}://{_CSP_MEDIA.netloc}"] if _CSP_MEDIA.netloc else []
_CSP_VIDEO_HOSTS = [f"https://{host}" for host in VIDEO_EMBED_ALLOWED_HOSTS]
# The static 500 page keeps its few rules inline (it must render when nothing else works): that one
# <style> block is allowed by its hash, computed here so an edit to the page cannot drift from it.
_CSP_ERROR_STYLE = "'sha256-{}'".format(
    base64.b64encode(
        hashlib.sha256(
            re.search(r"<style>(.*?)</style>", (BASE_DIR / "templates" / "500.html").read_text("utf-8"), re.S)
            .group(1)
            .encode()
        ).digest()
    ).decode()
)
_CSP_WECHAT_SDK = (
    ["https://res.wx.qq.com"] if WECHAT_APP_ID and WECHAT_APP_SECRET else []
)  # JS-SDK for sharing
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF, *_CSP_WECHAT_SDK],
        "style-src": [_CSP_SELF, _CSP_ERROR_STYLE],
        "img-src": [_CSP_SELF, "data:", *_CSP_MEDIA_ORIGIN],
        "media-src": [_CSP_SELF, *_CSP_MEDIA_ORIGIN, *_CSP_VIDEO_HOSTS],
        "frame-src": _CSP_VIDEO_HOSTS or ["'none'"],
        "connect-src": [_CSP_SELF],
        "font-src": [_CSP_SELF],
        "object-src": ["'none'"],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_SELF],
    }
}
CSP_ADMIN_URL_PREFIXES = ["/admin/"]
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [_CSP_SELF, "'unsafe-inline'"],
        "style-src": [_CSP_SELF, "'unsafe-inline'"],
        "img-src": [_CSP_SELF, "data:", "blob:", *_CSP_MEDIA_ORIGIN],
        "frame-src": [_CSP_SELF, *_CSP_VIDEO_HOSTS],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True  # X-Content-Type-Options: nosniff
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"  # no paths or queries to other sites
# Permissions-Policy: device and payment features off everywhere; fullscreen for this site and the
# video players it embeds.
PERMISSIONS_POLICY = {
    **{
        feature: []
        for feature in (
            "accelerometer", "ambient-light-sensor", "bluetooth", "browsing-topics", "camera",
            "display-capture", "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer",
            "microphone", "midi", "payment", "publickey-credentials-get", "serial", "usb",
            "xr-spatial-tracking",
        )
    },
    "fullscreen": ["self", *_CSP_VIDEO_HOSTS],
}  # fmt: skip

"""The shared page cache: anonymous GET/HEAD of the portal answered from the cache, exactly.

Contract:
- What: portal pages (home, sections, audience and topic pages, detail pages, the topic index),
  the search page without a query, ``/feeds/`` and the syndication feeds, the sitemap. Never:
  the paths of ``settings.PAGE_CACHE_EXCLUDED_PREFIXES`` (the admin, APIs, the WeChat callback,
  screens, documents, CAP), a request with a session cookie or ``Authorization`` (an
  editor), previews, anything but GET/HEAD, and responses that are not a plain 200, set a cookie,
  say ``private``/``no-store``, or were rendered for an authenticated user.
- Exactness: every entry stores the *portal epoch* it was rendered in. Any change that can alter a
  public page moves the epoch after its commit (``content.signal_handlers``), so the next request
  from any process renders again. The epoch is read before the render: a change during the render
  makes the entry stale at once.
- Time: every entry also stores the moment it stops being true: the next emergency window
  boundary (``effective_from``/``expires_at`` of any live emergency after now). It is computed once
  per epoch and boundary (``STATE_KEY``). Scheduled go-live and expiry are publishes.
- Keys: scheme, host, path and the query parameters the view actually read (``GET`` is
  tracked while rendering), each normalised; anything else (``utm_*``, ``from``, ``isappinstalled``…)
  is ignored, so shared links do not make copies. A request whose parameters the view would reject
  (``page=abc``) is never stored: the view answers 404.
- HTTP: ETag (the view's own, or a hash of the body), Last-Modified, 304 on ``If-None-Match`` /
  ``If-Modified-Since``, and ``Cache-Control: public, max-age=0, s-maxage=N,
  stale-while-revalidate=M`` unless the view set its own (the feeds keep ``public, no-cache``).
- Errors: a cache that fails or answers nothing (Redis down, errors ignored) means no epoch; the
  page is rendered and not stored, never an error.
- Lost invalidations (Redis hung, a process killed after its commit): ``page_cache_reconcile``,
  run by the scheduler on every tick, compares the last invalidation with the newest logged change.

docs/caching.md explains it for operators.
"""

import hashlib
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from content.emergency import WINDOW_STATES
from content.lost_invalidations import heal, latest_logged_change
from content.models import Audience, EmergencyPage, Topic

logger = logging.getLogger(__name__)

EPOCH_KEY = "pages:epoch"
INVALIDATED_AT_KEY = "pages:invalidated-at"  # for ``page_cache_reconcile``
STATE_KEY = "pages:state"  # per epoch: the next window boundary, the audience slugs
ENTRY_PREFIX = "pages:entry:"
MAX_BODY = 2 * 1024 * 1024  # bytes; bigger answers are not worth the cache's memory

# The search page (route ``search``) is cached only as the shell (no query: the view reads ``q``,
# which is no key parameter); its popular searches change with the statistics, so it is kept briefly.
PAGE_NUMBER = re.compile(r"^[1-9][0-9]{0,5}$")
SLUG = re.compile(r"^[a-z0-9_-]{1,50}$")
# Parameters a cacheable view may read, each with its normaliser: a value, None to drop it (same page
# as without it), or INVALID (the view refuses it: never stored).
INVALID = object()
STORED_HEADERS_SKIPPED = {"content-length", "date", "set-cookie", "cache-control"}


def _page_number(value: str):
    if value == "1":
        return None
    return value if PAGE_NUMBER.match(value) else INVALID


KEY_PARAMS = {
    "page": _page_number,  # listings, feeds
    "p": _page_number,  # the sitemap
    "audience": lambda v: v if SLUG.match(v) else None,  # section filter; unknown slugs mean 全部
    "status": lambda v: v if v in WINDOW_STATES else None,  # emergency section filter
}


def page_cache_enabled() -> bool:
    return bool(settings.PAGE_CACHE_ENABLED and settings.PAGE_CACHE_SECONDS > 0)


# --- invalidation ------------------------------------------------------------------------------


def portal_invalidate() -> None:
    """Every cached page is stale from now on, in every process. Never raises: a publish that
    committed must not fail because the cache is down (the scheduler heals it, below)."""
    try:
        cache.set_many({EPOCH_KEY: uuid.uuid4().hex, INVALIDATED_AT_KEY: time.time()}, None)
    except Exception:
        logger.exception("page cache: could not move the portal epoch")


def portal_invalidate_on_commit() -> None:
    """``portal_invalidate`` after the current transaction commits (or now, outside one). A publish
    sends several signals, so a commit may move the epoch a few times: one cache write each."""
    transaction.on_commit(portal_invalidate)


# --- keys --------------------------------------------------------------------------------------


class TrackedQueryDict(QueryDict):
    """``request.GET`` that remembers which parameters the view read (``"*"``: all of them)."""

    def __init__(self, query_string=None, mutable=False, encoding=None):
        self.read = set()
        super().__init__(query_string, mutable=mutable, encoding=encoding)
        self.read = set()  # what parsing looked up is not a read

    def _note(self, key):
        self.read.add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)


def _reads_everything(method):
    def wrapper(self, *args, **kwargs):
        self.read.add("*")
        return method(self, *args, **kwargs)

    return wrapper


for _name in ("copy", "items", "lists", "values", "keys", "__iter__", "dict", "urlencode", "__len__"):
    setattr(TrackedQueryDict, _name, _reads_everything(getattr(QueryDict, _name)))


def _path_cacheable(path: str) -> bool:
    media = settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else "/\0"
    return not path.startswith((*settings.PAGE_CACHE_EXCLUDED_PREFIXES, settings.STATIC_URL, media))


def _normalised(query: QueryDict, names) -> list | None:
    """Sorted (name, value) pairs of ``names`` present in ``query``; None if one cannot be cached."""
    pairs = []
    for name in sorted(names):
        value = query.get(name, "")  # the last value, as the views read it
        if value == "":
            continue
        normalise = KEY_PARAMS.get(name)
        if normalise is None:
            return None
        value = normalise(value)
        if value is INVALID:
            return None
        if value is not None:
            pairs.append((name, value))
    return pairs


def _key(request, pairs) -> str:
    query = "&".join(f"{name}={value}" for name, value in pairs)
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _lookup_key(request, query: QueryDict) -> str | None:
    """The key a cached answer would have, from the parameters a view may read; None: not cacheable."""
    pairs = _normalised(query, [name for name in KEY_PARAMS if name in query])
    return None if pairs is None else _key(request, pairs)


def _reads_other(entry: dict, query: QueryDict) -> bool:
    """Whether the request has a value for a parameter the entry's view read that is no key
    parameter (``q`` on the search page): that answer depends on it and cannot come from the entry."""
    reads = entry["reads"]
    return any(
        value and name not in KEY_PARAMS and (reads == "*" or name in reads) for name, value in query.items()
    )


def _store_key(request, tracked: TrackedQueryDict, audiences) -> str | None:
    """The key for what the view rendered: only the parameters it read; None if it read others."""
    if "*" in tracked.read:
        names = {name for name, value in QueryDict.items(tracked) if value}
    else:
        names = tracked.read
    pairs = _normalised(tracked, names)
    if pairs is None:
        return None
    # An unknown audience renders as 全部: the same page as without the parameter.
    pairs = [(n, v) for n, v in pairs if n != "audience" or v in audiences]
    return _key(request, pairs)


# --- state per epoch ---------------------------------------------------------------------------


def _epoch_get(values: dict) -> str | None:
    epoch = values.get(EPOCH_KEY)
    if epoch is None:  # first use, or the cache lost it: a new epoch (no entry can match it)
        cache.add(EPOCH_KEY, uuid.uuid4().hex, None)
        epoch = cache.get(EPOCH_KEY)
    return epoch


def _state_get(epoch: str, now_ts: float) -> dict:
    """The next window boundary and the audience slugs under ``epoch``, from the cache or the database."""
    state = cache.get(STATE_KEY)
    if state and state["epoch"] == epoch and (state["next"] is None or now_ts < state["next"]):
        return state

    boundary = EmergencyPage.objects.live().next_window_change(datetime.fromtimestamp(now_ts, tz=UTC))
    state = {
        "epoch": epoch,
        "next": boundary.timestamp() if boundary else None,
        "audiences": frozenset(Audience.objects.values_list("slug", flat=True)),
    }
    cache.set(STATE_KEY, state, settings.PAGE_CACHE_SECONDS)
    return state


def next_window_change_ts(epoch: str, now_ts: float) -> float | None:
    """When the set of warnings in force next changes (a window opens or closes) under ``epoch``, as
    a timestamp; None when no live window lies ahead. Kept per epoch, like the pages' expiry."""
    return _state_get(epoch, now_ts)["next"]


# --- HTTP --------------------------------------------------------------------------------------


def _cache_control(entry: dict) -> str:
    if entry.get("cache_control"):
        return entry["cache_control"]  # the view's own policy (feeds: public, no-cache)
    return (
        f"public, max-age=0, s-maxage={settings.PAGE_CACHE_SHARED_MAX_AGE}, "
        f"stale-while-revalidate={settings.PAGE_CACHE_STALE_WHILE_REVALIDATE}"
    )


def _answer(request, entry: dict, *, hit: bool) -> HttpResponse:
    response = get_conditional_response(request, etag=entry["etag"], last_modified=entry["last_modified"])
    if response is None:
        response = HttpResponse(b"" if request.method == "HEAD" else entry["content"], status=200)
        for name, value in entry["headers"]:
            response[name] = value
        response["Content-Length"] = str(len(entry["content"]))
    else:
        for name, value in entry["headers"]:
            if name.lower() in {"vary", "content-location"}:
                response[name] = value
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    response["Cache-Control"] = _cache_control(entry)
    response["X-Page-Cache"] = "hit" if hit else "miss"
    return response


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "is_preview", False) or len(response.content) > MAX_BODY:
        return False
    user = getattr(request, "_cached_user", None)  # only if something already loaded it
    if user is not None and user.is_authenticated:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store"))


def _entry(response, *, epoch: str, expires: float | None, now_ts: float) -> dict:
    if len(settings.LANGUAGES) == 1 and response.has_header("Vary"):
        # One language: Accept-Language cannot change the page, and a proxy would keep a copy per value.
        kept = [v.strip() for v in response["Vary"].split(",") if v.strip().lower() != "accept-language"]
        del response["Vary"]
        if kept:
            patch_vary_headers(response, kept)
    content = response.content
    etag = response.get("ETag") or f'"{hashlib.sha256(content).hexdigest()[:40]}"'
    modified = response.get("Last-Modified")
    return {
        "epoch": epoch,
        "expires": expires,
        "etag": etag,
        "last_modified": _parse_http_date(modified) if modified else int(now_ts),
        "cache_control": response.get("Cache-Control", ""),
        "headers": [(k, v) for k, v in response.items() if k.lower() not in STORED_HEADERS_SKIPPED],
        "content": content,
    }


def _reads(tracked: TrackedQueryDict):
    return "*" if "*" in tracked.read else frozenset(tracked.read)


def _parse_http_date(value: str) -> int:
    return parse_http_date_safe(value) or int(time.time())


# --- the middleware ----------------------------------------------------------------------------


class PageCacheMiddleware:
    """Answers anonymous GET/HEAD of public pages from the shared cache (module contract).

    Sits below the security and CSP middleware (their headers are added to every answer) and above
    the session middleware (a hit costs no session or database work).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._candidate(request):
            response = self.get_response(request)
            if (
                self._personal(request)
                and _path_cacheable(request.path)
                and not response.has_header("Cache-Control")
            ):
                response["Cache-Control"] = "private, no-cache"  # an editor's page: no shared cache
            return response
        now_ts = time.time()
        query = QueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
        key = _lookup_key(request, query)
        values, epoch = {}, None
        if key:
            try:
                values = cache.get_many([EPOCH_KEY, key])
                epoch = _epoch_get(values)
            except Exception:
                logger.warning("page cache unavailable; rendering uncached", exc_info=True)
                values, epoch = {}, None
        entry = values.get(key) if epoch else None
        if (
            entry
            and entry["epoch"] == epoch
            and (entry["expires"] is None or now_ts < entry["expires"])
            and not _reads_other(entry, query)
        ):
            return _answer(request, entry, hit=True)
        if epoch is None or request.method != "GET":
            return self.get_response(request)
        tracked = TrackedQueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
        request.GET = tracked
        response = self.get_response(request)
        if not _storable(request, response):
            return response
        try:
            state = _state_get(epoch, now_ts)
            store_key = _store_key(request, tracked, state["audiences"])
            if store_key is None:
                return response
            expires = state["next"]
            if request.path == reverse("search"):  # popular searches change with the statistics
                limit = now_ts + settings.PAGE_CACHE_SEARCH_SECONDS
                expires = limit if expires is None else min(expires, limit)
            entry = _entry(response, epoch=epoch, expires=expires, now_ts=now_ts)
            entry["reads"] = _reads(tracked)
            cache.set(store_key, entry, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("page cache: could not store %s", request.path, exc_info=True)
            return response
        return _answer(request, entry, hit=False)

    @staticmethod
    def _personal(request) -> bool:
        """A request that may be signed in; checked without loading the session."""
        return settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META

    def _candidate(self, request) -> bool:
        return (
            page_cache_enabled()
            and request.method in ("GET", "HEAD")
            and not self._personal(request)
            and _path_cacheable(request.path)
        )


# --- healing lost invalidations ----------------------------------------------------------------


def latest_change_ts(*, since: datetime) -> float | None:
    """The newest logged change since ``since`` that can alter a public page (Unix time): public
    page actions, and any logged action on topics, images and documents."""
    return latest_logged_change(since=since, models=(Topic, get_image_model(), get_document_model()))


def page_cache_reconcile(*, now_ts: float | None = None) -> bool:
    """Move the portal epoch if a logged change has gone without an invalidation; True when it did."""
    if not page_cache_enabled():
        return False
    now_ts = time.time() if now_ts is None else now_ts
    # Older changes no longer matter: an entry lives at most PAGE_CACHE_SECONDS.
    since = datetime.fromtimestamp(now_ts - settings.PAGE_CACHE_SECONDS, tz=UTC)
    return heal(
        changed_ts=latest_change_ts(since=since),
        invalidated_ts=cache.get(INVALIDATED_AT_KEY),
        now_ts=now_ts,
        what="page cache (every page and card renders again)",
        invalidate=_invalidate_pages_and_cards,
    )


def _invalidate_pages_and_cards() -> None:
    # the cards epoch may have missed the change too (content.cards imports this module)
    from content.cards import cards_invalidate  # noqa: PLC0415

    portal_invalidate()
    cards_invalidate()

"""Search statistics: what people search for, how often it finds nothing, and by how many visitors.

Written by the search view, the search API and the WeChat keyword reply after they have searched
(``query_stats_record``); ``search.selectors.page_search`` itself never writes. Counts are buffered
per process and written at most every ``SEARCH_STATS_FLUSH_SECONDS`` (a database write per search
would cost more than the search itself on SQLite).

Visitors. Public hints (search.hints) need "searched with results by N distinct visitors on D
distinct days", so each (query, day, visitor) is kept once in ``SearchQueryVisitor``. The visitor
is an opaque key: a BLAKE2b hash, keyed with a key derived from ``SECRET_KEY``, of the client
address and the User-Agent, cut to 64 bits. No address or User-Agent is stored; without the
``SECRET_KEY`` the key cannot be linked back to an address (nor to the same address on another
site). Visitor rows are deleted after ``SEARCH_VISITOR_RETENTION_DAYS`` (90) by the flush.
"""

import atexit
import hashlib
import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.lockout import client_ip_address

from .analysis import text_normalise
from .models import SearchQueryStat, SearchQueryVisitor

logger = logging.getLogger(__name__)

VISITOR_KEY_CHARS = 16  # 64 bits: enough to tell visitors apart, too short to be an identifier elsewhere

_stats_lock = threading.Lock()
_stats_buffer: dict = {}  # (query, day) → [hits, zero-result hits, last result count]
_visitor_buffer: set = set()  # (query, day, visitor key, found)
_stats_flushed_at = time.monotonic()
_pruned_on: dict = {"day": None}  # the day this process last deleted old visitor rows


def _hash_key() -> bytes:
    # A key of its own, so the visitor hash is not a MAC made with SECRET_KEY itself.
    return hashlib.blake2b(settings.SECRET_KEY.encode(), digest_size=32, person=b"kepu-visitor").digest()


def visitor_key_for(*parts: str) -> str:
    """The opaque visitor key for identifying parts (e.g. a WeChat openid); '' when there are none."""
    if not any(parts):
        return ""
    digest = hashlib.blake2b("\x1f".join(p or "" for p in parts).encode(), key=_hash_key(), digest_size=16)
    return digest.hexdigest()[:VISITOR_KEY_CHARS]


def visitor_key(request) -> str:
    """The opaque visitor key of an HTTP request: client address (behind ``TRUSTED_PROXY_COUNT``
    proxies, as the login lockout sees it) and User-Agent, hashed."""
    return visitor_key_for(client_ip_address(request) or "", request.META.get("HTTP_USER_AGENT", "")[:300])


def query_stats_record(query: str, result_count: int, visitor: str = "") -> None:
    """Count a search that was made (cached answers too) for today's statistics.

    ``query`` as searched (it is normalised here); ``visitor`` from ``visitor_key`` ('' when unknown:
    counted, but no visitor row).
    """
    global _stats_flushed_at
    normalised = text_normalise(" ".join((query or "").split()))[:100]
    if not normalised:
        return
    day = timezone.localdate()
    with _stats_lock:
        entry = _stats_buffer.setdefault((normalised, day), [0, 0, 0])
        entry[0] += 1
        entry[1] += 0 if result_count else 1
        entry[2] = result_count
        if visitor:
            _visitor_buffer.add((normalised, day, visitor, bool(result_count)))
        elapsed = time.monotonic() - _stats_flushed_at
        # elapsed < 0: the clock was seen going backwards (a test's frozen clock); flush rather than wait.
        due = elapsed < 0 or elapsed >= getattr(settings, "SEARCH_STATS_FLUSH_SECONDS", 10)
    if due:
        query_stats_flush()


def query_stats_flush() -> None:
    """Write the buffered counts and visitors; on a busy database keep them for the next flush."""
    global _stats_flushed_at
    with _stats_lock:
        pending = dict(_stats_buffer)
        visitors = set(_visitor_buffer)
        _stats_buffer.clear()
        _visitor_buffer.clear()
        _stats_flushed_at = time.monotonic()
    if not pending and not visitors:
        return
    items = list(pending.items())
    for done, ((query, day), (hits, zero, last)) in enumerate(items):
        try:
            _stat_add(query, day, hits, zero, last)
        except OperationalError as exc:  # the database is busy: keep the counts for the next flush
            logger.warning("search statistics not written (%s); kept for the next flush", exc)
            with _stats_lock:
                for key, (h, z, lst) in items[done:]:
                    entry = _stats_buffer.setdefault(key, [0, 0, lst])
                    entry[0] += h
                    entry[1] += z
                _visitor_buffer.update(visitors)
            return
    if visitors:
        try:
            SearchQueryVisitor.objects.bulk_create(
                [SearchQueryVisitor(query=q, day=d, visitor_key=v, found=f) for q, d, v, f in visitors],
                ignore_conflicts=True,
                batch_size=500,
            )
        except OperationalError as exc:
            logger.warning("search visitors not written (%s); kept for the next flush", exc)
            with _stats_lock:
                _visitor_buffer.update(visitors)
            return
    _visitors_prune_daily()


def _stat_add(query, day, hits, zero, last) -> None:
    try:
        with transaction.atomic():
            stat, _ = SearchQueryStat.objects.get_or_create(query=query, day=day)
    except IntegrityError:  # created by another worker meanwhile
        stat = SearchQueryStat.objects.get(query=query, day=day)
    SearchQueryStat.objects.filter(pk=stat.pk).update(
        hits=F("hits") + hits, zero_result_hits=F("zero_result_hits") + zero, last_result_count=last
    )


def query_visitors_prune(days: int | None = None) -> int:
    """Delete visitor rows older than ``days`` (``SEARCH_VISITOR_RETENTION_DAYS``); returns how many."""
    days = days if days is not None else getattr(settings, "SEARCH_VISITOR_RETENTION_DAYS", 90)
    deleted, _ = SearchQueryVisitor.objects.filter(
        day__lt=timezone.localdate() - timedelta(days=days)
    ).delete()
    return deleted


def _visitors_prune_daily() -> None:
    today = timezone.localdate()
    if _pruned_on["day"] == today:
        return
    try:
        query_visitors_prune()
    except OperationalError as exc:  # busy: try again on a later flush
        logger.warning("old search visitors not pruned (%s)", exc)
        return
    _pruned_on["day"] = today


@atexit.register
def _flush_on_exit():
    try:
        query_stats_flush()
    except Exception as exc:  # noqa: BLE001 - interpreter shutdown: statistics must never break an exit
        logger.warning("search statistics not written at exit (%s: %s)", type(exc).__name__, exc)

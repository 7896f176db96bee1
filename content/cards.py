"""Listing cards as HTML, kept in the shared cache by what they show.

Contract:
- ``cards_html(items, request)`` answers the cards of ``items`` (plain ``Page`` rows or specific
  pages, in order) as one safe HTML string. A card kept in the cache is used as is; the others
  are loaded as their specific types with card data (one set of queries for all of them),
  rendered with ``components/content_card.html`` and stored.
- A card's key is what changes when it must: the page, its live revision and publish time (every
  publish moves them), the *cards epoch*, the card templates' fingerprint and the request's host
  (links are relative to the site the host belongs to). The cards epoch moves after every commit
  that can change a card without a publish (``content.signal_handlers``): a live page saved
  directly, a move, a deletion, an image, an audience, a site, a privacy change. A publish moves
  only its own card, so after a warning is published the next render of home re-renders one card.
- An emergency's card shows its window state (生效中 / 未生效 / 已过期): it is kept until the
  state next changes, as the pages are.
- With the page cache off (the test suite, where commit callbacks never run) every card renders.
  A cache that fails means rendering, never an error.
"""

import hashlib
import logging
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from wagtail.models import Page

from content import page_cache
from content.selectors import content_specific_list

logger = logging.getLogger(__name__)

CARD_TEMPLATE = "components/content_card.html"
EPOCH_KEY = "cards:epoch"
KEY_PREFIX = "cards:card:"
# What a card is rendered from, besides the page: a deploy that changes any of it changes every key.
_SOURCES = (
    "templates/components/content_card.html",
    "templates/components/warning_badges.html",
    "content/templatetags/portal_tags.py",
)
TEMPLATE_FINGERPRINT = SimpleLazyObject(
    lambda: hashlib.sha256(
        b"".join((Path(__file__).resolve().parents[1] / source).read_bytes() for source in _SOURCES)
    ).hexdigest()[:12]
)


def cards_invalidate() -> None:
    """Every card renders again on its next use, in every process."""
    try:
        cache.set(EPOCH_KEY, uuid.uuid4().hex, None)
    except Exception:
        logger.exception("cards: could not move the cards epoch")


def cards_invalidate_on_commit() -> None:
    transaction.on_commit(cards_invalidate)


def _epoch() -> str | None:
    if not page_cache.page_cache_enabled():
        return None
    try:
        epoch = cache.get(EPOCH_KEY)
        if epoch is None:  # first use, or the cache lost it: no kept card can match a new epoch
            cache.add(EPOCH_KEY, uuid.uuid4().hex, None)
            epoch = cache.get(EPOCH_KEY)
        return epoch
    except Exception:
        logger.warning("cards: cache unavailable; rendering", exc_info=True)
        return None


def _key(epoch: str, page, host: str) -> str:
    published = page.last_published_at.timestamp() if page.last_published_at else 0
    parts = f"{TEMPLATE_FINGERPRINT}|{epoch}|{host}|{page.pk}|{page.live_revision_id}|{published}"
    return KEY_PREFIX + hashlib.sha256(parts.encode()).hexdigest()[:40]


def _valid_until(page, now_ts: float) -> float | None:
    """When an emergency's window state next changes (None: never, or not an emergency)."""
    for moment in (getattr(page, "effective_from", None), getattr(page, "expires_at", None)):
        if moment is not None and moment.timestamp() > now_ts:
            return moment.timestamp()
    return None


def _render(pages: list, request) -> list[str]:
    template = get_template(CARD_TEMPLATE).template
    return [template.render(Context({"item": page, "request": request})) for page in pages]


def _specific(items: list) -> list:
    """``items`` as specific pages with card data (plain ``Page`` rows are loaded)."""
    if all(type(item) is not Page for item in items):
        return items
    return content_specific_list(items, topics=False)


def cards_html(items, request) -> str:
    """The cards of ``items``, in order, as one safe HTML string (module contract)."""
    items = list(items)
    epoch = _epoch()
    if epoch is None or not items:
        return mark_safe("".join(_render(_specific(items), request)))  # noqa: S308 - rendered templates
    host = request.get_host() if request is not None else ""
    now_ts = time.time()
    keys = [_key(epoch, item, host) for item in items]
    try:
        kept = cache.get_many(keys)
    except Exception:
        logger.warning("cards: cache unavailable; rendering", exc_info=True)
        kept = {}
    html = {}
    for key, value in kept.items():
        card, until = value
        if until is None or now_ts < until:
            html[key] = card
    missing = [item for item, key in zip(items, keys, strict=True) if key not in html]
    if missing:
        pages = _specific(missing)
        rendered = dict(
            zip((_key(epoch, page, host) for page in pages), _render(pages, request), strict=True)
        )
        html.update(rendered)
        try:
            cache.set_many(
                {
                    key: (card, _valid_until(page, now_ts))
                    for page, (key, card) in zip(pages, rendered.items(), strict=True)
                },
                settings.PAGE_CACHE_SECONDS,
            )
        except Exception:
            logger.warning("cards: could not store cards", exc_info=True)
    return mark_safe("".join(html[key] for key in keys if key in html))  # noqa: S308 - rendered templates

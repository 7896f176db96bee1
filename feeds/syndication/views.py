"""Syndication over HTTP: RSS 2.0, Atom 1.0 and JSON Feed 1.1 per scope (its sections of the human
feed list, /feeds/, are in portal.py).

Bad input never reaches a query: an unknown audience, topic or type (or an absurd slug) is a 404,
a ``?page=`` that is not a whole number from 1 is a 400, a page past the end a 404.
"""

import json
import logging
import re

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from content.selectors import CARD_RENDITION, home_route_url, section_url
from content.types import CONTENT_TYPE_LABELS_TEXT
from feeds.http import conditional_response

from .builders import (
    CONTENT_TYPES,
    FeedChannel,
    atom_feed_build,
    feed_entry_from_page,
    json_feed_build,
    rss_feed_build,
)
from .selectors import feed_pages_load, feed_scope_get, feed_slice_get

logger = logging.getLogger(__name__)

PAGE_NUMBER = re.compile(r"^[1-9][0-9]{0,5}$")
BUILDERS = {"rss": rss_feed_build, "atom": atom_feed_build}


class BadPageNumber(Exception):
    pass


def _page_number(request) -> int:
    raw = request.GET.get("page")
    if raw is None:
        return 1
    if not PAGE_NUMBER.match(raw):
        raise BadPageNumber
    return int(raw)


def feed_url_name(fmt: str, kind: str) -> str:
    return f"feed_{fmt}" if kind == "all" else f"feed_{kind}_{fmt}"


def _feed_path(fmt: str, scope) -> str:
    args = [] if scope.kind == "all" else [scope.slug]
    return reverse(feed_url_name(fmt, scope.kind), args=args)


def _home_path(scope) -> str:
    if scope.kind in ("audience", "topic"):
        return home_route_url(scope.kind, scope.slug)  # the home page's routes are named after the kinds
    if scope.kind == "type":
        return section_url(scope.slug)
    return "/"


def _channel(request, scope, fmt: str, feed_slice) -> FeedChannel:
    path = _feed_path(fmt, scope)
    absolute = request.build_absolute_uri
    titles = {
        "all": ("科普鄂州", f"科普鄂州最新科普内容：{CONTENT_TYPE_LABELS_TEXT}"),
        "audience": (f"科普鄂州 · {scope.name}", f"科普鄂州面向{scope.name}的科普内容"),
        "topic": (f"科普鄂州 · 主题：{scope.name}", f"科普鄂州“{scope.name}”主题的科普内容"),
        "type": (f"科普鄂州 · {scope.name}", f"科普鄂州最新{scope.name}"),
    }
    title, description = titles[scope.kind]
    number = feed_slice.number
    return FeedChannel(
        id=absolute(path),
        title=title,
        description=description,
        home_url=absolute(_home_path(scope)),
        self_url=absolute(path if number == 1 else f"{path}?page={number}"),
        first_url=absolute(path) if number > 1 or feed_slice.has_next else "",
        next_url=absolute(f"{path}?page={number + 1}") if feed_slice.has_next else "",
        previous_url=absolute(path if number == 2 else f"{path}?page={number - 1}") if number > 1 else "",
    )


def _cover_url(page, absolute) -> str:
    if not page.cover_image:
        return ""
    try:
        return absolute(page.cover_image.get_rendition(CARD_RENDITION).url)
    except OSError:  # SourceImageIOError: a missing original must not take the feed down
        logger.warning("feed: no cover rendition for page %s", page.pk)
        return ""


def _entry(request, page, now):
    absolute = request.build_absolute_uri
    return feed_entry_from_page(
        page, body_html=page.body.__html__(), image_url=_cover_url(page, absolute), absolute=absolute, now=now
    )


@require_safe
def feed(request, fmt: str, kind: str = "all", slug: str = ""):
    scope = feed_scope_get(kind, slug)
    if scope is None:
        raise Http404("没有这个订阅源")
    try:
        number = _page_number(request)
    except BadPageNumber:
        return HttpResponseBadRequest(
            "页码无效：page 应为 1 到 999999 之间的整数", content_type="text/plain; charset=utf-8"
        )
    variant = f"{fmt}|{request.scheme}://{request.get_host()}"
    now = timezone.now()  # one instant for the version and the document (emergency status)
    feed_slice = feed_slice_get(scope, number, settings.FEEDS_PAGE_SIZE, now=now, variant=variant)
    if feed_slice is None:
        raise Http404("没有这一页")

    def body() -> bytes:
        channel = _channel(request, scope, fmt, feed_slice)
        entries = [_entry(request, page, now) for page in feed_pages_load(feed_slice)]
        if fmt == "json":
            return json.dumps(json_feed_build(channel, entries), ensure_ascii=False, indent=1).encode("utf-8")
        return BUILDERS[fmt](channel, entries)

    return conditional_response(
        request,
        body,
        etag=feed_slice.etag,
        last_modified=feed_slice.last_modified,
        content_type=CONTENT_TYPES[fmt],
    )

"""The knowledge service: what the official account answers to a citizen's message.

A keyword is answered with one news card, the best search match. An expired warning is never the
answer while something else matches; when it is the only kind of match, the card says 已过期. A
warning's card always states its status (生效中 / 未生效 / 已过期, ``content.warning``) at the time
of the answer.
"""

import logging
from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page

from content.emergency import EXPIRED
from content.models import Audience
from content.selectors import content_specific_list, home_route_url, section_url, topic_popular_list
from content.types import EMERGENCY
from content.warning import warning_text
from search.query_stats import query_stats_record, visitor_key_for
from search.selectors import page_search

from . import replies
from .services import wechat_publish_event_apply

logger = logging.getLogger(__name__)

MAX_KEYWORD_LENGTH = 50
KEYWORD_CANDIDATES = 5  # matches considered for the one card: an expired warning yields to the others
COVER_SPEC = "fill-900x500|format-jpeg|jpegquality-80"


def _suggestions() -> str:
    names = [topic.name for topic in topic_popular_list(limit=6)]
    return "、".join(names) if names else "台风、防溺水、防诈骗"


def welcome_text(absolute) -> str:
    links = " ".join(
        f'<a href="{absolute(home_route_url("audience", a.slug))}">{a.name}</a>'
        for a in Audience.objects.order_by("sort_order")
    )
    return (
        "欢迎关注科普鄂州！发送关键词（如 台风、防溺水、防诈骗）即可获取权威科普内容。\n"
        f"按人群浏览：{links}\n"
        f'<a href="{absolute(section_url(EMERGENCY.key))}">{EMERGENCY.label}</a>'
    )


def keyword_answer(message: dict, *, absolute) -> str:
    """The reply XML for a text message: the best match as a news card, or suggestions."""
    keyword = " ".join((message.get("Content") or "").split())[:MAX_KEYWORD_LENGTH]
    if not keyword:
        return replies.text_reply(message, f"请发送想了解的关键词，例如：{_suggestions()}")
    now = timezone.now()
    try:
        found = page_search(keyword, page_size=KEYWORD_CANDIDATES)
        query_stats_record(
            found.query, found.count, visitor_key_for("wechat", message.get("FromUserName") or "")
        )
        page = keyword_best_page([r.id for r in found.results], now=now)
    except Exception:  # the reply must come within 5 seconds whatever happens to search
        logger.exception("WeChat keyword search failed for %r", keyword)
        page = None
    if page is None:
        # The citizen's words go back inside the client's markup: encoded in the link, escaped in the text.
        search_url = absolute(f"{reverse('search')}?{urlencode({'q': keyword})}")
        return replies.text_reply(
            message,
            f"没有找到与“{escape(keyword)}”相关的科普内容。试试发送：{_suggestions()}\n"
            f'或到<a href="{escape(search_url)}">科普鄂州搜索</a>看看。',
        )
    title, description = keyword_card_text(page, now=now)
    picture = page.cover_image
    return replies.news_reply(
        message,
        title=title,
        description=description,
        picture_url=absolute(picture.get_rendition(COVER_SPEC).url) if picture else "",
        url=absolute(page.url),
    )


def _expired(page, now: datetime) -> bool:
    return page.content_type_key == "emergency" and page.warning.status(now) == EXPIRED


def keyword_best_page(ids: list[int], *, now: datetime):
    """The page to answer with, from search matches in rank order: the first that is not an expired
    warning, else the first; None without matches. Status comes from the live page at ``now``."""
    pages = content_specific_list(Page.objects.filter(pk__in=ids))
    by_id = {page.pk: page for page in pages}
    ranked = [by_id[pk] for pk in ids if pk in by_id]
    return next((page for page in ranked if not _expired(page, now)), ranked[0] if ranked else None)


def keyword_card_text(page, *, now: datetime) -> tuple[str, str]:
    """Title and description of the news card; a warning's carry its status at ``now``."""
    if page.content_type_key != "emergency":
        return page.title, page.summary or page.title
    warning = page.warning
    return f"【{warning.status_label(now)}】{page.title}", warning_text(warning, now=now)


def message_answer(message: dict, *, absolute) -> str:
    """Any message or event → reply XML, or "success" (WeChat's "no reply")."""
    kind = message.get("MsgType")
    if kind == "text":
        return keyword_answer(message, absolute=absolute)
    if kind == "event":
        event = (message.get("Event") or "").lower()
        if event == "subscribe":
            return replies.text_reply(message, welcome_text(absolute))
        if event == "publishjobfinish":
            wechat_publish_event_apply(message)
        return "success"
    if kind in {"image", "voice", "video", "shortvideo", "location", "link"}:
        return replies.text_reply(message, f"目前只能回答文字消息。请发送关键词，例如：{_suggestions()}")
    return "success"

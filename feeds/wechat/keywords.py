"""The knowledge service: what the official account answers to a citizen's message."""

import logging

from wagtail.models import Page

from content.models import Audience
from content.selectors import content_specific_list, topic_popular_list
from search.selectors import page_search

from . import replies

logger = logging.getLogger(__name__)

MAX_KEYWORD_LENGTH = 50
COVER_SPEC = "fill-900x500|format-jpeg|jpegquality-80"


def _suggestions() -> str:
    names = [topic.name for topic in topic_popular_list(limit=6)]
    return "、".join(names) if names else "台风、防溺水、防诈骗"


def welcome_text(absolute) -> str:
    links = " ".join(
        f'<a href="{absolute(f"/audiences/{a.slug}/")}">{a.name}</a>'
        for a in Audience.objects.order_by("sort_order")
    )
    return (
        "欢迎关注科普鄂州！发送关键词（如 台风、防溺水、防诈骗）即可获取权威科普内容。\n"
        f"按人群浏览：{links}\n"
        f'<a href="{absolute("/emergency/")}">应急科普</a>'
    )


def keyword_answer(message: dict, *, absolute) -> str:
    """The reply XML for a text message: the best match as a news card, or suggestions."""
    keyword = " ".join((message.get("Content") or "").split())[:MAX_KEYWORD_LENGTH]
    if not keyword:
        return replies.text_reply(message, f"请发送想了解的关键词，例如：{_suggestions()}")
    try:
        found = page_search(keyword, page_size=3, log=True)
        pages = content_specific_list(Page.objects.filter(pk__in=[r.id for r in found.results[:1]]))
    except Exception:  # the reply must come within 5 seconds whatever happens to search
        logger.exception("WeChat keyword search failed for %r", keyword)
        pages = []
    if not pages:
        search_url = absolute(f"/search/?q={keyword}")
        return replies.text_reply(
            message,
            f"没有找到与“{keyword}”相关的科普内容。试试发送：{_suggestions()}\n"
            f'或到<a href="{search_url}">科普鄂州搜索</a>看看。',
        )
    page = pages[0]
    picture = page.cover_image
    return replies.news_reply(
        message,
        title=page.title,
        description=page.summary or page.title,
        picture_url=absolute(picture.get_rendition(COVER_SPEC).url) if picture else "",
        url=absolute(page.url),
    )


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
            from .services import wechat_publish_event_apply

            wechat_publish_event_apply(message)
        return "success"
    if kind in {"image", "voice", "video", "shortvideo", "location", "link"}:
        return replies.text_reply(message, f"目前只能回答文字消息。请发送关键词，例如：{_suggestions()}")
    return "success"

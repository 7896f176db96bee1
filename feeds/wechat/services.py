"""Pushing pages to the official account: request (in the editor's request) and run (in a task).

Idempotent by revision: a revision that was pushed (or is being pushed) is not pushed again; a failed
push of it is retried; a new revision updates the page's unpublished WeChat draft instead of adding
another. WeChat errors end the push as 失败 with the Chinese message on the push history.

Exactly once, even when the worker dies mid-call. The run may be repeated at any point (a retry, or
the task run again after its worker was killed); steps whose result was saved are skipped. Two calls
are not idempotent on WeChat's side, and their answer can be lost after WeChat acted on them:

* ``draft/add`` — before it is sent, ``draft_add_started_at`` is committed (a durable transaction: it
  refuses to run inside a caller's transaction, whose rollback would lose the mark). A run that finds
  the mark and no ``media_id`` first looks in the draft box (``draft/batchget``, newest first) for a
  draft whose first article has this push's title and 阅读原文 URL, updated no earlier than the mark
  minus ``CLOCK_SLACK`` and not recorded on another push; it adopts that draft (``draft/update`` with
  the article) instead of adding a second one. The mark is cleared with the ``media_id``.
* ``freepublish/submit`` — likewise ``publish_submit_started_at``. A run that finds the mark and no
  ``publish_id`` asks for the draft (``draft/get``): a submitted draft leaves the draft box, so if it
  is still there the submit never took effect and is sent again; if it is gone (40007) it is never
  sent again. The ``publish_id`` cannot be recovered (no API lists publish jobs by draft), so the push
  stays 发布中 and the article is looked for among the published ones (``freepublish/batchget``, same
  match) at each publish check and when a ``PUBLISHJOBFINISH`` event arrives for an unknown job.

Limits: the lookups read at most ``LOOKUP_PAGES`` pages of 20, which is enough unless that many drafts
(or published articles) were made or edited in the back office in between. A draft an editor made
by hand with the same title and 阅读原文 URL in that window would be adopted (and overwritten with
the page). We assume, as our fake WeChat does, that a submitted draft leaves the draft box as soon as
the job starts, and that a failed job puts it back; were it to stay during a running job, a repeated
submit would start a second job. ``freepublish/batchget`` lists only articles published without 群发
notification (which is what ``freepublish/submit`` does); a job that ends in failure, or a draft an
editor deleted, leaves such a push 发布中 with a note asking to check 发表记录 in the back office.
"""

import hashlib
import io
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.models import Page

from .client import WeChatClient, WeChatError, wechat_missing_settings
from .models import WeChatImage, WeChatPush
from .packaging import (
    BODY_IMAGE_SPEC,
    COVER_SPEC,
    CleanBody,
    article_fields_build,
    content_fits,
    images_replace,
    lead_html,
    wechat_html_clean,
)

logger = logging.getLogger(__name__)

BODY_IMAGE_MAX_BYTES = 1_000_000
# WeChat's update_time is whole seconds by WeChat's clock; ours marks the moment before the call.
CLOCK_SLACK = timedelta(seconds=60)
# A lost draft/add or submit was made at most minutes before the retry, and both lists hold the newest
# first: the article is on the first page unless 20 others were made or edited in between. Three pages
# (60 items) cover a busy back office without paging through the whole archive on every retry (each
# page is a call counted against the account's daily quota).
LOOKUP_PAGES = 3
LOOKUP_PAGE_SIZE = 20  # WeChat's maximum
PUBLISH_UNCONFIRMED = (
    "未能确认发布结果：发布请求已发出但未收到微信的答复，在已发布列表中也未找到这篇文章。"
    "请在公众号后台“发表记录”中核对"
)
PUBLISH_FAILURES = {
    2: "原创声明失败",
    3: "常规失败",
    4: "平台审核不通过",
    5: "发布成功后文章已被全部删除",
    6: "发布成功后文章已被封禁",
}


# --- packaging with side effects (reading media, uploading) --------------------------------


def _page_revision(push: WeChatPush):
    """The page as it was in the pushed revision (the live page if the revision is gone)."""
    if push.revision is not None:  # None without a query when revision_id is null
        return push.revision.as_object()
    return push.page.specific


def article_html(page, *, now=None) -> CleanBody:
    """The page's lead and body as WeChat-clean HTML, image sources still local; an emergency's
    status is stated as of ``now`` (default: the time of packaging).

    The lead (warning box, instructions, summary) is built from escaped text with its own inline
    styles, so it is added after cleaning; everything from the body goes through the cleaner.
    """
    parts = []
    if page.content_type_key == "video":
        poster = page.poster_image or page.cover_image
        if poster is not None:
            parts.append(f'<img src="{poster.get_rendition(BODY_IMAGE_SPEC).url}" alt="视频封面">')
        parts.append("<p>（本文含视频，请点击文末“阅读原文”观看）</p>")
        if page.transcript:
            parts.append(
                "<h2>视频文稿</h2>" + "".join(f"<p>{line}</p>" for line in page.transcript.splitlines())
            )
    parts.append(str(page.body))
    clean = wechat_html_clean("".join(parts))
    lead = lead_html(page, now=now or timezone.now())
    return CleanBody(html=lead + clean.html, image_sources=clean.image_sources)


def _media_bytes(src: str) -> bytes | None:
    """The bytes behind a local media URL; other URLs are never fetched (no requests to arbitrary hosts)."""
    media_url = settings.MEDIA_URL
    path = src.split("?", 1)[0]
    if not path.startswith(media_url):
        return None
    name = path[len(media_url) :]
    if ".." in name.split("/") or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def _as_jpeg(content: bytes, *, max_bytes: int, max_width: int = 1080) -> bytes:
    """JPEG/PNG under ``max_bytes`` as WeChat requires; anything else is re-encoded as JPEG."""
    if len(content) < max_bytes and (content[:3] == b"\xff\xd8\xff" or content[:8] == b"\x89PNG\r\n\x1a\n"):
        return content
    image: PILImage.Image = PILImage.open(io.BytesIO(content))
    image = image.convert("RGB")
    if image.width > max_width:
        image = image.resize((max_width, round(image.height * max_width / image.width)))
    for quality in (85, 75, 65, 50, 35):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, optimize=True)
        if out.tell() < max_bytes:
            return out.getvalue()
        image = image.resize((int(image.width * 0.8), int(image.height * 0.8)))
    raise WeChatError("图片无法压缩到 1MB 以内")


def _kind_of(content: bytes):
    return ("image.png", "image/png") if content[:4] == b"\x89PNG" else ("image.jpg", "image/jpeg")


def _body_image_url(client: WeChatClient, content: bytes) -> str:
    content = _as_jpeg(content, max_bytes=BODY_IMAGE_MAX_BYTES)
    sha1 = hashlib.sha1(content).hexdigest()  # noqa: S324 - a content key, not security
    known = WeChatImage.objects.filter(sha1=sha1, kind=WeChatImage.BODY, app_id=client.app_id).first()
    if known:
        return known.url
    url = client.upload_body_image(content, *_kind_of(content))
    WeChatImage.objects.get_or_create(
        sha1=sha1, kind=WeChatImage.BODY, app_id=client.app_id, defaults={"url": url}
    )
    return url


def _default_cover() -> bytes:
    """A plain brand-coloured 2.35:1 cover for pages without a picture."""
    image = PILImage.new("RGB", (900, 383), (11, 83, 148))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _cover_media_id(client: WeChatClient, page) -> str:
    picture = page.cover_image or getattr(page, "poster_image", None)
    if picture is not None:
        rendition = picture.get_rendition(COVER_SPEC)
        with rendition.file.open("rb") as handle:
            content = handle.read()
    else:
        content = _default_cover()
    sha1 = hashlib.sha1(content).hexdigest()  # noqa: S324 - a content key, not security
    known = WeChatImage.objects.filter(sha1=sha1, kind=WeChatImage.COVER, app_id=client.app_id).first()
    if known:
        return known.media_id
    media_id = client.add_image_material(content, *_kind_of(content))
    WeChatImage.objects.get_or_create(
        sha1=sha1, kind=WeChatImage.COVER, app_id=client.app_id, defaults={"media_id": media_id}
    )
    return media_id


def wechat_article_package(client: WeChatClient, page) -> dict:
    """The ``draft/add`` article for ``page``: images uploaded and swapped, cover uploaded."""
    clean = article_html(page)
    mapping = {}
    for src in clean.image_sources:
        content = _media_bytes(src)
        if content is None:
            logger.info("WeChat package of page %s: image %s is not local media, left out", page.pk, src)
            continue
        mapping[src] = _body_image_url(client, content)
    html = images_replace(clean.html, mapping)
    if not content_fits(html):
        raise WeChatError("正文超过微信限制（2 万字符或 1MB），请精简后再推送")
    return article_fields_build(
        page, content=html, thumb_media_id=_cover_media_id(client, page), source_url=page.get_full_url()
    )


def wechat_article_preview(page, *, absolute) -> dict:
    """The packaged article for the admin preview: same HTML, local image URLs, nothing uploaded."""
    clean = article_html(page)
    content = images_replace(clean.html, {src: absolute(src) for src in clean.image_sources})
    fields = article_fields_build(page, content=content, thumb_media_id="", source_url=page.get_full_url())
    picture = page.cover_image or getattr(page, "poster_image", None)
    fields["cover_url"] = absolute(picture.get_rendition(COVER_SPEC).url) if picture else ""
    fields["fits"] = content_fits(content)
    fields["content_length"] = len(content)
    return fields


# --- push requests and the push itself -----------------------------------------------------


def wechat_push_request(page: Page, *, user=None, publish: bool = False) -> tuple[WeChatPush, bool]:
    """Queue a push of the page's live revision; returns (push, queued_now).

    Raises ``WeChatError`` when the account is not configured or the page is not published.
    """
    missing = wechat_missing_settings()
    if missing:
        raise WeChatError(f"未配置公众号：缺少环境变量 {'、'.join(missing)}")
    if not page.live or page.live_revision_id is None:
        raise WeChatError("页面尚未发布，请先发布再推送到公众号")
    with transaction.atomic():
        push, created = WeChatPush.objects.select_for_update().get_or_create(
            page=page,
            revision_id=page.live_revision_id,
            defaults={"title": page.title, "publish": publish, "requested_by": user},
        )
        if not created:
            retry = push.status == WeChatPush.FAILED
            upgrade = publish and not push.publish and push.status == WeChatPush.DRAFTED
            if not (retry or upgrade):
                return push, False  # already pushed or on its way: never twice
            push.status, push.error = WeChatPush.QUEUED, ""
            push.publish = push.publish or publish
            push.requested_by = user or push.requested_by
            push.save()
        transaction.on_commit(lambda: _enqueue(push.pk))
    return push, True


def _enqueue(push_id: int) -> None:
    from .tasks import wechat_push_task  # noqa: PLC0415 (tasks import this module)

    wechat_push_task.enqueue(push_id)


def _previous_draft(push: WeChatPush) -> str:
    """The media_id of this page's WeChat draft that has not been published, if any."""
    previous = (
        WeChatPush.objects.filter(page_id=push.page_id, status=WeChatPush.DRAFTED)
        .exclude(pk=push.pk)
        .exclude(media_id="")
        .order_by("-created_at", "-pk")
        .first()
    )
    return previous.media_id if previous else ""


def _set(push: WeChatPush, **fields) -> None:
    for name, value in fields.items():
        setattr(push, name, value)
    push.save(update_fields=[*fields, "updated_at"])


def _mark_in_flight(push: WeChatPush, field: str) -> None:
    """Record, committed before the HTTP call, that a call WeChat does not make idempotent is on its
    way. An earlier attempt's mark is kept, so a later lookup covers every attempt."""
    if getattr(push, field) is not None:
        return
    # durable: refuses to run inside a caller's transaction, whose rollback (or a kill before its
    # commit) would lose the mark while WeChat keeps what the call made.
    with transaction.atomic(durable=True):
        _set(push, **{field: timezone.now()})


def _recent_items(fetch, since) -> list:
    """Items of a WeChat list (``draft/batchget``, ``freepublish/batchget``) updated at or after
    ``since``, reading at most ``LOOKUP_PAGES`` pages."""
    floor = int((since - CLOCK_SLACK).timestamp())
    found = []
    for page in range(LOOKUP_PAGES):
        data = fetch(offset=page * LOOKUP_PAGE_SIZE, count=LOOKUP_PAGE_SIZE)
        items = data.get("item") or []
        recent = [i for i in items if int(i.get("update_time") or 0) >= floor]
        found.extend(recent)
        end = (page + 1) * LOOKUP_PAGE_SIZE >= int(data.get("total_count") or 0)
        if end or len(items) < LOOKUP_PAGE_SIZE or not recent:
            break  # the end of the list, or a whole page older than the mark: the rest is older still
    return found


def _first_article(item: dict) -> dict:
    news = (item.get("content") or {}).get("news_item") or []
    return news[0] if news and isinstance(news[0], dict) else {}


def _same_article(item: dict, article: dict) -> bool:
    first = _first_article(item)
    return bool(first) and (first.get("title"), first.get("content_source_url")) == (
        article["title"],
        article["content_source_url"],
    )


def _lost_draft_find(client: WeChatClient, push: WeChatPush, article: dict) -> str:
    """The media_id of the draft an earlier attempt's ``draft/add`` made, if WeChat holds one."""
    for item in _recent_items(client.draft_batchget, push.draft_add_started_at):
        media_id = item.get("media_id") or ""
        if (
            media_id
            and _same_article(item, article)
            and not WeChatPush.objects.filter(media_id=media_id).exclude(pk=push.pk).exists()
        ):
            logger.info(
                "WeChat push %s: adopting draft %s from a draft/add whose answer was lost", push.pk, media_id
            )
            return media_id
    return ""


def _draft_update_if_there(client: WeChatClient, media_id: str, article: dict) -> str:
    """``media_id`` once its draft holds ``article``; "" when there is no such draft (any more)."""
    if not media_id:
        return ""
    try:
        client.draft_update(media_id, article)
    except WeChatError as exc:
        if exc.code != 40007:
            raise
        return ""  # the draft was published or deleted in the back office
    return media_id


def _draft_gone(client: WeChatClient, media_id: str) -> bool:
    try:
        client.draft_get(media_id)
    except WeChatError as exc:
        if exc.code == 40007:
            return True
        raise
    return False


def _article_match_keys(push: WeChatPush) -> dict:
    """Title and 阅读原文 URL exactly as packaged for ``draft/add`` (nothing uploaded)."""
    page = _page_revision(push)
    return article_fields_build(page, content="", thumb_media_id="", source_url=page.get_full_url())


def _lost_publish_find(client: WeChatClient, push: WeChatPush) -> str | None:
    """The article URL of this push's article if WeChat lists it as published since the submit."""
    keys = _article_match_keys(push)
    for item in _recent_items(client.publish_batchget, push.publish_submit_started_at):
        if _same_article(item, keys) and not _first_article(item).get("is_deleted"):
            return _first_article(item).get("url") or ""
    return None


def wechat_push_run(push_id: int, *, client: WeChatClient | None = None) -> WeChatPush:
    """Do the push (the task body). Safe to run again, even after a worker died mid-call: finished
    steps are skipped, and a call whose answer may have been lost is looked up, not repeated."""
    push = WeChatPush.objects.select_related("page", "revision").get(pk=push_id)
    if push.status == WeChatPush.PUBLISHED or (push.status == WeChatPush.DRAFTED and not push.publish):
        return push
    _set(push, status=WeChatPush.RUNNING, attempts=push.attempts + 1, error="")
    try:
        client = client or WeChatClient.from_settings()
        if not push.media_id:
            article = wechat_article_package(client, _page_revision(push))
            media_id = _draft_update_if_there(client, _previous_draft(push), article)
            if not media_id and push.draft_add_started_at:
                media_id = _draft_update_if_there(client, _lost_draft_find(client, push, article), article)
            if not media_id:
                _mark_in_flight(push, "draft_add_started_at")
                media_id = client.draft_add(article)
            # Older pushes pointing at this draft now describe an older revision of it.
            WeChatPush.objects.filter(
                page_id=push.page_id, media_id=media_id, status=WeChatPush.DRAFTED
            ).exclude(pk=push.pk).update(media_id="")
            _set(push, media_id=media_id, draft_add_started_at=None, status=WeChatPush.DRAFTED)
        if push.publish:
            if not push.publish_id:
                if push.publish_submit_started_at and _draft_gone(client, push.media_id):
                    # An earlier submit reached WeChat but its answer was lost: never submit again;
                    # the publish checks look for the article among the published ones.
                    _set(push, status=WeChatPush.PUBLISHING)
                else:
                    _mark_in_flight(push, "publish_submit_started_at")
                    publish_id = client.publish_submit(push.media_id)
                    _set(
                        push,
                        publish_id=publish_id,
                        publish_submit_started_at=None,
                        status=WeChatPush.PUBLISHING,
                    )
            wechat_publish_check(push.pk, client=client)
            push.refresh_from_db()
        else:
            _set(push, status=WeChatPush.DRAFTED)
    except WeChatError as exc:
        logger.warning("WeChat push %s of page %s failed: %s", push.pk, push.page_id, exc)
        _set(push, status=WeChatPush.FAILED, error=str(exc))
    return push


def wechat_publish_check(push_id: int, attempt: int = 0, *, client: WeChatClient | None = None) -> None:
    """Ask WeChat once how the publish job went (the body of ``wechat_publish_check_task``).

    While the job is still running, the next check is a task deferred by the next delay of
    ``WECHAT_PUBLISH_POLL_DELAYS``: the worker is never held asleep. After the last one the push
    stays 发布中 until WeChat's ``PUBLISHJOBFINISH`` event arrives at the callback. A push whose
    submit answer was lost (no ``publish_id``) is looked for among the published articles instead.
    """
    push = WeChatPush.objects.filter(pk=push_id, status=WeChatPush.PUBLISHING).first()
    if push is None or not (push.publish_id or push.publish_submit_started_at):
        return  # finished meanwhile (the callback event) or never submitted
    client = client or WeChatClient.from_settings()
    if push.publish_id:
        try:
            data = client.publish_get(push.publish_id)
        except WeChatError as exc:
            logger.warning("WeChat publish check %s of push %s failed: %s", attempt, push_id, exc)
            data = {"publish_status": 1}  # unknown: ask again later
        if wechat_publish_result_apply(push, data):
            return
    else:
        try:
            url = _lost_publish_find(client, push)
        except WeChatError as exc:
            logger.warning("WeChat publish lookup %s of push %s failed: %s", attempt, push_id, exc)
            url = None
        if url is not None:
            _set(
                push,
                status=WeChatPush.PUBLISHED,
                article_url=url[:500],
                publish_submit_started_at=None,
                error="",
            )
            return
    delays = settings.WECHAT_PUBLISH_POLL_DELAYS
    if attempt < len(delays):
        from .tasks import wechat_publish_check_later  # noqa: PLC0415 (tasks import this module)

        wechat_publish_check_later(push_id, attempt + 1, delays[attempt])
    elif not push.publish_id:
        _set(push, error=PUBLISH_UNCONFIRMED)


def wechat_publish_result_apply(push: WeChatPush, data: dict) -> bool:
    """Record a ``freepublish/get`` answer or ``PUBLISHJOBFINISH`` event; True when publishing has ended."""
    status = int(data.get("publish_status", 1))
    if status == 1:
        _set(push, status=WeChatPush.PUBLISHING)
        return False
    if status == 0:
        items = (data.get("article_detail") or {}).get("item") or []
        url = next((i.get("article_url", "") for i in items if i.get("article_url")), "")
        _set(push, status=WeChatPush.PUBLISHED, article_url=url[:500], error="")
        return True
    reason = PUBLISH_FAILURES.get(status, f"发布失败（状态 {status}）")
    _set(push, status=WeChatPush.FAILED, error=f"发布失败：{reason}")
    return True


def wechat_push_list(page) -> list:
    return list(
        WeChatPush.objects.filter(page=page).select_related("requested_by").order_by("-created_at", "-pk")
    )


def wechat_publish_event_apply(message: dict) -> None:
    """A ``PUBLISHJOBFINISH`` event: record how the publish job ended."""
    publish_id = message.get("publish_id") or message.get("PublishId") or ""
    push = WeChatPush.objects.filter(publish_id=publish_id).first() if publish_id else None
    status = message.get("publish_status")
    if push is None and str(status) == "0":
        _lost_publishes_recheck()
        return
    if push is None or push.status == WeChatPush.PUBLISHED:
        return
    data = {"publish_status": status if status not in (None, "") else 1}
    if message.get("article_url"):
        data["article_detail"] = {"item": [{"article_url": message["article_url"]}]}
    wechat_publish_result_apply(push, data)


def _lost_publishes_recheck() -> None:
    """A job we hold no ``publish_id`` for has published something: look once more for the articles
    of pushes whose submit answer was lost (a final check: it schedules no others)."""
    from .tasks import wechat_publish_check_task  # noqa: PLC0415 (tasks import this module)

    final = len(settings.WECHAT_PUBLISH_POLL_DELAYS)
    waiting = WeChatPush.objects.filter(
        status=WeChatPush.PUBLISHING, publish_id="", publish_submit_started_at__isnull=False
    )
    for push_id in waiting.values_list("pk", flat=True):
        wechat_publish_check_task.enqueue(push_id, final)

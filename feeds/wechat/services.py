"""Pushing pages to the official account: request (in the editor's request) and run (in a task).

Idempotent by revision: a revision that was pushed (or is being pushed) is not pushed again; a failed
push of it is retried; a new revision updates the page's unpublished WeChat draft instead of adding
another. WeChat errors end the push as 失败 with the Chinese message on the push history.
"""

import hashlib
import io
import logging

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
    if push.revision_id:
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
    image = PILImage.open(io.BytesIO(content))
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
    content = images_replace(clean.html, mapping)
    if not content_fits(content):
        raise WeChatError("正文超过微信限制（2 万字符或 1MB），请精简后再推送")
    return article_fields_build(
        page, content=content, thumb_media_id=_cover_media_id(client, page), source_url=page.get_full_url()
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
    from .tasks import wechat_push_task

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


def wechat_push_run(push_id: int, *, client: WeChatClient | None = None) -> WeChatPush:
    """Do the push (the task body). Safe to run again: finished steps are skipped."""
    push = WeChatPush.objects.select_related("page", "revision").get(pk=push_id)
    if push.status == WeChatPush.PUBLISHED or (push.status == WeChatPush.DRAFTED and not push.publish):
        return push
    _set(push, status=WeChatPush.RUNNING, attempts=push.attempts + 1, error="")
    try:
        client = client or WeChatClient.from_settings()
        if not push.media_id:
            article = wechat_article_package(client, _page_revision(push))
            media_id = _previous_draft(push)
            if media_id:
                try:
                    client.draft_update(media_id, article)
                except WeChatError as exc:
                    if exc.code != 40007:
                        raise
                    media_id = ""  # the draft was published or deleted in the back office
            if not media_id:
                media_id = client.draft_add(article)
            # Older pushes pointing at this draft now describe an older revision of it.
            WeChatPush.objects.filter(
                page_id=push.page_id, media_id=media_id, status=WeChatPush.DRAFTED
            ).exclude(pk=push.pk).update(media_id="")
            _set(push, media_id=media_id, status=WeChatPush.DRAFTED)
        if push.publish:
            if not push.publish_id:
                _set(push, publish_id=client.publish_submit(push.media_id), status=WeChatPush.PUBLISHING)
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
    stays 发布中 until WeChat's ``PUBLISHJOBFINISH`` event arrives at the callback.
    """
    push = WeChatPush.objects.filter(pk=push_id, status=WeChatPush.PUBLISHING).first()
    if push is None or not push.publish_id:
        return  # finished meanwhile (the callback event) or never submitted
    try:
        data = (client or WeChatClient.from_settings()).publish_get(push.publish_id)
    except WeChatError as exc:
        logger.warning("WeChat publish check %s of push %s failed: %s", attempt, push_id, exc)
        data = {"publish_status": 1}  # unknown: ask again later
    if wechat_publish_result_apply(push, data):
        return
    delays = settings.WECHAT_PUBLISH_POLL_DELAYS
    if attempt < len(delays):
        from .tasks import wechat_publish_check_later

        wechat_publish_check_later(push_id, attempt + 1, delays[attempt])


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
    if push is None or push.status == WeChatPush.PUBLISHED:
        return
    status = message.get("publish_status")
    data = {"publish_status": status if status not in (None, "") else 1}
    if message.get("article_url"):
        data["article_detail"] = {"item": [{"article_url": message["article_url"]}]}
    wechat_publish_result_apply(push, data)

"""Pushing pages through the real client to a local protocol-faithful WeChat API (fake_server.py)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks.backends.dummy import DummyBackend

from content.models import ArticlePage
from feeds.wechat.client import WeChatClient, WeChatError
from feeds.wechat.keywords import message_answer
from feeds.wechat.models import WeChatPush
from feeds.wechat.replies import message_parse
from feeds.wechat.services import wechat_push_request, wechat_push_run
from feeds.wechat.tasks import wechat_publish_check_task
from tests.factories import ArticlePageFactory, ImageFactory

DRAFT_ADD, DRAFT_UPDATE = "/cgi-bin/draft/add", "/cgi-bin/draft/update"


@pytest.fixture
def article(article_index, django_capture_on_commit_callbacks):
    """A published article with a cover, a body image, and markup WeChat must never see."""
    cover = ImageFactory(file__width=1800, file__height=1000)
    figure = ImageFactory(file__width=1200, file__height=800)
    page = ArticlePageFactory(
        parent=article_index,
        title="台风来了怎么办",
        live=False,
        cover_image=cover,
        body=[
            (
                "paragraph",
                "<p>台风来临前要加固门窗。</p><script>alert('x')</script><style>p{color:red}</style>",
            ),
            ("image", {"image": figure, "caption": "加固门窗"}),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    return ArticlePage.objects.get(pk=page.pk)


def _push(page, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        push, queued = wechat_push_request(page, **kwargs)
    push.refresh_from_db()
    return push, queued


def _republish(page, django_capture_on_commit_callbacks, title):
    page.title = title
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    return ArticlePage.objects.get(pk=page.pk)


def test_full_push_uploads_images_adds_a_draft_and_publishes(
    fake_wechat, article, django_capture_on_commit_callbacks
):
    push, queued = _push(article, django_capture_on_commit_callbacks, publish=True)
    assert queued
    assert push.status == WeChatPush.PUBLISHED, push.error
    assert push.article_url.startswith("https://mp.weixin.qq.com/s/")
    (sent,) = fake_wechat.drafts[push.media_id]
    assert sent["title"] == "台风来了怎么办"
    assert sent["content_source_url"] == article.get_full_url()
    # The cover went up as permanent material and is the article's thumb; body images were re-hosted.
    assert sent["thumb_media_id"] in fake_wechat.materials
    assert len(fake_wechat.images) == 1
    assert fake_wechat.images[0]["url"] in sent["content"]
    assert "/media/" not in sent["content"]
    assert fake_wechat.violations == []


def test_script_and_style_never_reach_wechat(fake_wechat, article, django_capture_on_commit_callbacks):
    push, _ = _push(article, django_capture_on_commit_callbacks)
    assert push.status == WeChatPush.DRAFTED
    raw = b"".join(r.raw_body for r in fake_wechat.calls(DRAFT_ADD)).decode()
    assert "<script" not in raw and "<style" not in raw and "alert(" not in raw and "color:red" not in raw
    assert "台风来临前要加固门窗" in raw  # UTF-8, not \\u escapes
    assert fake_wechat.violations == []


def test_the_same_revision_is_never_pushed_twice(fake_wechat, article, django_capture_on_commit_callbacks):
    first, _ = _push(article, django_capture_on_commit_callbacks)
    again, queued = _push(article, django_capture_on_commit_callbacks)
    assert not queued and again.pk == first.pk
    assert len(fake_wechat.calls(DRAFT_ADD)) == 1 and WeChatPush.objects.count() == 1


def test_a_new_revision_updates_the_existing_draft(fake_wechat, article, django_capture_on_commit_callbacks):
    first, _ = _push(article, django_capture_on_commit_callbacks)
    changed = _republish(article, django_capture_on_commit_callbacks, "台风来了怎么办（更新版）")
    second, queued = _push(changed, django_capture_on_commit_callbacks)
    assert queued and second.pk != first.pk
    assert second.media_id == first.media_id or WeChatPush.objects.get(pk=first.pk).media_id == ""
    assert len(fake_wechat.calls(DRAFT_ADD)) == 1 and len(fake_wechat.calls(DRAFT_UPDATE)) == 1
    assert fake_wechat.drafts[second.media_id][0]["title"] == "台风来了怎么办（更新版）"
    # The body image and cover were not uploaded again.
    assert len(fake_wechat.images) == 1 and len(fake_wechat.materials) == 1


def test_a_new_revision_after_publishing_gets_a_new_draft(
    fake_wechat, article, django_capture_on_commit_callbacks
):
    first, _ = _push(article, django_capture_on_commit_callbacks, publish=True)
    changed = _republish(article, django_capture_on_commit_callbacks, "台风来了怎么办（第二版）")
    second, _ = _push(changed, django_capture_on_commit_callbacks)
    assert second.status == WeChatPush.DRAFTED and second.media_id != first.media_id
    assert len(fake_wechat.calls(DRAFT_ADD)) == 2


def test_expired_token_is_refreshed_once_and_the_call_succeeds(
    fake_wechat, article, django_capture_on_commit_callbacks
):
    _push(article, django_capture_on_commit_callbacks)
    issued = fake_wechat.tokens_issued
    fake_wechat.expire_tokens()
    changed = _republish(article, django_capture_on_commit_callbacks, "台风来了怎么办（新）")
    push, _ = _push(changed, django_capture_on_commit_callbacks)
    assert push.status == WeChatPush.DRAFTED, push.error
    assert fake_wechat.tokens_issued == issued + 1


@pytest.mark.parametrize("code", [45009, 45011, -1])
def test_rate_limit_and_busy_answers_are_retried(
    fake_wechat, article, django_capture_on_commit_callbacks, code
):
    fake_wechat.fail_next(DRAFT_ADD, code, times=2)
    push, _ = _push(article, django_capture_on_commit_callbacks)
    assert push.status == WeChatPush.DRAFTED, push.error
    assert len(fake_wechat.calls(DRAFT_ADD)) == 3


def test_exhausted_retries_fail_with_a_chinese_message_in_the_history(
    fake_wechat, article, django_capture_on_commit_callbacks
):
    fake_wechat.fail_next(DRAFT_ADD, 45009, times=4)
    push, _ = _push(article, django_capture_on_commit_callbacks)
    assert push.status == WeChatPush.FAILED
    assert push.error == "接口调用已达今日上限（错误码 45009）"
    assert len(fake_wechat.calls(DRAFT_ADD)) == 4  # first try + three retries
    retry, queued = _push(article, django_capture_on_commit_callbacks)  # a failed revision may be retried
    assert queued and retry.pk == push.pk and retry.status == WeChatPush.DRAFTED


def test_other_errors_are_not_retried(fake_wechat, article, django_capture_on_commit_callbacks):
    fake_wechat.fail_next(DRAFT_ADD, 45003)
    push, _ = _push(article, django_capture_on_commit_callbacks)
    assert push.status == WeChatPush.FAILED and "标题超过长度限制" in push.error
    assert len(fake_wechat.calls(DRAFT_ADD)) == 1


def test_failed_publish_job_is_reported(fake_wechat, article, django_capture_on_commit_callbacks):
    fake_wechat.fail_publish = True
    push, _ = _push(article, django_capture_on_commit_callbacks, publish=True)
    assert push.status == WeChatPush.FAILED and push.error.startswith("发布失败")


def test_publish_still_running_is_finished_by_the_callback_event(
    fake_wechat, article, django_capture_on_commit_callbacks
):
    fake_wechat.publish_polls_before_done = 100
    push, _ = _push(article, django_capture_on_commit_callbacks, publish=True)
    assert push.status == WeChatPush.PUBLISHING
    fake_wechat.publish_polls_before_done = 0
    WeChatClient.from_settings().publish_get(push.publish_id)  # the job finishes on WeChat's side
    event = message_parse(fake_wechat.publish_event_xml(push.publish_id).encode())
    assert message_answer(event, absolute=lambda u: u) == "success"
    push.refresh_from_db()
    assert push.status == WeChatPush.PUBLISHED


def test_unpublished_page_and_missing_configuration_are_explained(article_index, settings):
    draft = ArticlePageFactory(parent=article_index, live=False)
    settings.WECHAT_APP_ID = "wx"
    settings.WECHAT_APP_SECRET = "s"
    with pytest.raises(WeChatError, match="页面尚未发布"):
        wechat_push_request(draft)
    settings.WECHAT_APP_SECRET = ""
    with pytest.raises(WeChatError, match="缺少环境变量 WECHAT_APP_SECRET"):
        wechat_push_request(draft)


def test_wechat_push_command(fake_wechat, article):
    out = io.StringIO()
    call_command("wechat_push", str(article.pk), "--publish", stdout=out)
    assert "status: published" in out.getvalue()
    again = io.StringIO()
    call_command("wechat_push", str(article.pk), stdout=again)
    assert "未重复推送" in again.getvalue()
    with pytest.raises(CommandError, match="页面 999999 不存在"):
        call_command("wechat_push", "999999", stdout=io.StringIO())


def test_a_running_publish_job_is_checked_again_by_a_deferred_task_not_a_sleeping_worker(
    fake_wechat, article, django_capture_on_commit_callbacks, monkeypatch, settings
):
    """On a real queue the worker never sleeps between publish checks: the next check is a task
    that runs after the delay (``WECHAT_PUBLISH_POLL_DELAYS``)."""

    # Production-like delays: with the test settings' 10 ms, a loaded machine could pass the
    # moment before the assertion below read the clock.
    settings.WECHAT_PUBLISH_POLL_DELAYS = [60.0, 60.0, 60.0]
    queue = DummyBackend(alias="test-queue", params={})
    monkeypatch.setattr(type(wechat_publish_check_task), "get_backend", lambda self: queue)
    monkeypatch.setattr("feeds.wechat.tasks.time.sleep", lambda s: pytest.fail("the worker slept"))
    fake_wechat.publish_polls_before_done = 100
    with django_capture_on_commit_callbacks(execute=False):  # queue the push without running it
        push, _ = wechat_push_request(article, publish=True)
    push = wechat_push_run(push.pk)
    push.refresh_from_db()
    assert push.status == WeChatPush.PUBLISHING
    (deferred,) = queue.results
    assert deferred.args == [push.pk, 1]
    assert deferred.task.run_after > timezone.now()  # the next check waits in the queue
    fake_wechat.publish_polls_before_done = 0
    wechat_publish_check_task.call(*deferred.args)  # the worker runs it when due
    push.refresh_from_db()
    assert push.status == WeChatPush.PUBLISHED

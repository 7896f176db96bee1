"""A push completes exactly once even when the worker dies while WeChat's answer is on its way.

The worker's death is a ``BaseException`` raised right after (or right before) the real client call:
like SIGKILL, nothing after it runs and no ``except`` in the push catches it; what was committed stays.
Counts come from the fake WeChat's request log, so a second ``draft/add`` or submit fails the test.
"""

from datetime import timedelta

import pytest
from django.db import transaction

from content.models import ArticlePage
from feeds.wechat.client import WeChatClient
from feeds.wechat.keywords import message_answer
from feeds.wechat.models import WeChatPush
from feeds.wechat.replies import message_parse
from feeds.wechat.services import PUBLISH_UNCONFIRMED, wechat_push_request, wechat_push_run
from tests.factories import ArticlePageFactory

DRAFT_ADD, DRAFT_BATCHGET, DRAFT_GET = "/cgi-bin/draft/add", "/cgi-bin/draft/batchget", "/cgi-bin/draft/get"
SUBMIT, PUBLISHED_LIST = "/cgi-bin/freepublish/submit", "/cgi-bin/freepublish/batchget"


class WorkerKilled(BaseException):
    """Stands in for SIGKILL of the task worker."""


def _page(parent, capture, title="暴雨天出行注意事项", slug=None):
    page = ArticlePageFactory(
        parent=parent, title=title, slug=slug, live=False, body=[("paragraph", "<p>远离积水。</p>")]
    )
    with capture(execute=True):
        page.save_revision().publish()
    return ArticlePage.objects.get(pk=page.pk)


@pytest.fixture
def page(article_index, django_capture_on_commit_callbacks):
    return _page(article_index, django_capture_on_commit_callbacks)


def _queued(page, capture, *, publish):
    """A push request whose task has not run yet (as on a real queue)."""
    with capture(execute=False):
        push, queued = wechat_push_request(page, publish=publish)
    assert queued
    return push


def _killed(monkeypatch, push, call, *, before_sending=False):
    """Run the push; the worker dies right after WeChat carried out ``call`` (or just before it is sent)."""
    real = getattr(WeChatClient, call)

    def dies(self, *args, **kwargs):
        if not before_sending:
            real(self, *args, **kwargs)
        raise WorkerKilled(call)

    with monkeypatch.context() as m:
        m.setattr(WeChatClient, call, dies)
        with pytest.raises(WorkerKilled):
            wechat_push_run(push.pk)
    push.refresh_from_db()
    return push


def _count(fake, path):
    return len(fake.calls(path))


@pytest.mark.parametrize("publish", [True, False])
def test_killed_after_draft_add_reached_wechat_the_rerun_adopts_that_draft(
    fake_wechat, page, django_capture_on_commit_callbacks, monkeypatch, publish
):
    push = _killed(
        monkeypatch, _queued(page, django_capture_on_commit_callbacks, publish=publish), "draft_add"
    )
    assert push.status == WeChatPush.RUNNING and push.media_id == ""
    assert push.draft_add_started_at is not None  # committed before the call
    (made,) = fake_wechat.drafts  # WeChat holds the draft; nobody recorded it

    push = wechat_push_run(push.pk)  # the task run again (orphaned-task recovery)
    push.refresh_from_db()
    assert push.status == (WeChatPush.PUBLISHED if publish else WeChatPush.DRAFTED), push.error
    assert push.media_id == made and push.draft_add_started_at is None
    assert _count(fake_wechat, DRAFT_ADD) == 1
    assert _count(fake_wechat, SUBMIT) == (1 if publish else 0)
    assert _count(fake_wechat, DRAFT_BATCHGET) == 1
    batchget = fake_wechat.calls(DRAFT_BATCHGET)[0].json
    assert batchget == {"offset": 0, "count": 20, "no_content": 1}
    # The adopted draft was brought up to the article (draft/update), nothing else changed on WeChat.
    assert fake_wechat.drafts[made][0]["content_source_url"] == page.get_full_url()
    assert fake_wechat.violations == []


def test_killed_before_draft_add_was_sent_the_rerun_adds_it_once(
    fake_wechat, page, django_capture_on_commit_callbacks, monkeypatch
):
    push = _queued(page, django_capture_on_commit_callbacks, publish=True)
    push = _killed(monkeypatch, push, "draft_add", before_sending=True)
    assert push.draft_add_started_at is not None and fake_wechat.drafts == {}

    push = wechat_push_run(push.pk)
    push.refresh_from_db()
    assert push.status == WeChatPush.PUBLISHED, push.error
    assert _count(fake_wechat, DRAFT_BATCHGET) == 1  # looked, found nothing
    assert _count(fake_wechat, DRAFT_ADD) == 1 and _count(fake_wechat, SUBMIT) == 1
    assert push.draft_add_started_at is None


def test_another_pages_unrecorded_draft_with_the_same_title_is_not_adopted(
    fake_wechat, page, article_index, django_capture_on_commit_callbacks, monkeypatch
):
    twin = _page(article_index, django_capture_on_commit_callbacks, title=page.title, slug="twin")
    assert twin.get_full_url() != page.get_full_url()
    # The other page's push died after its draft/add: its draft is on WeChat and recorded nowhere.
    _killed(monkeypatch, _queued(twin, django_capture_on_commit_callbacks, publish=False), "draft_add")
    (twins_draft,) = fake_wechat.drafts
    push = _queued(page, django_capture_on_commit_callbacks, publish=False)
    push = _killed(monkeypatch, push, "draft_add", before_sending=True)

    push = wechat_push_run(push.pk)
    push.refresh_from_db()
    assert push.status == WeChatPush.DRAFTED, push.error
    assert push.media_id != twins_draft and _count(fake_wechat, DRAFT_ADD) == 2
    assert fake_wechat.drafts[push.media_id][0]["content_source_url"] == page.get_full_url()
    assert fake_wechat.drafts[twins_draft][0]["content_source_url"] == twin.get_full_url()  # untouched


def test_a_matching_draft_older_than_the_mark_is_not_adopted(
    fake_wechat, page, django_capture_on_commit_callbacks, monkeypatch
):
    push = _killed(monkeypatch, _queued(page, django_capture_on_commit_callbacks, publish=False), "draft_add")
    (old,) = fake_wechat.drafts
    mark = int(push.draft_add_started_at.timestamp())
    fake_wechat.draft_times[old] = mark - int(timedelta(minutes=10).total_seconds())

    push = wechat_push_run(push.pk)
    push.refresh_from_db()
    assert push.media_id != old and _count(fake_wechat, DRAFT_ADD) == 2


def test_a_lost_draft_add_answer_is_not_retried_and_the_editors_retry_adopts_the_draft(
    fake_wechat, page, django_capture_on_commit_callbacks
):
    fake_wechat.drop_answer_next(DRAFT_ADD)
    with django_capture_on_commit_callbacks(execute=True):
        push, _ = wechat_push_request(page)
    push.refresh_from_db()
    # A busy answer would be retried; a broken-off one may have made the draft, so it is not.
    assert push.status == WeChatPush.FAILED and "无法连接微信服务器" in push.error
    assert _count(fake_wechat, DRAFT_ADD) == 1 and push.draft_add_started_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        retry, queued = wechat_push_request(page)
    retry.refresh_from_db()
    assert queued and retry.pk == push.pk and retry.status == WeChatPush.DRAFTED, retry.error
    assert _count(fake_wechat, DRAFT_ADD) == 1 and list(fake_wechat.drafts) == [retry.media_id]


def test_a_lost_answer_of_an_idempotent_call_is_retried(fake_wechat):
    fake_wechat.drop_answer_next(DRAFT_BATCHGET)
    listed = WeChatClient.from_settings().draft_batchget()
    assert listed["total_count"] == 0 and _count(fake_wechat, DRAFT_BATCHGET) == 2


def test_killed_after_submit_reached_wechat_the_rerun_never_submits_again(
    fake_wechat, page, django_capture_on_commit_callbacks, monkeypatch
):
    push = _killed(
        monkeypatch, _queued(page, django_capture_on_commit_callbacks, publish=True), "publish_submit"
    )
    assert push.media_id and push.publish_id == "" and push.publish_submit_started_at is not None
    fake_wechat.publish_jobs_finish()  # WeChat finishes the job on its own meanwhile
    (job,) = fake_wechat.publishes.values()

    push = wechat_push_run(push.pk)
    push.refresh_from_db()
    assert push.status == WeChatPush.PUBLISHED, push.error
    assert push.article_url == job["article_urls"][0] and push.publish_submit_started_at is None
    assert _count(fake_wechat, SUBMIT) == 1 and _count(fake_wechat, DRAFT_ADD) == 1
    assert _count(fake_wechat, DRAFT_GET) == 1  # the draft had left the box: it was submitted


def test_killed_before_submit_was_sent_the_rerun_submits_once(
    fake_wechat, page, django_capture_on_commit_callbacks, monkeypatch
):
    push = _queued(page, django_capture_on_commit_callbacks, publish=True)
    push = _killed(monkeypatch, push, "publish_submit", before_sending=True)
    assert push.publish_submit_started_at is not None and fake_wechat.publishes == {}

    push = wechat_push_run(push.pk)
    push.refresh_from_db()
    assert push.status == WeChatPush.PUBLISHED, push.error
    assert _count(fake_wechat, SUBMIT) == 1 and push.publish_id and push.publish_submit_started_at is None


def test_a_lost_submit_answer_with_the_job_still_running_is_finished_by_the_event(
    fake_wechat, page, django_capture_on_commit_callbacks
):
    fake_wechat.drop_answer_next(SUBMIT)
    with django_capture_on_commit_callbacks(execute=True):
        push, _ = wechat_push_request(page, publish=True)
    push.refresh_from_db()
    assert push.status == WeChatPush.FAILED and _count(fake_wechat, SUBMIT) == 1

    with django_capture_on_commit_callbacks(execute=True):
        wechat_push_request(page, publish=True)  # the editor retries
    push.refresh_from_db()
    # Not submitted again; not found among the published articles (the job is still running).
    assert push.status == WeChatPush.PUBLISHING and push.error == PUBLISH_UNCONFIRMED
    assert _count(fake_wechat, SUBMIT) == 1 and _count(fake_wechat, PUBLISHED_LIST) >= 1

    fake_wechat.publish_jobs_finish()
    (publish_id,) = fake_wechat.publishes
    event = message_parse(fake_wechat.publish_event_xml(publish_id).encode())
    assert message_answer(event, absolute=lambda u: u) == "success"
    push.refresh_from_db()
    assert push.status == WeChatPush.PUBLISHED and push.error == ""
    assert push.article_url == fake_wechat.publishes[publish_id]["article_urls"][0]
    assert _count(fake_wechat, SUBMIT) == 1


def test_the_in_flight_mark_is_never_written_inside_a_callers_transaction(
    fake_wechat, page, django_capture_on_commit_callbacks
):
    """Inside a transaction the mark could be rolled back while WeChat keeps the draft: refused."""
    push = _queued(page, django_capture_on_commit_callbacks, publish=False)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        wechat_push_run(push.pk)
    assert _count(fake_wechat, DRAFT_ADD) == 0

"""An invalidation the cache never received (Redis hung, a process died after its commit) is healed
by the scheduler's next tick: the screens rebuild instead of answering 304 for up to a day."""

import time

import pytest
from wagtail.models import Page

from content.models import ArticlePage, Audience
from content.periodic import periodic_jobs
from feeds.screens import feed_cache
from feeds.screens.reconcile import GRACE, screens_reconcile
from tests.factories import ArticlePageFactory

from .conftest import feed_get


def _poll(client, screen, token, etag=None):
    extra = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    return feed_get(client, screen, token, **extra)


@pytest.fixture
def polled(client, make_screen, article_index, django_capture_on_commit_callbacks):
    ArticlePageFactory(parent=article_index, audiences=["elderly"], title="冬季用电安全")
    with django_capture_on_commit_callbacks(execute=True):  # as the commit would (invalidations)
        screen, token = make_screen(audiences=["elderly"])
    response = _poll(client, screen, token)
    assert response.status_code == 200
    return screen, token, response["ETag"]


def _publish(article_index, title):
    page = ArticlePage(title=title, summary="冬季取暖注意通风。")
    article_index.add_child(instance=page)
    page.audiences.set([Audience.objects.get(slug="elderly")])
    page.save_revision().publish()
    return page


def _later():
    return time.time() + GRACE + 1


def test_a_lost_invalidation_is_healed_by_the_next_tick(
    client, polled, article_index, monkeypatch, django_capture_on_commit_callbacks
):
    screen, token, etag = polled
    with monkeypatch.context() as lost:  # every invalidation write is lost, as when Redis hangs
        lost.setattr(feed_cache.cache, "set_many", lambda *args, **kwargs: None)
        with django_capture_on_commit_callbacks(execute=True):
            _publish(article_index, "新发布：防范煤气中毒")
    assert _poll(client, screen, token, etag).status_code == 304  # stale: the problem being healed

    assert screens_reconcile(now_ts=time.time()) is False  # its invalidation may still be coming
    assert screens_reconcile(now_ts=_later()) is True
    response = _poll(client, screen, token, etag)
    assert response.status_code == 200
    assert response.json()["items"][0]["title"] == "新发布：防范煤气中毒"
    assert screens_reconcile(now_ts=_later()) is False  # healed once, not on every tick


def test_a_change_whose_invalidation_arrived_costs_nothing(
    client, polled, article_index, django_capture_on_commit_callbacks
):
    screen, token, _etag = polled
    with django_capture_on_commit_callbacks(execute=True):
        _publish(article_index, "新发布：防范煤气中毒")
    etag = _poll(client, screen, token).headers["ETag"]
    assert screens_reconcile(now_ts=_later()) is False
    assert _poll(client, screen, token, etag).status_code == 304


def test_a_change_that_reaches_no_screen_still_counts_as_invalidated(
    client, make_screen, article_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        screen, token = make_screen(audiences=["farmers"])
    etag = _poll(client, screen, token).headers["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        _publish(article_index, "只给老年人看的内容")  # elderly: not this screen's audience
    assert screens_reconcile(now_ts=_later()) is False
    assert _poll(client, screen, token, etag).status_code == 304


def test_a_draft_save_is_not_a_change_of_any_feed(client, polled, monkeypatch):
    screen, token, etag = polled
    page = Page.objects.get(title="冬季用电安全").specific
    page.title = "冬季用电安全（草稿）"
    page.save_revision(log_action=True)  # logged as wagtail.edit; screens show live content only
    assert screens_reconcile(now_ts=_later()) is False
    assert _poll(client, screen, token, etag).status_code == 304


def test_the_scheduler_runs_it():
    assert "screens_reconcile" in periodic_jobs()

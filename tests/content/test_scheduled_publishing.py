"""Scheduled go-live and expiry run by the scheduler, with every channel following."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone
from freezegun import freeze_time

from content.models import ArticlePage, EmergencyPage
from content.scheduled_publishing import LOCK_KEY, scheduled_publish_run
from feeds.cap.models import CapMessage
from feeds.screens.services import screen_create
from tests.factories import ArticlePageFactory, EmergencyPageFactory

T0 = dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _schedule(page, go_live_at):
    """What the admin does for 发布 with a future 上线时间: an approved revision, not yet live."""
    page.go_live_at = go_live_at
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live, "a page scheduled for later must not be live yet"


def _scheduler_once() -> str:
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    return out.getvalue()


def _feed_titles(client, screen_id, token):
    response = client.get(f"/api/v1/screens/{screen_id}/feed", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    return [item["title"] for item in response.json()["items"]]


def _screen_and_draft_emergency(parent, title, **fields):
    """A screen in 鄂城区 and a not-yet-live emergency for it, in force for two days from T0."""
    created = screen_create(name="凤凰社区大屏", district="echeng", audiences=["elderly"])
    page = EmergencyPageFactory(
        parent=parent,
        live=False,
        title=title,
        effective_from=T0,
        expires_at=T0 + dt.timedelta(days=2),
        **fields,
    )
    return created, page


@pytest.mark.django_db
def test_scheduled_emergency_goes_live_on_every_channel(
    client, emergency_index, django_capture_on_commit_callbacks
):
    with freeze_time(T0):
        created, page = _screen_and_draft_emergency(
            emergency_index, "暴雨红色预警：立即停止户外作业", severity="red"
        )
        _schedule(page, T0 + dt.timedelta(minutes=5))
        assert _scheduler_once() == ""  # not due yet
        assert "暴雨红色预警：立即停止户外作业" not in _feed_titles(client, created.screen.pk, created.token)
    with freeze_time(T0 + dt.timedelta(minutes=5, seconds=30)):
        with django_capture_on_commit_callbacks(execute=True):
            assert "上线 1 个" in _scheduler_once()
        assert EmergencyPage.objects.get(pk=page.pk).live
        assert _feed_titles(client, created.screen.pk, created.token)[0] == "暴雨红色预警：立即停止户外作业"
        assert "暴雨红色预警：立即停止户外作业" in client.get("/feeds/rss.xml").content.decode()
        assert CapMessage.objects.filter(page_key=page.pk, msg_type="Alert").exists()


@pytest.mark.django_db
def test_expiry_unpublishes_and_cancels_the_alert(
    client, emergency_index, django_capture_on_commit_callbacks
):
    with freeze_time(T0):
        created, page = _screen_and_draft_emergency(emergency_index, "危化品泄漏橙色预警")
        page.expire_at = T0 + dt.timedelta(hours=1)
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        assert "危化品泄漏橙色预警" in _feed_titles(client, created.screen.pk, created.token)
    with freeze_time(T0 + dt.timedelta(hours=1, seconds=20)):
        with django_capture_on_commit_callbacks(execute=True):
            assert "下线 1 个" in _scheduler_once()
        page.refresh_from_db()
        assert not page.live and page.expired
        assert "危化品泄漏橙色预警" not in _feed_titles(client, created.screen.pk, created.token)
        assert CapMessage.objects.filter(page_key=page.pk).order_by("-sequence").first().msg_type == "Cancel"


@pytest.mark.django_db
def test_a_page_due_while_the_scheduler_was_down_goes_live_on_its_first_run(article_index):
    with freeze_time(T0):
        page = ArticlePageFactory(parent=article_index, live=False, title="停机期间到期的文章")
        _schedule(page, T0 + dt.timedelta(minutes=1))
    with freeze_time(T0 + dt.timedelta(days=3)):  # the scheduler was off for three days
        run = scheduled_publish_run()
    assert run.went_live == ["停机期间到期的文章"]
    assert ArticlePage.objects.get(pk=page.pk).live


@pytest.mark.django_db
def test_a_second_scheduler_does_nothing_while_the_first_holds_the_lock(article_index):
    with freeze_time(T0):
        page = ArticlePageFactory(parent=article_index, live=False)
        _schedule(page, T0 + dt.timedelta(minutes=1))
    cache.add(LOCK_KEY, "another process", 60)
    with freeze_time(T0 + dt.timedelta(minutes=2)):
        assert scheduled_publish_run().skipped
        assert not ArticlePage.objects.get(pk=page.pk).live
        cache.delete(LOCK_KEY)
        assert scheduled_publish_run().went_live
    assert ArticlePage.objects.get(pk=page.pk).live


@pytest.mark.django_db
def test_dry_run_lists_without_publishing(article_index):
    with freeze_time(T0):
        page = ArticlePageFactory(parent=article_index, live=False, title="预约上线的文章")
        _schedule(page, T0 + dt.timedelta(minutes=1))
    with freeze_time(T0 + dt.timedelta(minutes=2)):
        out = io.StringIO()
        call_command("run_scheduler", "--dry-run", stdout=out)
    assert "将上线：预约上线的文章" in out.getvalue()
    assert not ArticlePage.objects.get(pk=page.pk).live


def test_interval_must_be_positive():
    with pytest.raises(CommandError, match="检查间隔必须大于 0 秒"):
        call_command("run_scheduler", "--interval", "0")


def test_scheduler_interval_default_is_well_inside_a_minute(settings):
    # A scheduled page must go live within 60 s of its time.
    assert 0 < settings.SCHEDULER_INTERVAL_SECONDS <= 30
    assert timezone.now()  # USE_TZ: the scheduler compares aware datetimes

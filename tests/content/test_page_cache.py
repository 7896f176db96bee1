"""The shared page cache (content.page_cache): anonymous pages answered from the cache, exactly.

Each invalidation test reads a page (stored), makes the change with its commit callbacks run (as a
real commit would), and reads again: the change must show. ``X-Page-Cache`` says whether an answer
came from the cache.
"""

import datetime as dt
import io
import re
import socket
from pathlib import Path

import pytest
import requests
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import PageViewRestriction

from content import lost_invalidations, page_cache
from content.models import ArticlePage, Topic
from content.periodic import periodic_jobs
from tests.factories import ArticlePageFactory, EmergencyPageFactory
from tests.system.stack import PYTHON, Stack, free_port, process, throwaway_database

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]
TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def article(article_index, committed):
    with committed():
        page = ArticlePageFactory(
            parent=article_index, title="汛期防溺水要点", audiences=["elderly"], live=False, slug="drowning"
        )
        page.save_revision().publish()
    return ArticlePage.objects.get(pk=page.pk)


def _entries() -> list:
    return [key for key in cache._cache if page_cache.ENTRY_PREFIX in key]  # LocMemCache's own dict


def _get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response


def _hit(client, url, django_assert_num_queries, **extra):
    with django_assert_num_queries(0):
        response = client.get(url, **extra)
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit", url
    return response


# --- served from the cache ---------------------------------------------------------------------

PUBLIC_URLS = [
    "/",
    "/articles/",
    "/articles/drowning/",
    "/audiences/elderly/",
    "/topics/",
    "/search/",
    "/feeds/",
    "/feeds/rss.xml",
    "/feeds/atom.xml",
    "/feeds/feed.json",
    "/feeds/audience/elderly/rss.xml",
    "/sitemap.xml",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_second_anonymous_request_costs_no_query(client, article, url, django_assert_num_queries):
    first = _get(client, url)
    assert first["X-Page-Cache"] == "miss"
    again = _hit(client, url, django_assert_num_queries)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"] and again["Last-Modified"]
    assert again["Content-Type"] == first["Content-Type"]


def test_head_is_answered_from_the_entry(client, article, django_assert_num_queries):
    body = _get(client, "/articles/drowning/").content
    with django_assert_num_queries(0):
        head = client.head("/articles/drowning/")
    assert head.status_code == 200 and head.content == b"" and int(head["Content-Length"]) == len(body)


def test_pages_carry_cache_control_for_a_proxy(client, article, settings):
    settings.PAGE_CACHE_SHARED_MAX_AGE, settings.PAGE_CACHE_STALE_WHILE_REVALIDATE = 7, 11
    for response in (_get(client, "/"), _get(client, "/")):
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=7, stale-while-revalidate=11"
        assert "Accept-Language" not in response.get("Vary", "")
    assert _get(client, "/feeds/rss.xml")["Cache-Control"] == "public, no-cache"  # the feeds' own policy


# --- invalidated by every kind of change ---------------------------------------------------------


def test_publish_shows_on_the_next_request(client, article, article_index, committed):
    assert "新发布的文章" not in _get(client, "/articles/").content.decode()
    _get(client, "/")
    with committed():
        ArticlePageFactory(parent=article_index, title="新发布的文章", live=False).save_revision().publish()
    assert "新发布的文章" in _get(client, "/articles/").content.decode()
    assert "新发布的文章" in _get(client, "/").content.decode()
    assert "新发布的文章" in _get(client, "/feeds/rss.xml").content.decode()


def test_edit_and_publish_shows_on_the_next_request(client, article, committed):
    assert "汛期防溺水要点" in _get(client, "/articles/drowning/").content.decode()
    article.title = "汛期防溺水要点（修订）"
    with committed():
        article.save_revision().publish()
    assert "汛期防溺水要点（修订）" in _get(client, "/articles/drowning/").content.decode()
    assert "汛期防溺水要点（修订）" in _get(client, "/articles/").content.decode()


def test_a_draft_save_keeps_the_entry(client, article, committed, django_assert_num_queries):
    _get(client, "/articles/drowning/")
    article.title = "草稿里的新标题"
    with committed():
        article.save_revision()
    assert (
        "草稿里的新标题"
        not in _hit(client, "/articles/drowning/", django_assert_num_queries).content.decode()
    )


def test_unpublish_and_delete_show_on_the_next_request(client, article, article_index, committed):
    other = ArticlePageFactory(parent=article_index, title="另一篇文章", slug="other")
    assert "汛期防溺水要点" in _get(client, "/articles/").content.decode()
    _get(client, "/articles/other/")
    with committed():
        article.unpublish()
    assert client.get("/articles/drowning/").status_code == 404
    assert "汛期防溺水要点" not in _get(client, "/articles/").content.decode()
    with committed():
        other.delete()
    assert client.get("/articles/other/").status_code == 404
    assert "另一篇文章" not in _get(client, "/articles/").content.decode()


def test_move_renders_again(client, article, article_index, committed):
    other = ArticlePageFactory(parent=article_index, title="另一篇文章", slug="other")
    _get(client, "/articles/")
    with committed():
        other.move(article_index, pos="first-child")
    assert _get(client, "/articles/")["X-Page-Cache"] == "miss"


def test_privacy_change_shows_on_the_next_request(client, article, committed):
    _get(client, "/articles/drowning/")
    assert "汛期防溺水要点" in _get(client, "/audiences/elderly/").content.decode()
    with committed():
        restriction = PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.LOGIN
        )
    assert client.get("/articles/drowning/").status_code == 302
    assert "汛期防溺水要点" not in _get(client, "/audiences/elderly/").content.decode()
    with committed():
        restriction.delete()
    assert _get(client, "/articles/drowning/")["X-Page-Cache"] == "miss"


def test_a_password_page_is_never_stored(client, article, committed):
    with committed():
        PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    first = _get(client, "/articles/drowning/")  # the password form, with a CSRF token
    assert "csrfmiddlewaretoken" in first.content.decode() and first.cookies
    assert _entries() == [] and _get(client, "/articles/drowning/").get("X-Page-Cache") is None


def test_topic_rename_shows_on_the_next_request(client, article_index, committed):
    topic, _ = Topic.objects.get_or_create(name="防灾减灾", slug="fangzai")
    with committed():
        ArticlePageFactory(parent=article_index, topics=[topic])
    assert "防灾减灾" in _get(client, "/topics/").content.decode()
    topic.name = "防灾减灾救灾"
    with committed():
        topic.save()
    assert "防灾减灾救灾" in _get(client, "/topics/").content.decode()


def test_emergency_window_opening_and_closing_need_no_publish(
    client, emergency_index, committed, django_assert_num_queries
):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)
    with committed():
        EmergencyPageFactory(
            parent=emergency_index,
            title="危化品泄漏红色预警",
            severity="red",
            effective_from=start,
            expires_at=start + dt.timedelta(minutes=30),
        )
    banner = 'class="emergency-banner"'
    with freeze_time(start - dt.timedelta(seconds=1)):  # listed as upcoming, no banner yet
        assert banner not in _get(client, "/").content.decode()
        assert banner not in _hit(client, "/", django_assert_num_queries).content.decode()
    with freeze_time(start):  # the window opens: the entry stops being true
        opened = _get(client, "/")
        assert opened["X-Page-Cache"] == "miss" and banner in opened.content.decode()
        assert banner in _hit(client, "/", django_assert_num_queries).content.decode()
    with freeze_time(start + dt.timedelta(minutes=30)):  # and closes
        assert banner not in _get(client, "/").content.decode()


def test_scheduled_go_live_by_the_scheduler_shows_on_the_next_request(client, article_index, committed):
    t0 = dt.datetime(2026, 7, 1, 8, 0, tzinfo=TZ)
    with freeze_time(t0):
        page = ArticlePageFactory(parent=article_index, title="定时上线的文章", live=False)
        page.go_live_at = t0 + dt.timedelta(minutes=5)
        page.save_revision().publish()
        assert "定时上线的文章" not in _get(client, "/articles/").content.decode()
    with freeze_time(t0 + dt.timedelta(minutes=5, seconds=30)):
        with committed():
            call_command("run_scheduler", "--once", stdout=io.StringIO())
        assert "定时上线的文章" in _get(client, "/articles/").content.decode()


def test_a_lost_invalidation_is_healed_by_the_scheduler_job(client, article, article_index):
    assert "page_cache_reconcile" in periodic_jobs()
    _get(client, "/articles/")
    # Published without running its commit callbacks: the invalidation never reached the cache.
    ArticlePageFactory(parent=article_index, title="失联的发布", live=False).save_revision(
        log_action=True
    ).publish()
    assert "失联的发布" not in _get(client, "/articles/").content.decode()
    now = timezone.now().timestamp()
    assert page_cache.page_cache_reconcile(now_ts=now) is False  # its invalidation may be on its way
    assert page_cache.page_cache_reconcile(now_ts=now + lost_invalidations.GRACE + 1) is True
    assert "失联的发布" in _get(client, "/articles/").content.decode()
    assert page_cache.page_cache_reconcile(now_ts=now + lost_invalidations.GRACE + 2) is False


# --- never cached --------------------------------------------------------------------------------


def test_editors_never_get_or_fill_the_cache(client, admin_client, article):
    editor = admin_client.get("/articles/drowning/")
    assert editor.status_code == 200 and "X-Page-Cache" not in editor
    assert "private" in editor["Cache-Control"]
    assert _entries() == []
    _get(client, "/articles/drowning/")  # an anonymous visitor fills it
    editor = admin_client.get("/articles/drowning/")
    assert "X-Page-Cache" not in editor and "wagtail-userbar" in editor.content.decode()


def test_previews_are_never_cached(admin_client, article):
    response = admin_client.get(f"/admin/pages/{article.pk}/view_draft/")
    assert response.status_code == 200 and "X-Page-Cache" not in response
    assert _entries() == []


def test_a_search_is_not_answered_with_the_shell(client, article, django_assert_num_queries):
    _get(client, "/search/")
    _hit(client, "/search/?from=singlemessage", django_assert_num_queries)
    searched = client.get("/search/", {"q": "防溺水", "from": "singlemessage"})
    assert searched.get("X-Page-Cache") is None and "“防溺水”的搜索结果" in searched.content.decode()
    assert len(_entries()) == 1


# --- HTTP revalidation ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/articles/drowning/", "/", "/feeds/rss.xml", "/feeds/feed.json"])
def test_if_none_match_answers_304_without_a_query(client, article, url, django_assert_num_queries):
    first = _get(client, url)
    with django_assert_num_queries(0):
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    with django_assert_num_queries(0):
        by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_a_change_gives_a_new_etag(client, article, committed):
    first = _get(client, "/articles/drowning/")
    article.title = "改过的标题"
    with committed():
        article.save_revision().publish()
    after = client.get("/articles/drowning/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["ETag"] != first["ETag"]


# --- bad input -----------------------------------------------------------------------------------


def test_tracking_parameters_share_one_entry(client, article, django_assert_num_queries):
    first = _get(client, "/articles/drowning/")
    for query in (
        "from=singlemessage&isappinstalled=0",
        "utm_source=wechat&utm_medium=share&spm=a.b.c",
        "share_token=abc123&from=timeline",
        "page=7",  # a detail page reads no page number
    ):
        again = _get(client, f"/articles/drowning/?{query}")
        assert again.content == first.content
        og_url = re.search(r'property="og:url" content="([^"]*)"', again.content.decode()).group(1)
        assert og_url == "http://testserver/articles/drowning/"  # no tracking parameter in a copy
    assert len(_entries()) == 1
    _hit(client, "/articles/drowning/?from=singlemessage&isappinstalled=0", django_assert_num_queries)


def test_listing_parameters_are_normalised(client, article, django_assert_num_queries):
    _get(client, "/articles/")
    _hit(client, "/articles/?page=1&utm_source=x", django_assert_num_queries)
    _get(client, "/articles/?audience=elderly")
    _hit(client, "/articles/?from=groupmessage&audience=elderly", django_assert_num_queries)
    _get(client, "/articles/?audience=nobody")  # an unknown audience is the unfiltered listing
    assert len(_entries()) == 2


@pytest.mark.parametrize("page", ["abc", "0", "-1", "2", "9999999", "1.5"])
def test_bad_page_numbers_are_404_and_never_stored(client, article, page):
    for url in (f"/articles/?page={page}", f"/audiences/elderly/?page={page}"):
        assert client.get(url).status_code == 404
        assert client.get(url).status_code == 404
    assert client.get(f"/feeds/rss.xml?page={page}").status_code in (400, 404)
    assert _entries() == []


def test_cache_down_renders_uncached(client, article, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 1.0},
        }
    }
    for url in ("/", "/articles/drowning/", "/feeds/rss.xml"):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200 and "X-Page-Cache" not in response, url


def test_disabled_by_setting(client, article, settings):
    settings.PAGE_CACHE_SECONDS = 0
    response = _get(client, "/")
    assert "X-Page-Cache" not in response and "Cache-Control" not in response
    assert _entries() == []


# --- another process -----------------------------------------------------------------------------


def test_a_change_from_another_process_shows_on_the_next_request(tmp_path):
    """A web process and a `manage.py shell` share a file cache and a database: the shell's publish
    is on the server's very next answer."""
    env = {"DJANGO_SETTINGS_MODULE": "cms.settings.dev", "CACHE_DIR": str(tmp_path / "cache")}
    with throwaway_database() as url:
        stack = Stack({**env, "DATABASE_URL": url})
        stack.manage("migrate", "--no-input", "-v0")
        _run_cross_process(stack, tmp_path)


def _run_cross_process(stack: Stack, tmp_path: Path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = [PYTHON, "manage.py", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"]
    with process(args, env=stack.env, log=tmp_path / "server.log", ready_url=f"{base}/"):
        requests.get(f"{base}/articles/", timeout=10)
        before = requests.get(f"{base}/articles/", timeout=10)
        assert before.headers["X-Page-Cache"] == "hit" and "另一个进程发布的文章" not in before.text
        stack.shell(
            "from content.models import ArticleIndexPage, ArticlePage, Audience;"
            "p = ArticlePage(title='另一个进程发布的文章', slug='from-shell', summary='跨进程');"
            "ArticleIndexPage.objects.get().add_child(instance=p);"
            "p.audiences.set(Audience.objects.filter(slug='elderly'));"
            "p.save_revision().publish()"
        )
        after = requests.get(f"{base}/articles/", timeout=10)
        assert after.status_code == 200 and "另一个进程发布的文章" in after.text
        assert "另一个进程发布的文章" in requests.get(f"{base}/", timeout=10).text

"""The per-process copy of poll state: warm 304s skip Redis, and pub/sub keeps the copy exact.

Runs the real django-redis backend against fakeredis (the Redis protocol in process, pub/sub
included), so the code path is the production one without a Redis server.
"""

import time

import fakeredis
import pytest
from django.core.cache import cache
from django_redis.cache import RedisCache

from feeds.screens import feed_cache
from feeds.screens.near_cache import CHANNEL, NearCache
from tests.factories import ArticlePageFactory

from .conftest import feed_get


@pytest.fixture
def redis_cache(settings, monkeypatch):
    server = fakeredis.FakeServer()
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://fake:6379/0",
            "OPTIONS": {
                "CONNECTION_POOL_KWARGS": {
                    "connection_class": fakeredis.FakeRedisConnection,
                    "server": server,
                }
            },
        }
    }
    near = NearCache()
    monkeypatch.setattr(feed_cache, "near_cache", near)
    yield near
    near.stop()


def _wait_until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def warm(client, make_screen, article_index, redis_cache):
    """A screen polled until the process's copy holds its state: (screen, token, etag)."""
    ArticlePageFactory(parent=article_index, audiences=["elderly"], title="冬季用电安全")
    screen, token = make_screen(audiences=["elderly"])
    assert redis_cache.enabled()
    feed_get(client, screen, token)  # starts the listener
    assert _wait_until(lambda: redis_cache._listening)
    response = feed_get(client, screen, token)  # builds and stores the feed
    etag = response["ETag"]
    feed_get(client, screen, token, HTTP_IF_NONE_MATCH=etag)  # fills the copy
    return screen, token, etag


def _count_redis_reads(monkeypatch):
    calls = []
    original = RedisCache.get_many

    def get_many(self, keys, **kwargs):
        calls.append(keys)
        return original(self, keys, **kwargs)

    monkeypatch.setattr(RedisCache, "get_many", get_many)
    return calls


def test_warm_304_needs_no_redis_round_trip(client, warm, monkeypatch, django_assert_num_queries):
    screen, token, etag = warm
    reads = _count_redis_reads(monkeypatch)
    with django_assert_num_queries(0):
        for _ in range(5):
            assert feed_get(client, screen, token, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert reads == []


def test_change_announced_by_another_process_reaches_the_next_poll(client, warm, article_index, redis_cache):
    screen, token, etag = warm
    ArticlePageFactory(parent=article_index, audiences=["elderly"], title="防范煤气中毒")
    # What another process's screens_invalidate does: write Redis, then publish — without
    # touching this process's copy directly.
    cache.set(f"screens:epoch:{screen.pk}", "moved-elsewhere", None)
    generation = redis_cache._generation
    cache.client.get_client(write=True).publish(CHANNEL, b"4242-elsewhere|" + str(screen.pk).encode())
    assert _wait_until(lambda: redis_cache._generation > generation)
    response = feed_get(client, screen, token, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert {item["title"] for item in response.json()["items"]} == {"冬季用电安全", "防范煤气中毒"}


def test_invalidating_everything_reaches_every_screen(client, warm, monkeypatch, redis_cache):
    screen, token, etag = warm
    feed_cache.screens_invalidate_all()
    reads = _count_redis_reads(monkeypatch)
    assert feed_get(client, screen, token, HTTP_IF_NONE_MATCH=etag).status_code == 304  # same content
    assert len(reads) == 1  # asked Redis again instead of trusting the copy


def test_copy_is_not_trusted_without_the_subscription(client, warm, monkeypatch, redis_cache):
    screen, token, etag = warm
    redis_cache.stop()  # as when the listener loses Redis
    reads = _count_redis_reads(monkeypatch)
    assert feed_get(client, screen, token, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert feed_get(client, screen, token, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(reads) == 2


def test_a_read_that_raced_an_invalidation_is_not_kept(redis_cache):
    redis_cache._listening = True
    _values, generation = redis_cache.get(7, "h")
    redis_cache._apply(b"4242-elsewhere|7")  # the invalidation lands while the reader is at Redis
    redis_cache.put(7, "h", ("old", "state", None, None), generation)
    assert redis_cache.get(7, "h")[0] is None
    redis_cache._apply(
        b"4242-elsewhere|not,numbers"
    )  # garbage drops everything rather than crashing the listener
    assert redis_cache.get(7, "h")[0] is None

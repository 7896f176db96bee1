"""Screen fixtures: screens made through the same service as `create_screen`, and a clean cache."""

import pytest
from django.core.cache import cache

from feeds.screens.services import screen_create


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Feed caches and the playlist epoch live in the cache; every test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_screen(db):
    """``make_screen(name=…, district="echeng", audiences=["elderly"], group="", **fields)`` → (screen, token)."""

    def make(name="社区大屏", district="echeng", audiences=("elderly",), group="", **fields):
        created = screen_create(name=name, district=district, audiences=audiences, group=group, **fields)
        return created.screen, created.token

    return make


def feed_get(client, screen, token, **headers):
    return client.get(f"/api/v1/screens/{screen.pk}/feed", HTTP_AUTHORIZATION=f"Bearer {token}", **headers)

"""Listing cards kept in the shared cache (content.cards): used again without loading their pages,
renewed exactly when what a card shows changes.

Each test renders a listing with the page cache's copy out of the way (the portal epoch moved, as
after any publish), so the page renders and the cards come from ``content.cards``.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from content import cards, page_cache
from content.models import ArticlePage, Audience
from tests.factories import ArticlePageFactory, EmergencyPageFactory, ImageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def articles(article_index, committed):
    pages = []
    with committed():
        for i in range(3):
            page = ArticlePageFactory(
                parent=article_index,
                title=f"防溺水要点{i}",
                cover_image=ImageFactory(),
                audiences=["elderly"],
                live=False,
            )
            page.save_revision().publish()
            pages.append(ArticlePage.objects.get(pk=page.pk))
    return pages


def _render(client, url="/articles/"):
    """The page rendered (its page-cache copy out of date), with the SQL it ran."""
    page_cache.portal_invalidate()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and response["X-Page-Cache"] == "miss"
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def _cards(html: str) -> str:
    start = html.index('<div class="card-grid">')
    return html[start : html.rindex("</article>")]


def test_kept_cards_are_used_without_loading_their_pages(client, articles):
    first, first_sql = _render(client)
    again, again_sql = _render(client)
    assert _cards(again) == _cards(first) and "防溺水要点2" in again
    assert any("wagtailimages_rendition" in sql for sql in first_sql)
    assert not any("wagtailimages_rendition" in sql or "content_articlepage" in sql for sql in again_sql)
    assert len(again_sql) < len(first_sql)


def test_publish_renews_its_own_card_and_keeps_the_others(client, articles, committed):
    _render(client)
    epoch = cache.get(cards.EPOCH_KEY)
    articles[0].title = "防溺水要点（修订）"
    with committed():
        articles[0].save_revision().publish()
    html, sql = _render(client)
    assert "防溺水要点（修订）" in html and "防溺水要点1" in html
    assert cache.get(cards.EPOCH_KEY) == epoch  # the other cards stay kept
    loaded = [s for s in sql if 'FROM "content_articlepage"' in s]
    assert len(loaded) == 1 and f"{articles[0].pk}" in loaded[0]


def test_a_live_page_saved_without_publishing_renews_its_card(client, articles, committed):
    _render(client)
    page = articles[1]
    page.summary = "直接保存的新摘要"
    with committed():
        page.save()
    assert "直接保存的新摘要" in _render(client)[0]


def test_audiences_renamed_or_changed_directly_renew_cards(client, articles, audiences, committed):
    _render(client)
    elderly = Audience.objects.get(slug="elderly")
    elderly.name = "老年朋友"
    with committed():
        elderly.save()
    assert "老年朋友" in _cards(_render(client)[0])
    with committed():  # a shell or script: the page's audiences changed and saved, no publish
        articles[2].audiences.set([audiences["farmers"]])
        articles[2].save()
    assert audiences["farmers"].name in _cards(_render(client)[0])


def test_an_image_change_renews_cards(client, articles, committed):
    _render(client)
    epoch = cache.get(cards.EPOCH_KEY)
    image = articles[0].cover_image
    image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height = 1, 1, 2, 2
    with committed():
        image.save()
    assert cache.get(cards.EPOCH_KEY) != epoch


def test_an_emergency_card_changes_state_when_its_window_opens(client, emergency_index, committed):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)
    with committed():
        EmergencyPageFactory(
            parent=emergency_index,
            title="危化品泄漏红色预警",
            severity="red",
            effective_from=start,
            expires_at=start + dt.timedelta(minutes=30),
        )
    with freeze_time(start - dt.timedelta(seconds=1)):
        assert "card-window-upcoming" in _cards(_render(client, "/")[0])
        assert "card-window-upcoming" in _cards(_render(client, "/")[0])  # kept until the window opens
    with freeze_time(start):
        assert "card-window-active" in _cards(_render(client, "/")[0])
    with freeze_time(start + dt.timedelta(minutes=30)):
        assert "card-window-expired" in _cards(_render(client, "/")[0])


def test_cards_are_not_kept_when_the_page_cache_is_off(client, articles, settings):
    settings.PAGE_CACHE_ENABLED = False
    response = client.get("/articles/")
    assert "防溺水要点0" in response.content.decode()
    assert not [key for key in cache._cache if cards.KEY_PREFIX in key]  # LocMemCache's own dict

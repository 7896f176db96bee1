"""Limits that protect the public side (content.limits): listings and feeds survive an item with many
topics, and the admin refuses items over the limits with Chinese messages."""

from tests.factories import ArticlePageFactory

PUBLIC_PATHS = [
    "/",
    "/articles/",
    "/feeds/",
    "/feeds/rss.xml",
    "/feeds/atom.xml",
    "/feeds/feed.json",
    "/topics/",
]


def test_an_item_stored_with_a_thousand_topics_does_not_break_listings_or_feeds(client, article_index):
    """Older data (or a write that bypassed the limits) must not turn listings into 500s."""
    page = ArticlePageFactory(parent=article_index, audiences=["elderly"], title="很多主题")
    page.topics.set([f"主题{n}" for n in range(1000)])
    page.save(clean=False)
    for path in PUBLIC_PATHS:
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)

"""Covers and card images for phones: WebP with a JPEG fallback, several widths, sized for their slot."""

import re

import pytest
from PIL import features

from content.selectors import CARD_RENDITION, CARD_RENDITIONS
from tests.factories import ArticlePageFactory, ImageFactory

pytestmark = pytest.mark.django_db


def _picture(html: str, marker: str) -> str:
    pictures = [p for p in re.findall(r"<picture>.*?</picture>", html, re.S) if marker in p]
    assert len(pictures) == 1, html
    return pictures[0]


def _srcset_widths(tag: str) -> list[int]:
    srcset = re.search(r'srcset="([^"]+)"', tag).group(1)
    return [int(w) for w in re.findall(r" (\d+)w", srcset)]


def test_webp_encoding_is_available():
    assert features.check("webp")


def test_card_cover_is_a_lazy_picture_with_webp_and_a_jpeg_fallback_of_several_widths(client, article_index):
    ArticlePageFactory(
        parent=article_index, title="防溺水", cover_image=ImageFactory(file__width=1600, file__height=900)
    )
    picture = _picture(client.get("/articles/").content.decode(), 'class="card-image"')

    source = re.search(r"<source[^>]*>", picture).group(0)
    assert 'type="image/webp"' in source and "sizes=" in source
    assert _srcset_widths(source) == [320, 640, 960]
    assert all(".webp" in url for url in re.findall(r"/media/\S+", source))

    img = re.search(r"<img[^>]*>", picture).group(0)
    assert _srcset_widths(img) == [320, 640, 960]
    assert re.search(r'src="/media/[^"]+\.jpg"', img)
    assert 'sizes="(min-width: 1224px) 385px,' in img
    assert 'width="320"' in img and 'height="180"' in img  # the box is reserved before the image loads
    assert 'alt=""' in img and 'loading="lazy"' in img and 'class="card-image"' in img


def test_detail_cover_is_not_lazy_and_asks_to_be_fetched_first(client, article_index):
    page = ArticlePageFactory(
        parent=article_index, cover_image=ImageFactory(file__width=1600, file__height=900)
    )
    picture = _picture(client.get(page.url).content.decode(), 'fetchpriority="high"')

    assert 'type="image/webp"' in picture
    img = re.search(r"<img[^>]*>", picture).group(0)
    assert _srcset_widths(img) == [400, 800, 1200]
    assert "sizes=" in img and 'width="400"' in img and 'height="225"' in img
    assert "loading=" not in img


def test_feeds_link_one_of_the_prefetched_card_renditions():
    assert CARD_RENDITION in CARD_RENDITIONS and len(CARD_RENDITIONS) == 6

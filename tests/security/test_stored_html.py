"""Hostile import bodies through storage to the portal and RSS/Atom/JSON Feed; re-sanitizing stored
content (content_resanitize) and the rich-text block's read/write cleaning."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Revision
from wagtail.rich_text import RichText

from content.importing import content_import_file
from content.models import ArticlePage
from content.sanitize import html_sanitize
from tests.factories import ArticlePageFactory

from .conftest import slug_for
from .payloads import PAYLOADS
from .test_sanitize import assert_inert

pytestmark = pytest.mark.django_db
HOSTILE = (
    '<p>旧内容<!--x--><img src=x onerror="window.__xss=1">--></p><p><a href="//evil.example/">外链</a></p>'
)
EXECUTABLE = re.compile(
    r"<script(?![^>]*\ssrc=)|\son[a-z]+\s*=|javascript:|vbscript:|<!--|<!\[CDATA|<svg|<iframe|<object", re.I
)


def _body_regions(html: str) -> str:
    """The rendered rich-text paragraphs of an article page (the rest is our own template)."""
    return "".join(re.findall(r'<div class="rich-text">(.*?)</div>', html, re.S))


def test_hostile_import_renders_inert_on_portal_and_in_every_feed(
    client, home, hostile_import_file, settings
):
    settings.FEEDS_PAGE_SIZE = 100
    content_import_file(hostile_import_file)
    assert ArticlePage.objects.count() == len(PAYLOADS)
    for name in PAYLOADS:
        page = ArticlePage.objects.get(slug=slug_for(name))
        html = client.get(page.url).content.decode()
        body = _body_regions(html)
        assert "开头" in body, name
        assert_inert(body)
        assert not EXECUTABLE.search(body), (name, body)

    rss = ElementTree.fromstring(client.get("/feeds/rss.xml").content)
    encoded = [e.text for e in rss.iter("{http://purl.org/rss/1.0/modules/content/}encoded")]
    atom = ElementTree.fromstring(client.get("/feeds/atom.xml").content)
    atom_content = [e.text for e in atom.iter("{http://www.w3.org/2005/Atom}content")]
    feed = json.loads(client.get("/feeds/feed.json").content)
    json_content = [item["content_html"] for item in feed["items"]]
    for documents in (encoded, atom_content, json_content):
        assert len(documents) == len(PAYLOADS)
        for content in documents:
            assert not EXECUTABLE.search(content), content
            for url in re.findall(r'href="([^"]*)"', content):
                assert url.startswith(("http://testserver/", "https://", "mailto:", "tel:")), url


def _store_raw(page, body_html: str) -> None:
    raw = json.dumps(
        [{"type": "paragraph", "value": body_html, "id": "11111111-1111-1111-1111-111111111111"}]
    )
    with connection.cursor() as cursor:
        cursor.execute("UPDATE content_articlepage SET body = %s WHERE page_ptr_id = %s", [raw, page.pk])


def _stored(page) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM content_articlepage WHERE page_ptr_id = %s", [page.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def stored_hostile(article_index, audiences):
    page = ArticlePageFactory(parent=article_index, title="旧文章", audiences=[audiences["youth"]])
    revision = page.save_revision()
    _store_raw(page, HOSTILE)
    content = dict(revision.content)
    content["body"] = json.dumps([{"type": "paragraph", "value": HOSTILE, "id": "r1"}])
    Revision.objects.filter(pk=revision.pk).update(content=content)
    return ArticlePage.objects.get(pk=page.pk), revision


def test_content_stored_before_the_sanitizer_is_rendered_clean(client, stored_hostile):
    page, _ = stored_hostile
    assert "onerror" in _stored(page)
    body = _body_regions(client.get(page.url).content.decode())
    assert "旧内容" in body and not EXECUTABLE.search(body) and "evil.example" not in body


def test_content_resanitize_dry_run_then_rewrites_pages_and_revisions(stored_hostile, capsys):
    page, revision = stored_hostile
    call_command("content_resanitize", "--dry-run")
    assert "将清洗页面 1 个" in capsys.readouterr().out
    assert "onerror" in _stored(page)

    call_command("content_resanitize")
    out = capsys.readouterr().out
    assert "已清洗页面 1 个" in out and "历史版本 1 个" in out
    stored = json.loads(_stored(page))
    assert stored[0]["value"] == html_sanitize(HOSTILE)
    assert "onerror" not in stored[0]["value"] and "evil.example" not in stored[0]["value"]
    revision.refresh_from_db()
    assert "onerror" not in revision.content["body"] and "evil.example" not in revision.content["body"]

    call_command("content_resanitize")  # idempotent
    assert "已清洗页面 0 个" in capsys.readouterr().out


def test_rich_text_written_through_the_model_is_stored_clean(article_index, audiences):
    page = ArticlePageFactory(parent=article_index, title="新文章", audiences=[audiences["youth"]])
    page.body = [("paragraph", RichText(HOSTILE))]
    page.save()
    stored = json.loads(_stored(page))[0]["value"]
    assert stored == html_sanitize(HOSTILE)
    assert '<a linktype="page" id="3">站内</a>' == html_sanitize('<a linktype="page" id="3">站内</a>')

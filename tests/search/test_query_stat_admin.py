"""搜索词统计 is a read-only report: listed, filtered, inspected and exported, never edited — not even
by a superuser."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from search.models import SearchQueryStat, SearchQueryVisitor

pytestmark = pytest.mark.django_db

LISTING = "/admin/snippets/search/searchquerystat/"


@pytest.fixture
def stat(db):
    return SearchQueryStat.objects.create(
        query="暴雨怎么办", day=timezone.localdate(), hits=4, zero_result_hits=3, last_result_count=0
    )


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("root", password="pw"))
    return client


def test_listing_has_no_add_button_and_no_edit_links(superuser_client, stat):
    html = superuser_client.get(LISTING).content.decode()
    assert "暴雨怎么办" in html
    assert f"{LISTING}add/" not in html
    assert f"{LISTING}edit/{stat.pk}/" not in html
    assert f"{LISTING}delete/{stat.pk}/" not in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_add_edit_and_delete_are_refused_even_for_a_superuser(superuser_client, stat, method):
    for url in (f"{LISTING}add/", f"{LISTING}edit/{stat.pk}/", f"{LISTING}delete/{stat.pk}/"):
        response = getattr(superuser_client, method)(url, {"query": "改过", "day": "2026-01-01", "hits": "1"})
        assert response.status_code in (302, 403, 404), url
        if response.status_code == 302:  # Wagtail's permission-denied redirect to the dashboard
            assert "/edit/" not in response.url and "/add/" not in response.url
    stat.refresh_from_db()
    assert (stat.query, stat.hits) == ("暴雨怎么办", 4)
    assert SearchQueryStat.objects.count() == 1


def test_bulk_delete_is_refused(superuser_client, stat):
    url = f"/admin/bulk/search/searchquerystat/delete/?id={stat.pk}"
    superuser_client.post(url)
    assert SearchQueryStat.objects.filter(pk=stat.pk).exists()


def test_filter_inspect_and_export_still_work(superuser_client, stat):
    SearchQueryStat.objects.create(query="游泳", day=timezone.localdate() - dt.timedelta(days=1), hits=9)
    html = superuser_client.get(LISTING, {"zero_results": "true"}).content.decode()
    assert "暴雨怎么办" in html and "游泳" not in html
    assert superuser_client.get(f"{LISTING}inspect/{stat.pk}/").status_code == 200
    export = superuser_client.get(LISTING, {"export": "csv"})
    assert export.status_code == 200
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "暴雨怎么办" in body and "游泳" in body


def test_listing_and_export_show_distinct_visitors(superuser_client, stat):
    for key, found in (("a" * 16, False), ("a" * 16, True), ("b" * 16, False)):
        SearchQueryVisitor.objects.create(query=stat.query, day=stat.day, visitor_key=key, found=found)
    SearchQueryVisitor.objects.create(
        query=stat.query, day=stat.day - dt.timedelta(days=1), visitor_key="c" * 16
    )
    html = superuser_client.get(LISTING).content.decode()
    assert "访客数" in html
    body = b"".join(superuser_client.get(LISTING, {"export": "csv"}).streaming_content).decode("utf-8-sig")
    header, row = body.splitlines()[:2]
    assert "访客数" in header
    assert dict(zip(header.split(","), row.split(","), strict=True))["访客数"] == "2"


def test_visitor_rows_are_not_in_the_admin(superuser_client):
    assert superuser_client.get("/admin/snippets/search/searchqueryvisitor/").status_code == 404

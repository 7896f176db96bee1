"""Search tests run against both backends: the database backend and a real Elasticsearch node.

The node is started by `make test` (tools/elasticsearch/run.sh). Without it, Elasticsearch cases
are skipped locally and fail under CI=true.
"""

import contextlib
import os
import urllib.request

import pytest
import requests
from django.conf import settings as django_settings
from django.core.cache import cache

from cms.settings.search_config import elasticsearch_backend
from search.backends import backend_get
from search.documents import search_document_sync, search_index_rebuild
from search.models import SearchDocument

ES_URL = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
UNREACHABLE_URL = "http://127.0.0.1:9"  # discard port: connection refused


def es_reachable(url: str = ES_URL) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def es_index_prefix() -> str:
    """``kepu_test_<run>_<worker>_``: the run token (tests/conftest.py) keeps concurrent runs on
    one node apart, the xdist worker keeps the run's parallel workers apart."""
    run = os.environ.get("KEPU_TEST_RUN", "norun")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main").lower()
    return f"kepu_test_{run}_{worker}_"


def es_config(url=ES_URL):
    return elasticsearch_backend(url, index_prefix=es_index_prefix(), timeout=5)


def es_delete_test_indexes(url: str = ES_URL, prefix: str | None = None) -> None:
    """Delete this process's test indexes (their aliases go with them). By name: Elasticsearch 8
    refuses wildcard deletes."""
    prefix = prefix or es_index_prefix()
    listing = requests.get(
        f"{url}/_cat/indices/{prefix}*", params={"h": "index", "format": "json"}, timeout=10
    )
    listing.raise_for_status()
    names = [row["index"] for row in listing.json()]
    if names:
        requests.delete(f"{url}/{','.join(names)}", timeout=30).raise_for_status()


def require_es():
    if not es_reachable():
        message = f"Elasticsearch is not reachable at {ES_URL} (start it with `make search-engine`)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def es_reset_index():
    """A fresh, empty search-document index (alias) for this test."""

    search_index_rebuild("elasticsearch")


def es_refresh():
    """Make writes visible now (Elasticsearch refreshes every second); a no-op when it is down."""
    backend = backend_get("elasticsearch")
    # The outage tests point the backend at a closed port: nothing to refresh then.
    with contextlib.suppress(Exception):
        backend.get_index_for_model(SearchDocument).refresh()


@pytest.fixture(params=["database", "elasticsearch"])
def search_backend(request, settings, db):
    """Configure one backend for the test; returns its name."""
    if request.param == "elasticsearch":
        require_es()
        settings.WAGTAILSEARCH_BACKENDS = {
            **django_settings.WAGTAILSEARCH_BACKENDS,
            "elasticsearch": es_config(),
        }
        es_reset_index()
    else:
        settings.WAGTAILSEARCH_BACKENDS = {"default": django_settings.WAGTAILSEARCH_BACKENDS["default"]}
    return request.param


@pytest.fixture
def es_backend(settings, db):
    require_es()
    settings.WAGTAILSEARCH_BACKENDS = {**django_settings.WAGTAILSEARCH_BACKENDS, "elasticsearch": es_config()}
    es_reset_index()
    return "elasticsearch"


@pytest.fixture
def index_pages(django_capture_on_commit_callbacks):
    """Sync search documents for pages made by factories (which bypass publish signals)."""

    def index(*pages):
        for page in pages:
            search_document_sync(page.pk)
        if "elasticsearch" in django_settings.WAGTAILSEARCH_BACKENDS:
            es_refresh()
        return pages

    return index


@pytest.fixture(scope="session", autouse=True)
def _test_indexes_deleted():
    """Leave nothing on the (shared) node: the run's indexes go when its session ends."""
    yield
    if es_reachable():
        es_delete_test_indexes()


@pytest.fixture(autouse=True)
def _fresh_engine_state():
    """Each test starts with no remembered engine outage (search.engine_health keeps it in the cache)."""

    cache.clear()
    yield
    cache.clear()

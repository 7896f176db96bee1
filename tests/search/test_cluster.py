"""Search on a secured Elasticsearch 8 cluster of several nodes (issue 18): the one
`make search-cluster` starts (tools/elasticsearch/cluster.sh: TLS on HTTP and transport, an API key
for the application, replicas 1), configured only from the `.var/es-cluster.env` it writes.

Under CI=true the module starts the cluster if it is not running, and then stops it; locally it uses
a running cluster and is skipped without one. The tests stop and start a data node, so they run in
one xdist worker, one after the other.
"""

import os
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from elasticsearch import Elasticsearch

from cms.settings.search_config import elasticsearch_backend_from_env, elasticsearch_env
from search.backends import backend_get
from search.documents import search_document_sync, search_index_rebuild
from search.engine_health import engine_rest_reason
from search.engine_status import engine_status_get
from search.engines import engine_config_key
from search.models import PendingIndexUpdate, SearchDocument
from search.selectors import page_search
from tests.factories import ArticlePageFactory
from tests.search.cluster_env import env_file_read
from tests.search.conftest import IN_CI, es_index_prefix
from tests.search.es_fakes import certificates_make

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("es-cluster"), pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
CLUSTER = ["bash", str(ROOT / "tools" / "elasticsearch" / "cluster.sh")]
ENV_FILE = ROOT / ".var" / "es-cluster.env"
LOST_NODE = "2"  # a data node: its shards' replicas are on the other data node


def _cluster(*args: str, timeout: int = 600) -> str:
    done = subprocess.run([*CLUSTER, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"cluster.sh {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _cluster_running() -> bool:
    """Any node of it running (``cluster.sh status``: 0 healthy, 1 unhealthy, 3 not running)."""
    return subprocess.run([*CLUSTER, "status"], cwd=ROOT, capture_output=True, timeout=60).returncode != 3


@pytest.fixture(scope="module")
def cluster_env():
    """The variables an operator would export to point the site at the cluster. Under CI=true a
    cluster that is not running is started here (and stopped at the end); a running one is used as
    it is, after `cluster.sh start` (idempotent) has refreshed its env file."""
    running = _cluster_running()
    if not running and not IN_CI:
        pytest.skip("no secured cluster running (start one with `make search-cluster`)")
    _cluster("start")
    try:
        yield env_file_read(ENV_FILE)
    finally:
        if not running:
            _cluster("stop")


def _raw(cluster_env: dict, **override) -> dict:
    raw = elasticsearch_env({**cluster_env, "ELASTICSEARCH_INDEX_PREFIX": es_index_prefix() + "cluster_"})
    raw.update(override)
    return raw


@pytest.fixture
def on_cluster(settings, cluster_env):
    """The site's Elasticsearch backend is the cluster, configured from the env file alone."""

    def point(**override):
        backend = elasticsearch_backend_from_env(_raw(cluster_env, **override), default_replicas=1)
        settings.WAGTAILSEARCH_BACKENDS = {**django_settings.WAGTAILSEARCH_BACKENDS, "elasticsearch": backend}
        return backend

    yield point
    _indexes_delete(cluster_env)


def _client(cluster_env: dict) -> Elasticsearch:
    return Elasticsearch(
        cluster_env["ELASTICSEARCH_URLS"].split(","),
        api_key=cluster_env["ELASTICSEARCH_API_KEY"],
        ca_certs=cluster_env["ELASTICSEARCH_CA_CERTS"],
        verify_certs=True,
        request_timeout=30,
        max_retries=2,
        retry_on_timeout=True,
    )


def _indexes_delete(cluster_env: dict) -> None:
    client = _client(cluster_env)
    names = list(client.indices.get(index=es_index_prefix() + "cluster_*", expand_wildcards="all"))
    if names:
        client.indices.delete(index=",".join(names))


def _refresh():
    backend_get("elasticsearch").get_index_for_model(SearchDocument).refresh()


def _health(cluster_env: dict, status: str, timeout: float = 120) -> dict:
    """Wait until the cluster reports ``status`` (for this run's indexes)."""
    client = _client(cluster_env)
    deadline = time.monotonic() + timeout
    while True:
        health = client.cluster.health(index=es_index_prefix() + "cluster_*", timeout="5s").body
        if health["status"] == status or time.monotonic() > deadline:
            assert health["status"] == status, health
            return health
        time.sleep(1)


def _titles(query: str) -> tuple[str, list[str]]:
    found = page_search(query, page_size=20)
    return found.backend, [r.title for r in found.results]


def test_search_and_indexing_with_the_api_key_over_tls(on_cluster, cluster_env, article_index):
    assert all(url.startswith("https://") for url in cluster_env["ELASTICSEARCH_URLS"].split(","))
    on_cluster()
    page = ArticlePageFactory(parent=article_index, title="雷电天气户外避险")
    search_document_sync(page.pk)  # factories bypass the publish signal that does this
    search_index_rebuild("elasticsearch")
    _refresh()
    assert _titles("雷电") == ("elasticsearch", ["雷电天气户外避险"])

    later = ArticlePageFactory(parent=article_index, title="雷电预警信号怎么看")
    search_document_sync(later.pk)
    _refresh()
    backend, titles = _titles("雷电")
    assert backend == "elasticsearch" and sorted(titles) == sorted([page.title, later.title])
    assert not PendingIndexUpdate.objects.exists()

    status = engine_status_get(timeout=10)
    assert status.healthy and status.cluster_status == "green", status
    assert status.nodes is not None and status.nodes >= 2
    assert status.documents == SearchDocument.objects.count()
    settings_body = _client(cluster_env).indices.get_settings(index=status.index_concrete[0]).body
    index_settings = next(iter(settings_body.values()))["settings"]["index"]
    assert index_settings["number_of_replicas"] == "1"


def test_a_rebuild_on_the_cluster_swaps_the_alias_to_one_new_index(on_cluster, cluster_env, article_index):
    on_cluster()
    search_document_sync(ArticlePageFactory(parent=article_index, title="防汛物资清单").pk)
    search_index_rebuild("elasticsearch")
    first = engine_status_get(timeout=10).index_concrete
    search_index_rebuild("elasticsearch")
    _refresh()
    second = engine_status_get(timeout=10).index_concrete
    assert len(first) == len(second) == 1 and first != second
    assert not _client(cluster_env).indices.exists(index=first[0])  # the old one is gone
    assert _titles("防汛") == ("elasticsearch", ["防汛物资清单"])


def test_a_wrong_api_key_falls_back_to_the_database_and_says_authentication(on_cluster, article_index):
    on_cluster(API_KEY="d3Jvbmc6a2V5LW9mLW5vYm9keQ==")  # "wrong:key-of-nobody"
    page = ArticlePageFactory(parent=article_index, title="暴雨出行提示")
    search_document_sync(page.pk)  # the engine refuses: queued
    assert _titles("暴雨") == ("database", ["暴雨出行提示"])
    assert engine_rest_reason(engine_config_key("elasticsearch"))["kind"] == "auth"
    assert PendingIndexUpdate.objects.filter(page_id=page.pk).exists()
    status = engine_status_get(timeout=10)
    assert not status.healthy and status.failure_kind == "auth"
    assert "认证失败" in status.failure_message


def test_a_wrong_ca_falls_back_to_the_database_and_says_certificate(on_cluster, article_index, tmp_path):
    other_ca = certificates_make(tmp_path)["other_ca"]
    on_cluster(CA_CERTS=str(other_ca))
    page = ArticlePageFactory(parent=article_index, title="冰冻天气防滑")
    search_document_sync(page.pk)
    assert _titles("防滑") == ("database", ["冰冻天气防滑"])
    assert engine_rest_reason(engine_config_key("elasticsearch"))["kind"] == "certificate"
    assert PendingIndexUpdate.objects.filter(page_id=page.pk).exists()
    status = engine_status_get(timeout=10)
    assert not status.healthy and status.failure_kind == "certificate"
    assert "证书" in status.failure_message


def test_a_lost_node_keeps_search_on_elasticsearch_and_nothing_is_lost_when_it_returns(
    on_cluster, cluster_env, article_index
):
    on_cluster()
    for n in range(5):
        search_document_sync(ArticlePageFactory(parent=article_index, title=f"地震应急避险第{n + 1}课").pk)
    search_index_rebuild("elasticsearch")
    _refresh()
    _health(cluster_env, "green")
    try:
        _cluster("node-stop", LOST_NODE, timeout=120)
        _health(cluster_env, "yellow")
        backend, titles = _titles("地震")
        assert backend == "elasticsearch" and len(titles) == 5

        during = ArticlePageFactory(parent=article_index, title="地震后余震防范")
        search_document_sync(during.pk)
        _refresh()
        assert not PendingIndexUpdate.objects.exists()  # indexed, not queued
        backend, titles = _titles("余震")
        assert (backend, titles) == ("elasticsearch", ["地震后余震防范"])
        status = engine_status_get(timeout=10)
        assert status.healthy and status.cluster_status == "yellow", status
    finally:
        _cluster("node-start", LOST_NODE, timeout=300)
    _health(cluster_env, "green", timeout=180)
    _refresh()
    status = engine_status_get(timeout=10)
    assert status.cluster_status == "green"
    assert (
        status.documents == SearchDocument.objects.count() >= 6
    )  # every page, the one added during the loss too
    assert _titles("地震")[0] == "elasticsearch"


def test_the_env_file_is_for_its_owner_only(cluster_env):
    assert ENV_FILE.stat().st_mode & 0o077 == 0
    assert os.path.isfile(cluster_env["ELASTICSEARCH_CA_CERTS"])
    assert cluster_env.get("ELASTICSEARCH_REPLICAS") == "1"

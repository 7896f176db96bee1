"""A wrong key, a wrong CA or an unreachable host: the failure is named (authentication,
certificate, connection) in the log, the admin panel and `manage.py search_status`; searches answer
from the database and updates queue, as in an outage; no credential reaches a log line.

Authentication and TLS run against tiny local servers (tests/search/es_fakes.py), the connection
case against a closed port, the healthy status against the local node (127.0.0.1:9200)."""

import html
import io
import logging
import re
import socket
import time

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from elasticsearch import Elasticsearch

from cms.settings.search_config import elasticsearch_backend
from search.engine_health import engine_failure_describe, engine_rest_reason, secrets_redact
from search.engine_status import engine_status_cached, engine_status_get
from search.engines import engine_config_key
from search.models import PendingIndexUpdate
from search.upkeep import search_engine_upkeep
from tests.factories import ArticlePageFactory
from tests.search.conftest import ES_URL, UNREACHABLE_URL, es_config, es_index_prefix, require_es
from tests.search.es_fakes import certificates_make, fake_elasticsearch

API_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="  # "VuaCfGcBCdbkQm-e5aOx:ui2lp…"
KEY_SECRET = "ui2lp2axTNmsyakw9tvNnw"
PASSWORD = "s3cret-Pa55word"


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return certificates_make(tmp_path_factory.mktemp("certs"))


def _fail(**client_options) -> Exception:
    es = Elasticsearch(**{"max_retries": 0, "request_timeout": 3, **client_options})
    try:
        es.info()
    except Exception as exc:  # noqa: BLE001 - the failure is what the test looks at
        return exc
    raise AssertionError("the request should have failed")


# --- classification -----------------------------------------------------------------------------


def test_a_closed_port_is_a_connection_failure():
    kind, message = engine_failure_describe(_fail(hosts=[UNREACHABLE_URL]))
    assert kind == "connection"
    assert message.startswith("无法连接 Elasticsearch（127.0.0.1:9）：连接被拒绝")


def test_an_unknown_host_is_a_connection_failure():
    kind, message = engine_failure_describe(_fail(hosts=["http://kepu-es.invalid:9200"]))
    assert (kind, "主机名无法解析" in message) == ("connection", True)


@pytest.fixture
def hung_url():
    """A port that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_a_node_that_never_answers_is_a_timeout(hung_url):
    kind, message = engine_failure_describe(
        _fail(hosts=[hung_url], request_timeout=0.3, retry_on_timeout=False)
    )
    assert (kind, message) == ("timeout", "请求超时：Elasticsearch 没有在限定时间内回答")


def test_a_wrong_api_key_is_an_authentication_failure():
    with fake_elasticsearch(status=401) as (url, seen):
        exc = _fail(hosts=[url], api_key=API_KEY)
    assert seen[0]["authorization"] == f"ApiKey {API_KEY}"  # the key was sent, and refused
    assert engine_failure_describe(exc) == (
        "auth",
        "认证失败：API 密钥或用户名密码错误（HTTP 401），请检查 ELASTICSEARCH_API_KEY 或 "
        "ELASTICSEARCH_USERNAME / ELASTICSEARCH_PASSWORD",
    )


def test_a_forbidden_request_is_an_authentication_failure():
    with fake_elasticsearch(status=403) as (url, _seen):
        kind, message = engine_failure_describe(_fail(hosts=[url], basic_auth=("kepu", PASSWORD)))
    assert kind == "auth" and "HTTP 403" in message


def test_a_certificate_from_another_ca_is_a_certificate_failure(certs):
    with fake_elasticsearch(status=200, tls=(certs["cert"], certs["key"])) as (url, seen):
        exc = _fail(hosts=[url], ca_certs=str(certs["other_ca"]), verify_certs=True)
    assert seen == []  # nothing was sent over the unverified connection
    kind, message = engine_failure_describe(exc)
    assert kind == "certificate"
    assert message.startswith("证书校验失败：服务器证书不是由 ELASTICSEARCH_CA_CERTS 中的 CA 签发")


def test_a_certificate_for_another_host_is_a_certificate_failure(certs):
    with fake_elasticsearch(status=200, tls=(certs["cert"], certs["key"])) as (url, _seen):
        # The certificate names 127.0.0.1 only.
        exc = _fail(hosts=[url.replace("127.0.0.1", "localhost")], ca_certs=str(certs["ca"]))
    kind, message = engine_failure_describe(exc)
    assert kind == "certificate" and "与主机名不符" in message


def test_without_the_ca_the_system_store_does_not_trust_the_cluster(certs):
    with fake_elasticsearch(status=200, tls=(certs["cert"], certs["key"])) as (url, _seen):
        assert engine_failure_describe(_fail(hosts=[url], verify_certs=True))[0] == "certificate"


def test_a_missing_ca_file_at_run_time_is_a_certificate_failure(certs, tmp_path):
    with fake_elasticsearch(status=200, tls=(certs["cert"], certs["key"])) as (url, _seen):
        kind, message = engine_failure_describe(_fail(hosts=[url], ca_certs=str(tmp_path / "gone.pem")))
    assert kind == "certificate" and "CA 文件不存在或不可读" in message


def test_the_right_ca_verifies_and_a_wrong_key_is_then_an_authentication_failure(certs):
    with fake_elasticsearch(status=200, tls=(certs["cert"], certs["key"])) as (url, _seen):
        info = Elasticsearch(url, ca_certs=str(certs["ca"]), verify_certs=True, max_retries=0).info()
    assert info["cluster_name"] == "fake-cluster"
    with fake_elasticsearch(status=401, tls=(certs["cert"], certs["key"])) as (url, _seen):
        exc = _fail(hosts=[url], ca_certs=str(certs["ca"]), api_key=API_KEY)
    assert engine_failure_describe(exc)[0] == "auth"


def test_https_to_the_local_plain_node_is_told_it_is_not_https():
    require_es()
    kind, message = engine_failure_describe(_fail(hosts=[ES_URL.replace("http://", "https://")]))
    assert kind == "certificate" and "该地址可能不是 https" in message


def test_an_https_client_on_a_plain_http_port_is_told_so():
    with fake_elasticsearch(status=200) as (url, _seen):
        kind, message = engine_failure_describe(_fail(hosts=[url.replace("http://", "https://")]))
    assert kind == "certificate" and "不是 https" in message


def test_secrets_are_redacted_from_any_text(settings):
    settings.WAGTAILSEARCH_BACKENDS = {
        "a": elasticsearch_backend("https://es:9200", api_key=API_KEY),
        "b": elasticsearch_backend("https://es:9200", username="kepu", password=PASSWORD),
    }
    text = f"key {API_KEY} secret {KEY_SECRET} pw {PASSWORD} header Basic a2VwdTpzM2NyZXQtUGE1NXdvcmQ="
    redacted = secrets_redact(text)
    assert API_KEY not in redacted and KEY_SECRET not in redacted and PASSWORD not in redacted
    assert "a2VwdTpzM2NyZXQtUGE1NXdvcmQ=" not in redacted  # base64("kepu:" + password)


# --- the outage path: database answers, updates queue, the log names the failure ----------------


def _point_at(settings, url, **credentials):
    settings.WAGTAILSEARCH_BACKENDS = {
        **django_settings.WAGTAILSEARCH_BACKENDS,
        "elasticsearch": elasticsearch_backend(url, index_prefix=es_index_prefix(), timeout=3, **credentials),
    }


def _search(client, q):
    data = client.get("/api/v1/search/", {"q": q}).json()
    return data["backend"], [html.unescape(re.sub(r"</?mark>", "", r["title"])) for r in data["results"]]


@pytest.mark.django_db
def test_wrong_key_falls_back_to_the_database_and_queues_updates_with_the_reason_logged(
    settings, client, article_index, index_pages, caplog
):
    caplog.set_level(logging.DEBUG)  # every logger, the client's included (settings quiet it to WARNING)
    caplog.set_level(logging.DEBUG, logger="elastic_transport")
    with fake_elasticsearch(status=401) as (url, _seen):
        _point_at(settings, url, api_key=API_KEY)
        page = ArticlePageFactory(parent=article_index, title="雷雨大风防范指南")
        index_pages(page)  # the engine write fails: queued
        assert _search(client, "雷雨") == ("database", ["雷雨大风防范指南"])
        reason = engine_rest_reason(engine_config_key("elasticsearch"))
        search_engine_upkeep()
    assert reason["kind"] == "auth"
    queued = PendingIndexUpdate.objects.get(page_id=page.pk)
    assert queued.last_error.startswith("auth: 认证失败")
    log = caplog.text
    assert "search engine elasticsearch failed (auth: 认证失败：API 密钥或用户名密码错误（HTTP 401）" in log
    assert "search engine elasticsearch unavailable (auth: 认证失败" in log
    assert "search engine elasticsearch is not usable (auth: 认证失败" in log
    for secret in (API_KEY, KEY_SECRET):
        assert secret not in log
        assert secret not in queued.last_error


@pytest.mark.django_db
def test_wrong_password_never_reaches_the_log(settings, client, article_index, index_pages, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="elastic_transport")
    with fake_elasticsearch(status=401) as (url, _seen):
        _point_at(settings, url, username="kepu", password=PASSWORD)
        index_pages(ArticlePageFactory(parent=article_index, title="高温中暑急救"))
        assert _search(client, "中暑")[0] == "database"
        search_engine_upkeep()
    assert "认证失败" in caplog.text
    assert PASSWORD not in caplog.text
    assert "a2VwdTpzM2NyZXQtUGE1NXdvcmQ=" not in caplog.text  # the Basic header value


@pytest.mark.django_db
def test_wrong_ca_falls_back_to_the_database_and_says_certificate(
    settings, client, article_index, index_pages, certs, caplog
):
    with fake_elasticsearch(status=200, tls=(certs["cert"], certs["key"])) as (url, seen):
        _point_at(settings, url, api_key=API_KEY, ca_certs=str(certs["other_ca"]))
        page = ArticlePageFactory(parent=article_index, title="森林防火须知")
        index_pages(page)
        assert _search(client, "防火") == ("database", ["森林防火须知"])
    assert seen == []  # the key never left over an unverified connection
    assert PendingIndexUpdate.objects.filter(page_id=page.pk).exists()
    assert engine_rest_reason(engine_config_key("elasticsearch"))["kind"] == "certificate"
    assert "(certificate: 证书校验失败" in caplog.text


@pytest.mark.django_db
def test_unreachable_hosts_fall_back_and_say_connection(settings, client, article_index, index_pages, caplog):
    _point_at(settings, [UNREACHABLE_URL, "http://127.0.0.1:10"])
    index_pages(ArticlePageFactory(parent=article_index, title="地质灾害避险"))
    assert _search(client, "地质灾害")[0] == "database"
    assert engine_rest_reason(engine_config_key("elasticsearch"))["kind"] == "connection"
    assert "(connection: 无法连接 Elasticsearch" in caplog.text


# --- manage.py search_status and the admin panel ------------------------------------------------


def _status(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("search_status", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


@pytest.mark.django_db
def test_status_of_the_local_node_is_healthy(es_backend, index_pages, article_index):
    index_pages(ArticlePageFactory(parent=article_index, title="科学防疫"))
    code, out = _status()
    assert code == 0, out
    alias = f"{es_index_prefix()}search_searchdocument"
    assert re.search(r"^集群：\S+，状态 (green|yellow)（.+），节点 \d+ 个$", out, re.M), out
    assert re.search(rf"^索引：{alias} → {alias}_\w+，文档 1 篇$", out, re.M), out
    assert "待写入更新：0 条" in out
    assert "搜索当前由：Elasticsearch 回答" in out


@pytest.mark.django_db
def test_status_of_a_closed_port_fails_with_the_reason(settings):
    settings.WAGTAILSEARCH_BACKENDS = {
        **django_settings.WAGTAILSEARCH_BACKENDS,
        "elasticsearch": es_config(UNREACHABLE_URL),
    }
    PendingIndexUpdate.objects.create(page_id=1, backend="elasticsearch")
    code, out = _status("--timeout", "1")
    assert code == 1
    assert "故障：无法连接 —— 无法连接 Elasticsearch（127.0.0.1:9）：连接被拒绝" in out
    assert "待写入更新：1 条（恢复后自动写入）" in out
    assert "搜索当前由：数据库回答" in out


@pytest.mark.django_db
def test_status_of_a_hung_node_takes_one_timeout(settings, hung_url):
    _point_at(settings, hung_url)
    started = time.monotonic()
    status = engine_status_get(timeout=0.5)
    assert time.monotonic() - started < 2
    assert (status.healthy, status.failure_kind) == (False, "timeout")


@pytest.mark.django_db
def test_status_on_the_database_backend_is_healthy(settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": django_settings.WAGTAILSEARCH_BACKENDS["default"]}
    assert _status() == (0, "搜索后端：数据库（未配置 Elasticsearch）\n搜索当前由：数据库回答\n")


@pytest.mark.django_db
def test_status_with_a_wrong_key_says_authentication(settings):
    with fake_elasticsearch(status=401) as (url, _seen):
        _point_at(settings, url, api_key=API_KEY)
        status = engine_status_get(timeout=2)
    assert not status.healthy
    assert status.failure_kind == "auth"
    assert status.lines()[1].startswith("故障：认证失败 —— 认证失败：API 密钥或用户名密码错误")


@pytest.mark.django_db
def test_status_is_kept_briefly_in_the_shared_cache(settings, monkeypatch):
    settings.WAGTAILSEARCH_BACKENDS = {
        **django_settings.WAGTAILSEARCH_BACKENDS,
        "elasticsearch": es_config(UNREACHABLE_URL),
    }
    calls = []
    real = engine_status_get

    def counting(**kwargs):
        calls.append(1)
        return real(**kwargs)

    monkeypatch.setattr("search.engine_status.engine_status_get", counting)
    # An hour, not the default 10 s: on a loaded CI machine the failing probe itself can take seconds.
    first, second = engine_status_cached(seconds=3600), engine_status_cached(seconds=3600)
    assert len(calls) == 1
    assert second == first


@pytest.mark.django_db
def test_admin_home_shows_the_failure_without_waiting(settings, client):
    settings.WAGTAILSEARCH_BACKENDS = {
        **django_settings.WAGTAILSEARCH_BACKENDS,
        "elasticsearch": es_config(UNREACHABLE_URL),
    }
    client.force_login(User.objects.create_superuser("root", password="pw"))
    started = time.monotonic()
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert time.monotonic() - started < 5
    assert "搜索引擎" in page
    assert "故障：无法连接 —— 无法连接 Elasticsearch（127.0.0.1:9）：连接被拒绝" in page


@pytest.mark.django_db
def test_admin_home_shows_the_cluster_line(es_backend, client):
    client.force_login(User.objects.create_superuser("root", password="pw"))
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert re.search(r"集群：\S+，状态 (green|yellow)", page)
    assert f"索引：{es_index_prefix()}search_searchdocument → " in page


@pytest.mark.django_db
def test_no_search_engine_panel_on_the_database_backend(settings, client):
    settings.WAGTAILSEARCH_BACKENDS = {"default": django_settings.WAGTAILSEARCH_BACKENDS["default"]}
    client.force_login(User.objects.create_superuser("root", password="pw"))
    assert "search_engine_status" not in client.get(reverse("wagtailadmin_home")).content.decode()

"""The Elasticsearch connection read from the environment (cms/settings/search_config.py): what
reaches the client, what `manage.py check` refuses, and that no secret reaches an error page."""

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory
from django.views.debug import SafeExceptionReporterFilter, technical_500_response
from modelsearch.backends.elasticsearch8 import Elasticsearch8SearchBackend

from cms.settings.search_config import (
    elasticsearch_backend_from_env,
    elasticsearch_env,
    elasticsearch_problems,
    search_backends_build,
)
from search.backends import backend_get
from search.checks import elasticsearch_settings_check
from tests.search.es_fakes import certificates_make, fake_elasticsearch

API_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="
PASSWORD = "s3cret-Pa55word"
# Made at import, so they appear in no source line and no test's locals on the error page.
RUN_KEY = base64.b64encode(f"{secrets.token_urlsafe(12)}:{secrets.token_urlsafe(16)}".encode()).decode()
RUN_PASSWORD = secrets.token_urlsafe(16)


def env(**values):
    return elasticsearch_env({f"ELASTICSEARCH_{k}": v for k, v in values.items()})


def problems(default_replicas=0, **values):
    return [
        (var, kind)
        for var, _zh, _en, kind in elasticsearch_problems(env(**values), default_replicas=default_replicas)
    ]


# --- parsing ------------------------------------------------------------------------------------


def test_defaults_are_one_local_node_one_shard_no_replica():
    entry = search_backends_build("elasticsearch", env(), default_replicas=0)["elasticsearch"]
    assert entry["URLS"] == ["http://127.0.0.1:9200"]
    assert entry["INDEX_SETTINGS"]["settings"]["index"] == {"number_of_shards": 1, "number_of_replicas": 0}
    assert entry["OPTIONS"] == {"max_retries": 0, "retry_on_timeout": False, "verify_certs": True}
    assert problems() == []


def test_production_default_is_one_replica():
    entry = search_backends_build("elasticsearch", env(), default_replicas=1)["elasticsearch"]
    assert entry["INDEX_SETTINGS"]["settings"]["index"]["number_of_replicas"] == 1
    entry = search_backends_build("elasticsearch", env(REPLICAS="0"), default_replicas=1)["elasticsearch"]
    assert entry["INDEX_SETTINGS"]["settings"]["index"]["number_of_replicas"] == 0


def _settings_module_index(module: str) -> dict:
    """The index settings a settings module builds from a clean environment (another process)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ELASTICSEARCH_", "SEARCH_BACKEND"))}
    environ.update(
        DJANGO_SETTINGS_MODULE=module,
        SEARCH_BACKEND="elasticsearch",
        SECRET_KEY="x",
        ALLOWED_HOSTS="kepu.example.cn",
        REDIS_URL="redis://127.0.0.1:1/0",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.WAGTAILSEARCH_BACKENDS['elasticsearch']['INDEX_SETTINGS']['settings']['index']))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=environ,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_replicas_default_to_zero_in_development_and_one_in_production():
    assert _settings_module_index("cms.settings.dev")["number_of_replicas"] == 0
    assert _settings_module_index("cms.settings.production") == {
        "number_of_shards": 1,
        "number_of_replicas": 1,
    }


def test_database_only_has_no_engine_entry():
    assert list(search_backends_build("database", env(URLS="https://es:9200"), default_replicas=0)) == [
        "default"
    ]


def test_urls_are_comma_separated_and_win_over_the_single_url():
    raw = env(URLS=" https://es1:9200, https://es2:9200 ,", URL="http://old:9200")
    assert raw["URLS"] == ["https://es1:9200", "https://es2:9200"]
    assert env(URL="http://old:9200")["URLS"] == ["http://old:9200"]


def test_several_hosts_retry_on_the_next_host_but_not_after_a_timeout():
    options = elasticsearch_backend_from_env(
        env(URLS="https://a:9200,https://b:9200,https://c:9200"), default_replicas=1
    )["OPTIONS"]
    assert options["max_retries"] == 2
    assert options["retry_on_timeout"] is False


def test_api_key_goes_to_the_client_as_an_option(tmp_path):
    ca = certificates_make(tmp_path)["ca"]
    entry = elasticsearch_backend_from_env(
        env(URLS="https://es:9200", API_KEY=API_KEY, CA_CERTS=str(ca), SHARDS="3", REPLICAS="2"),
        default_replicas=1,
    )
    assert entry["OPTIONS"]["api_key"] == API_KEY
    assert entry["OPTIONS"]["ca_certs"] == str(ca)
    assert entry["OPTIONS"]["verify_certs"] is True
    assert "basic_auth" not in entry["OPTIONS"]
    assert entry["INDEX_SETTINGS"]["settings"]["index"] == {"number_of_shards": 3, "number_of_replicas": 2}


def test_api_key_as_id_and_key_is_split():
    entry = elasticsearch_backend_from_env(
        env(API_KEY="VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw"), default_replicas=0
    )
    assert entry["OPTIONS"]["api_key"] == ("VuaCfGcBCdbkQm-e5aOx", "ui2lp2axTNmsyakw9tvNnw")


def test_user_and_password_go_to_the_client_as_basic_auth():
    entry = elasticsearch_backend_from_env(env(USERNAME="kepu", PASSWORD=PASSWORD), default_replicas=0)
    assert entry["OPTIONS"]["basic_auth"] == ("kepu", PASSWORD)


def test_credentials_never_stay_in_a_url():
    entry = elasticsearch_backend_from_env(env(URL=f"https://kepu:{PASSWORD}@es:9200/"), default_replicas=0)
    assert entry["URLS"] == ["https://es:9200/"]
    assert PASSWORD not in str(entry)
    assert problems(URL=f"https://kepu:{PASSWORD}@es:9200") == [("ELASTICSEARCH_URLS", "value")]


def test_there_is_no_way_to_turn_certificate_verification_off():
    raw = env(URLS="https://es:9200", VERIFY_CERTS="false", SSL_VERIFY="0")
    assert elasticsearch_backend_from_env(raw, default_replicas=0)["OPTIONS"]["verify_certs"] is True


def test_the_client_accepts_the_options(tmp_path):
    """The OPTIONS are what the elasticsearch8 backend and the 8.x client take (no request made)."""
    ca = certificates_make(tmp_path)["ca"]
    config = elasticsearch_backend_from_env(
        env(URLS="https://es1:9200,https://es2:9200", API_KEY=API_KEY, CA_CERTS=str(ca)), default_replicas=1
    )
    params = {k: v for k, v in config.items() if k != "BACKEND"}
    backend = Elasticsearch8SearchBackend(params)
    nodes = backend.es.transport.node_pool.all()
    assert sorted(n.config.host for n in nodes) == ["es1", "es2"]
    assert all(n.config.ca_certs == str(ca) and n.config.verify_certs for n in nodes)
    assert backend.es._headers["authorization"] == f"ApiKey {API_KEY}"


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"URLS": "es:9200"}, [("ELASTICSEARCH_URLS", "value")]),
        ({"URLS": "ftp://es:9200"}, [("ELASTICSEARCH_URLS", "value")]),
        ({"URLS": "https://es:port"}, [("ELASTICSEARCH_URLS", "value")]),
        ({"URLS": ",", "URL": ""}, [("ELASTICSEARCH_URLS", "value")]),
        ({"SHARDS": "0"}, [("ELASTICSEARCH_SHARDS", "value")]),
        ({"SHARDS": "two"}, [("ELASTICSEARCH_SHARDS", "value")]),
        ({"REPLICAS": "-1"}, [("ELASTICSEARCH_REPLICAS", "value")]),
        ({"REPLICAS": "1.5"}, [("ELASTICSEARCH_REPLICAS", "value")]),
        ({"TIMEOUT": "0"}, [("ELASTICSEARCH_TIMEOUT", "value")]),
        (
            {"API_KEY": API_KEY, "USERNAME": "kepu", "PASSWORD": PASSWORD},
            [("ELASTICSEARCH_API_KEY", "value")],
        ),
        ({"USERNAME": "kepu"}, [("ELASTICSEARCH_PASSWORD", "value")]),
        ({"PASSWORD": PASSWORD}, [("ELASTICSEARCH_USERNAME", "value")]),
        (
            {"CA_CERTS": "/nonexistent/ca.pem", "URLS": "https://es:9200"},
            [("ELASTICSEARCH_CA_CERTS", "file")],
        ),
        ({"REPLICAS": "0", "SHARDS": "5"}, []),
    ],
)
def test_bad_values_are_named(values, expected):
    assert problems(**values) == expected


def test_a_ca_for_plain_http_hosts_is_refused_and_left_out(tmp_path):
    ca = str(certificates_make(tmp_path)["ca"])
    assert problems(URLS="https://a:9200,http://b:9200", CA_CERTS=ca) == [("ELASTICSEARCH_CA_CERTS", "value")]
    entry = elasticsearch_backend_from_env(
        env(URLS="https://a:9200,http://b:9200", CA_CERTS=ca), default_replicas=0
    )
    assert "ca_certs" not in entry["OPTIONS"]  # the client would refuse to start


def test_a_ca_file_that_is_not_a_certificate_is_refused(tmp_path):
    junk = tmp_path / "ca.pem"
    junk.write_text("not a certificate")
    assert problems(URLS="https://es:9200", CA_CERTS=str(junk)) == [("ELASTICSEARCH_CA_CERTS", "file")]


def test_a_ca_path_that_cannot_be_read_as_a_file_is_refused(tmp_path):
    # A folder: unreadable as a file even for root (a chmod 0 file is not, and tests run as root in CI).
    assert problems(URLS="https://es:9200", CA_CERTS=str(tmp_path)) == [("ELASTICSEARCH_CA_CERTS", "file")]


# --- manage.py check ----------------------------------------------------------------------------


def _configure(settings, **values):
    raw = env(**values)
    settings.ELASTICSEARCH = raw
    settings.WAGTAILSEARCH_BACKENDS = search_backends_build("elasticsearch", raw, default_replicas=0)


def test_check_names_the_missing_ca_file_in_chinese_and_english(settings):
    _configure(settings, URLS="https://es:9200", CA_CERTS="/etc/kepu/missing-ca.pem")
    [error] = elasticsearch_settings_check()
    assert error.id == "search.E004"
    assert error.is_serious()
    assert "ELASTICSEARCH_CA_CERTS" in error.msg
    assert "CA 证书文件不存在或不可读" in error.msg
    assert "CA file missing or unreadable" in error.msg
    assert "/etc/kepu/missing-ca.pem" in error.msg


def test_manage_py_check_stops_on_a_missing_ca_file(settings):
    _configure(settings, URLS="https://es:9200", CA_CERTS="/etc/kepu/missing-ca.pem")
    with pytest.raises(SystemCheckError, match="ELASTICSEARCH_CA_CERTS"):
        call_command("check")


def test_check_reports_half_a_login_and_two_kinds_of_credentials(settings):
    _configure(settings, URLS="https://es:9200", USERNAME="kepu")
    assert [e.id for e in elasticsearch_settings_check()] == ["search.E003"]
    _configure(settings, API_KEY=API_KEY, USERNAME="kepu", PASSWORD=PASSWORD)
    messages = elasticsearch_settings_check()
    assert [e.id for e in messages] == ["search.E002", "search.W001"]  # and sent over plain http
    assert all(PASSWORD not in e.msg and API_KEY not in e.msg for e in messages)


def test_check_is_silent_for_a_good_secured_configuration(settings, tmp_path):
    ca = certificates_make(tmp_path)["ca"]
    _configure(
        settings, URLS="https://es1:9200,https://es2:9200", API_KEY=API_KEY, CA_CERTS=str(ca), REPLICAS="1"
    )
    assert elasticsearch_settings_check() == []


def test_check_ignores_elasticsearch_variables_on_the_database_backend(settings):
    settings.ELASTICSEARCH = env(CA_CERTS="/missing.pem", SHARDS="x")
    settings.WAGTAILSEARCH_BACKENDS = search_backends_build(
        "database", settings.ELASTICSEARCH, default_replicas=0
    )
    assert elasticsearch_settings_check() == []


# --- secrets never on an error page -------------------------------------------------------------


def _secured(settings):
    _configure(settings, URLS="https://es:9200", API_KEY=API_KEY)
    # Both kinds of secret in the raw values too (a misconfiguration the check would report).
    settings.ELASTICSEARCH = {
        **env(URLS="https://es:9200", USERNAME="kepu", PASSWORD=PASSWORD),
        "API_KEY": API_KEY,
    }
    settings.WAGTAILSEARCH_BACKENDS = {
        **settings.WAGTAILSEARCH_BACKENDS,
        "other": elasticsearch_backend_from_env(env(USERNAME="kepu", PASSWORD=PASSWORD), default_replicas=0),
    }


def test_django_hides_the_key_and_password_in_the_settings_it_reports(settings):
    _secured(settings)
    safe = SafeExceptionReporterFilter().get_safe_settings()
    text = repr(safe["WAGTAILSEARCH_BACKENDS"]) + repr(safe["ELASTICSEARCH"])
    assert API_KEY not in text and PASSWORD not in text
    assert safe["WAGTAILSEARCH_BACKENDS"]["elasticsearch"]["OPTIONS"]["api_key"] == "********************"
    assert safe["WAGTAILSEARCH_BACKENDS"]["other"]["OPTIONS"]["basic_auth"] == "********************"
    assert safe["ELASTICSEARCH"]["PASSWORD"] == "********************"


def test_the_technical_error_page_shows_neither_key_nor_password(settings):
    _secured(settings)
    settings.DEBUG = True
    request = RequestFactory().get("/search/?q=x")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        html = technical_500_response(request, *sys.exc_info()).content.decode()
    assert "WAGTAILSEARCH_BACKENDS" in html  # the settings are on the page
    assert API_KEY not in html
    assert PASSWORD not in html


def _client_call_error_page() -> str:
    try:
        backend_get("elasticsearch").es.search(index="kepu_x")
    except Exception:  # noqa: BLE001 - rendered as Django would for an unhandled error
        return technical_500_response(RequestFactory().get("/search/?q=x"), *sys.exc_info()).content.decode()
    raise AssertionError("the fake server refuses every request")


@pytest.mark.parametrize("credentials", ["api_key", "password"])
def test_an_unhandled_client_error_page_shows_no_credential(settings, credentials):
    """Every frame of the client's traceback (its headers, our backend cache) on the technical page."""
    with fake_elasticsearch(status=401) as (url, seen):
        raw = (
            env(URLS=url, API_KEY=RUN_KEY)
            if credentials == "api_key"
            else env(URLS=url, USERNAME="kepu", PASSWORD=RUN_PASSWORD)
        )
        settings.WAGTAILSEARCH_BACKENDS = search_backends_build("elasticsearch", raw, default_replicas=0)
        page = _client_call_error_page()
    assert seen and seen[0]["authorization"]  # the credential was sent
    assert "AuthenticationException" in page
    key_secret = base64.b64decode(RUN_KEY).decode().split(":")[1]
    basic = base64.b64encode(f"kepu:{RUN_PASSWORD}".encode()).decode()
    for secret in (RUN_KEY, key_secret, RUN_PASSWORD, basic):
        assert secret not in page

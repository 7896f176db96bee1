"""The Elasticsearch connection, read from the environment, and its WAGTAILSEARCH_BACKENDS entry
(shared by the settings modules and the tests).

Contract:

- ``elasticsearch_env(environ)`` reads the ``ELASTICSEARCH_*`` variables as given (strings, nothing
  checked); the settings keep that dict as ``ELASTICSEARCH``. Its secret keys (``API_KEY``,
  ``PASSWORD``) are ones Django's error reports hide.
- ``elasticsearch_problems(raw, default_replicas)`` lists what is wrong with it as
  ``(variable, 中文, English, kind)``; ``search.checks`` reports them through ``manage.py check``,
  ``production.py`` refuses to start on the ``value`` ones. Pure, except for reading the CA file.
- ``search_backends_build(...)`` returns WAGTAILSEARCH_BACKENDS; it never raises on bad values
  (the check reports them), so a settings import cannot crash on a typo.

Certificate verification is always on: there is no variable to turn it off. Credentials go to
the client as options (``api_key`` / ``basic_auth``), never inside a URL that could be logged.
"""

import os
import ssl
from urllib.parse import urlsplit

DEFAULT_URL = "http://127.0.0.1:9200"
DEFAULT_SHARDS = 1


def elasticsearch_env(environ=None) -> dict:
    """The ``ELASTICSEARCH_*`` variables as given. ``ELASTICSEARCH_URLS`` (comma-separated) wins
    over the older single ``ELASTICSEARCH_URL``."""
    environ = os.environ if environ is None else environ
    raw_urls = environ.get("ELASTICSEARCH_URLS", "").strip() or environ.get("ELASTICSEARCH_URL", DEFAULT_URL)
    return {
        "URLS": [u.strip() for u in raw_urls.split(",") if u.strip()],
        "API_KEY": environ.get("ELASTICSEARCH_API_KEY", "").strip(),
        "USERNAME": environ.get("ELASTICSEARCH_USERNAME", ""),
        "PASSWORD": environ.get("ELASTICSEARCH_PASSWORD", ""),
        "CA_CERTS": environ.get("ELASTICSEARCH_CA_CERTS", "").strip(),
        "SHARDS": environ.get("ELASTICSEARCH_SHARDS", "").strip(),
        "REPLICAS": environ.get("ELASTICSEARCH_REPLICAS", "").strip(),
        "INDEX_PREFIX": environ.get("ELASTICSEARCH_INDEX_PREFIX", "kepu_"),
        "TIMEOUT": environ.get("ELASTICSEARCH_TIMEOUT", "5").strip(),
    }


def _int(value: str, default: int, minimum: int) -> int | None:
    """The integer in ``value`` (``default`` when empty), or None when it is not one >= minimum."""
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= minimum else None


def _url_problems(urls: list[str]) -> list[tuple]:
    var = "ELASTICSEARCH_URLS"
    if not urls:
        return [(var, "至少需要一个地址", "at least one URL is required", "value")]
    problems = []
    for url in urls:
        try:
            parts = urlsplit(url)
            port = parts.port  # raises on a port that is not a number
        except ValueError:
            parts, port = None, None
        if parts is None or parts.scheme not in {"http", "https"} or not parts.hostname:
            problems.append(
                (
                    var,
                    f"地址无效：{url!r}（应为 http:// 或 https:// 开头）",
                    f"invalid URL {url!r} (http/https)",
                    "value",
                )
            )
        elif parts.username or parts.password:
            # Said without the URL: it holds the secret.
            problems.append(
                (
                    var,
                    f"地址 {parts.scheme}://{parts.hostname}{':' + str(port) if port else ''} 含用户名或密码，"
                    "请改用 ELASTICSEARCH_USERNAME / ELASTICSEARCH_PASSWORD 或 ELASTICSEARCH_API_KEY",
                    "credentials inside a URL (they would be logged); use the USERNAME/PASSWORD or API_KEY variables",
                    "value",
                )
            )
    return problems


def _ca_problems(ca_certs: str, urls: list[str]) -> list[tuple]:
    var = "ELASTICSEARCH_CA_CERTS"
    if not ca_certs:
        return []
    if any(urlsplit(u).scheme == "http" for u in urls):
        return [
            (
                var,
                "设置了 CA 证书，但 ELASTICSEARCH_URLS 中有 http:// 地址；加密连接请全部使用 https://",
                "a CA is set but some URLs are http://; use https:// for every host",
                "value",
            )
        ]
    if not (os.path.isfile(ca_certs) and os.access(ca_certs, os.R_OK)):
        return [
            (
                var,
                f"CA 证书文件不存在或不可读：{ca_certs}",
                f"CA file missing or unreadable: {ca_certs}",
                "file",
            )
        ]
    try:
        ssl.create_default_context().load_verify_locations(cafile=ca_certs)
    except (ssl.SSLError, OSError, ValueError):
        return [
            (
                var,
                f"CA 证书文件不是有效的 PEM 证书：{ca_certs}",
                f"not a PEM CA certificate: {ca_certs}",
                "file",
            )
        ]
    return []


def elasticsearch_problems(raw: dict, *, default_replicas: int = 0) -> list[tuple]:
    """What is wrong with the ``elasticsearch_env`` values: ``(variable, 中文, English, kind)``
    with kind ``value`` (a wrong value) or ``file`` (the CA file). Empty when all is well."""
    problems = _url_problems(raw["URLS"])
    user, password = raw["USERNAME"], raw["PASSWORD"]
    if raw["API_KEY"] and (user or password):
        problems.append(
            (
                "ELASTICSEARCH_API_KEY",
                "与 ELASTICSEARCH_USERNAME / ELASTICSEARCH_PASSWORD 只能设置一种",
                "set either the API key or the username and password, not both",
                "value",
            )
        )
    elif bool(user) != bool(password):
        missing = "ELASTICSEARCH_PASSWORD" if user else "ELASTICSEARCH_USERNAME"
        problems.append((missing, "用户名和密码须同时设置，此项未设置", f"{missing} is missing", "value"))
    for var, minimum, default in (("SHARDS", 1, DEFAULT_SHARDS), ("REPLICAS", 0, default_replicas)):
        if _int(raw[var], default, minimum) is None:
            word = "正整数" if minimum else "非负整数"
            problems.append(
                (
                    f"ELASTICSEARCH_{var}",
                    f"应为{word}，当前为 {raw[var]!r}",
                    f"must be an integer >= {minimum}",
                    "value",
                )
            )
    if _int(raw["TIMEOUT"], 5, 1) is None:
        problems.append(
            (
                "ELASTICSEARCH_TIMEOUT",
                "应为正整数（秒）",
                "must be a positive integer",
                "value",
            )
        )
    return problems + _ca_problems(raw["CA_CERTS"], raw["URLS"])


def _api_key(value: str):
    # "id:key" as two parts; otherwise the encoded key as Elasticsearch returns it.
    if ":" in value:
        key_id, _, key = value.partition(":")
        return (key_id, key)
    return value


def elasticsearch_backend(
    urls: str | list[str],
    *,
    index_prefix: str = "kepu_",
    timeout: int = 5,
    api_key: str = "",
    username: str = "",
    password: str = "",
    ca_certs: str = "",
    shards: int = DEFAULT_SHARDS,
    replicas: int = 0,
) -> dict:
    """The ``wagtail.search.backends.elasticsearch8`` entry. Credentials and the CA go to the
    client as OPTIONS; ``verify_certs`` is always True."""
    urls = [urls] if isinstance(urls, str) else list(urls)
    options: dict[str, object] = {
        # A refused connection moves on to the next host (the client marks the node dead); a slow
        # one is not retried: a search waits one timeout at most before the database answers.
        "max_retries": max(0, len(urls) - 1),
        "retry_on_timeout": False,
        "verify_certs": True,
    }
    if api_key:
        options["api_key"] = _api_key(api_key)
    elif username or password:
        options["basic_auth"] = (username, password)
    if ca_certs:
        options["ca_certs"] = ca_certs
    return {
        "BACKEND": "wagtail.search.backends.elasticsearch8",
        "URLS": urls,
        "INDEX_PREFIX": index_prefix,
        "TIMEOUT": timeout,
        "OPTIONS": options,
        # Only search.documents writes to Elasticsearch, so failures are queued, not lost.
        "AUTO_UPDATE": False,
        "ATOMIC_REBUILD": True,
        "INDEX_SETTINGS": {
            "settings": {
                "index": {"number_of_shards": shards, "number_of_replicas": replicas},
                "analysis": {
                    # Text arrives analysed by search.analysis; split on whitespace only.
                    "analyzer": {
                        "kepu_terms": {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]}
                    }
                },
            }
        },
    }


def _without_credentials(url: str) -> str:
    """The URL without user and password: they would reach logs and error texts."""
    try:
        parts = urlsplit(url)
        if not (parts.username or parts.password):
            return url
        return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()
    except ValueError:
        return url


def elasticsearch_backend_from_env(raw: dict, *, default_replicas: int) -> dict:
    """``elasticsearch_backend`` from ``elasticsearch_env`` values; a bad number falls back to its
    default (``search.checks`` reports it), a CA given for http:// hosts is left out (ditto)."""
    urls = [_without_credentials(u) for u in raw["URLS"] or [DEFAULT_URL]]
    https = all(urlsplit(u).scheme == "https" for u in urls)
    replicas = _int(raw["REPLICAS"], default_replicas, 0)
    return elasticsearch_backend(
        urls,
        index_prefix=raw["INDEX_PREFIX"],
        timeout=_int(raw["TIMEOUT"], 5, 1) or 5,
        api_key=raw["API_KEY"],
        username="" if raw["API_KEY"] else raw["USERNAME"],
        password="" if raw["API_KEY"] else raw["PASSWORD"],
        ca_certs=raw["CA_CERTS"] if https else "",
        shards=_int(raw["SHARDS"], DEFAULT_SHARDS, 1) or DEFAULT_SHARDS,
        replicas=default_replicas if replicas is None else replicas,
    )


def search_backends_build(search_backend: str, raw: dict, *, default_replicas: int) -> dict:
    """WAGTAILSEARCH_BACKENDS: the database backend always (the fallback, kept current), plus
    Elasticsearch when ``search_backend`` is ``elasticsearch``."""
    backends = {
        # "simple": no stemming on PostgreSQL; the text is analysed already (ignored on SQLite).
        "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"},
    }
    if search_backend == "elasticsearch":
        backends["elasticsearch"] = elasticsearch_backend_from_env(raw, default_replicas=default_replicas)
    return backends

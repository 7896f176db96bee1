"""System checks for the Elasticsearch connection (``manage.py check``, also run by ``migrate``
and ``runserver``): a wrong value or an unreadable CA file stops the start with a message that
names the variable, instead of failing later inside a request."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from cms.settings.search_config import elasticsearch_problems

PROBLEM_IDS = {
    "ELASTICSEARCH_URLS": "search.E001",
    "ELASTICSEARCH_API_KEY": "search.E002",
    "ELASTICSEARCH_USERNAME": "search.E003",
    "ELASTICSEARCH_PASSWORD": "search.E003",
    "ELASTICSEARCH_CA_CERTS": "search.E004",
    "ELASTICSEARCH_SHARDS": "search.E005",
    "ELASTICSEARCH_REPLICAS": "search.E006",
    "ELASTICSEARCH_TIMEOUT": "search.E007",
}
HINT = "见 docs/search.md 的 Connection settings（连接设置）一节。"


@register("search")
def elasticsearch_settings_check(app_configs=None, **kwargs):
    """The ``ELASTICSEARCH_*`` variables, when Elasticsearch is configured."""
    raw = getattr(settings, "ELASTICSEARCH", None)
    if raw is None or "elasticsearch" not in settings.WAGTAILSEARCH_BACKENDS:
        return []
    default_replicas = getattr(settings, "ELASTICSEARCH_DEFAULT_REPLICAS", 0)
    messages: list[CheckMessage] = [
        Error(f"{variable}：{zh}（{en}）", hint=HINT, id=PROBLEM_IDS[variable])
        for variable, zh, en, _kind in elasticsearch_problems(raw, default_replicas=default_replicas)
    ]
    has_credentials = raw["API_KEY"] or raw["USERNAME"] or raw["PASSWORD"]
    if has_credentials and any(urlsplit(u).scheme == "http" for u in raw["URLS"]):
        messages.append(
            Warning(
                "ELASTICSEARCH_URLS：凭据将通过未加密的 http:// 发送（credentials sent over plain http）",
                hint="集群应启用 HTTPS，并用 ELASTICSEARCH_CA_CERTS 指定签发其证书的 CA。",
                id="search.W001",
            )
        )
    return messages

"""The search engine's state in a few lines, for ``manage.py search_status`` and the admin's
搜索引擎 panel.

``engine_status_get(timeout=...)`` asks the engine three small questions (cluster health, the
index alias, the document count), each bounded by ``timeout``, and stops at the first failure,
which it classifies (``search.engine_health.engine_failure_describe``). It only reads: no index is
created, no queued update replayed, the circuit breaker is not touched. ``engine_status_cached()``
keeps the answer a few seconds in the shared cache, so the admin home costs at most one short
probe per ``STATUS_CACHE_SECONDS`` whatever the number of editors and workers.

Healthy: the database backend alone, or Elasticsearch answering with status green or yellow (a
lost replica: searches are still answered) and the index present.
"""

import dataclasses
import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from elasticsearch import NotFoundError

from .backends import backend_get
from .documents import external_backend_name
from .engine_health import KIND_LABELS, engine_failure_describe, engine_rest_reason
from .engines import engine_config_key
from .models import PendingIndexUpdate, SearchDocument

STATUS_CACHE_SECONDS = 10
STATUS_TIMEOUT = 2.0
CACHE_PREFIX = "search:engine-status:"

CLUSTER_STATUS_LABELS = {
    "green": "正常",
    "yellow": "有副本未分配，搜索照常",
    "red": "有主分片不可用",
}


@dataclass
class EngineStatus:
    backend: str  # "elasticsearch" or "database"
    hosts: list[str] = field(default_factory=list)
    healthy: bool = True
    cluster_name: str = ""
    cluster_status: str = ""  # green / yellow / red
    nodes: int | None = None
    index_alias: str = ""
    index_concrete: list[str] = field(default_factory=list)
    documents: int | None = None
    pending: int = 0
    failure_kind: str = ""
    failure_message: str = ""
    resting: dict | None = None  # the breaker's recorded failure while searches skip the engine

    @property
    def searches_on(self) -> str:
        """Which backend answers searches right now."""
        if self.backend == "database" or self.resting or self.failure_kind:
            return "database"
        return "elasticsearch"

    @property
    def failure_label(self) -> str:
        return KIND_LABELS.get(self.failure_kind, "")

    def lines(self) -> list[str]:
        """The state in Chinese, one fact per line."""
        if self.backend == "database":
            return ["搜索后端：数据库（未配置 Elasticsearch）", "搜索当前由：数据库回答"]
        lines = [f"搜索后端：Elasticsearch（{', '.join(self.hosts)}）"]
        if self.failure_kind:
            lines.append(f"故障：{self.failure_label} —— {self.failure_message}")
        else:
            label = CLUSTER_STATUS_LABELS.get(self.cluster_status, "")
            lines.append(
                f"集群：{self.cluster_name}，状态 {self.cluster_status}（{label}），节点 {self.nodes} 个"
            )
            if self.index_concrete:
                documents = f"{self.documents} 篇" if self.documents is not None else "未知"
                lines.append(f"索引：{self.index_alias} → {', '.join(self.index_concrete)}，文档 {documents}")
            else:
                lines.append(f"索引：{self.index_alias} 不存在（后台任务会从数据库重建）")
        queued = "（恢复后自动写入）" if self.pending and self.searches_on == "database" else ""
        lines.append(f"待写入更新：{self.pending} 条{queued}")
        if self.resting and not self.failure_kind:
            lines.append(
                f"最近一次搜索失败：{self.resting.get('message', '')}（暂由数据库回答，稍后自动重试）"
            )
        lines.append(
            "搜索当前由：" + ("Elasticsearch 回答" if self.searches_on == "elasticsearch" else "数据库回答")
        )
        return lines


def _host_safe(url: str) -> str:
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}{parts.path.rstrip('/')}"


def _probe(status: EngineStatus, name: str, timeout: float) -> None:
    """Fill the cluster and index facts; raises the client's error on the first failure."""
    backend = backend_get(name)
    es = backend.es.options(request_timeout=timeout)
    health = es.cluster.health()
    status.cluster_name = health["cluster_name"]
    status.cluster_status = health["status"]
    status.nodes = health["number_of_nodes"]
    status.index_alias = backend.get_index_for_model(SearchDocument).name
    try:
        status.index_concrete = sorted(es.indices.get_alias(name=status.index_alias).body)
    except NotFoundError:  # no alias: a plain index of that name, or nothing yet
        exists = es.indices.exists(index=status.index_alias)
        status.index_concrete = [status.index_alias] if exists else []
    if status.index_concrete:
        status.documents = es.count(index=status.index_alias)["count"]


def engine_status_get(*, timeout: float = STATUS_TIMEOUT) -> EngineStatus:
    """The configured engine's state now (see the module docstring)."""
    name = external_backend_name()
    if name is None:
        return EngineStatus(backend="database")
    config = settings.WAGTAILSEARCH_BACKENDS[name]
    status = EngineStatus(
        backend="elasticsearch",
        hosts=[_host_safe(u) for u in config.get("URLS") or []],
        pending=PendingIndexUpdate.objects.filter(backend=name).count(),
        resting=engine_rest_reason(engine_config_key(name)),
    )
    try:
        _probe(status, name, timeout)
    except Exception as exc:  # noqa: BLE001 - every failure is the answer, classified
        status.failure_kind, status.failure_message = engine_failure_describe(exc)
    status.healthy = (
        not status.failure_kind
        and status.cluster_status in {"green", "yellow"}
        and bool(status.index_concrete)
    )
    return status


def engine_status_cached(*, seconds: int = STATUS_CACHE_SECONDS) -> EngineStatus:
    """``engine_status_get()``, kept ``seconds`` in the shared cache (per configuration)."""
    name = external_backend_name()
    config = engine_config_key(name) if name else "database"
    key = CACHE_PREFIX + hashlib.sha256(config.encode()).hexdigest()[:16]
    cached = cache.get(key)
    if isinstance(cached, dict):
        return EngineStatus(**cached)
    status = engine_status_get()
    cache.set(key, dataclasses.asdict(status), seconds)
    return status

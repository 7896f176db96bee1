"""Parsing and validating search parameters from a request; every error is a Chinese message."""

from dataclasses import dataclass, field

from content.models import Audience
from content.types import CONTENT_TYPE_KEYS

from .selectors import MAX_QUERY_LENGTH, query_normalise

SORTS = ("relevance", "date")
MAX_PAGE = 1000
MAX_PAGE_SIZE = 50


class BadSearchParams(ValueError):
    pass


@dataclass
class SearchParams:
    q: str
    types: list = field(default_factory=list)
    audiences: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    sort: str = "relevance"
    page: int = 1
    page_size: int = 10

    def search_kwargs(self) -> dict:
        """The keyword arguments of ``selectors.page_search`` for these parameters."""
        return {
            "types": self.types,
            "audiences": self.audiences,
            "topics": self.topics,
            "sort": self.sort,
            "page": self.page,
            "page_size": self.page_size,
        }


def _values(params, name) -> list[str]:
    values = []
    for raw in params.getlist(name):
        values += [v.strip() for v in raw.replace("，", ",").split(",") if v.strip()]
    return list(dict.fromkeys(values))


def _int(params, name, default, low, high, message) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise BadSearchParams(f"{name} 必须是整数") from None
    if not low <= value <= high:
        raise BadSearchParams(message)
    return value


def search_params_parse(params, *, require_query: bool = True) -> SearchParams:
    raw_q = params.get("q", "")
    q = query_normalise(raw_q)
    if require_query and not q:
        raise BadSearchParams("请输入搜索词")
    if len(q) > MAX_QUERY_LENGTH:
        raise BadSearchParams(f"搜索词过长（最多 {MAX_QUERY_LENGTH} 个字）")
    types = _values(params, "type")
    unknown = [t for t in types if t not in CONTENT_TYPE_KEYS]
    if unknown:
        raise BadSearchParams(f"未知内容类型：{'、'.join(unknown)}（可用：{'、'.join(CONTENT_TYPE_KEYS)}）")
    audiences = _values(params, "audience")
    known = set(Audience.objects.values_list("slug", flat=True)) if audiences else set()
    unknown = [a for a in audiences if a not in known]
    if unknown:
        raise BadSearchParams(f"未知受众：{'、'.join(unknown)}（可用：{'、'.join(sorted(known))}）")
    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadSearchParams("sort 只能是 relevance（相关度）或 date（时间）")
    page = _int(params, "page", 1, 1, MAX_PAGE, f"页码必须在 1 到 {MAX_PAGE} 之间")
    page_size = _int(params, "page_size", 10, 1, MAX_PAGE_SIZE, f"page_size 必须在 1 到 {MAX_PAGE_SIZE} 之间")
    return SearchParams(
        q=q,
        types=types,
        audiences=audiences,
        topics=_values(params, "topic")[:10],
        sort=sort,
        page=page,
        page_size=page_size,
    )

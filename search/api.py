"""JSON search API (DESIGN.md §3): ``/api/v1/search/`` and ``/api/v1/search/suggest/``."""

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from content.api_errors import api_error

from .hints import search_suggest
from .params import BadSearchParams, search_params_parse
from .query_stats import query_stats_record, visitor_key
from .selectors import MAX_QUERY_LENGTH, page_search, query_normalise


def _json(data):
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=30"
    return response


@require_GET
def search_api(request):
    try:
        params = search_params_parse(request.GET)
    except BadSearchParams as exc:
        return api_error(400, str(exc))
    response = page_search(params.q, **params.search_kwargs(), cached=True)
    query_stats_record(response.query, response.count, visitor_key(request))
    return _json(
        {
            "query": response.query,
            "count": response.count,
            "page": response.page,
            "page_size": response.page_size,
            "backend": response.backend,
            "results": [
                {
                    "id": r.id,
                    "slug": r.slug,
                    "title": r.title_html,
                    "url": r.url,
                    "type": r.type,
                    "audiences": r.audiences,
                    "topics": r.topics,
                    "snippet": r.snippet,
                    "published_at": timezone.localtime(r.published_at).isoformat()
                    if r.published_at
                    else None,
                    "severity": r.severity,
                    "status": r.status,
                }
                for r in response.results
            ],
            "facets": response.facets,
        }
    )


@require_GET
def suggest_api(request):
    q = query_normalise(request.GET.get("q", ""))
    if len(q) > MAX_QUERY_LENGTH:
        return api_error(400, f"搜索词过长（最多 {MAX_QUERY_LENGTH} 个字）")
    return _json({"suggestions": search_suggest(q)})

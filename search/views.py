from django.shortcuts import render
from wagtail.contrib.search_promotions.models import Query
from wagtail.search.utils import normalise_query_string

from content import selectors as content_selectors
from content.models import Audience, Topic
from content.types import CONTENT_TYPE_LABELS

from .hints import popular_queries
from .params import BadSearchParams, search_params_parse
from .query_stats import query_stats_record, visitor_key
from .selectors import page_search


def _editors_picks(query: str):
    promoted = Query.objects.filter(query_string=normalise_query_string(query)).first()
    if promoted is None:
        return []
    return list(promoted.editors_picks.select_related("page").order_by("sort_order"))


def _chips(request, dimension: str, counts: dict, labels: dict, selected: list) -> list[dict]:
    """Filter chips: each toggles one value of a dimension, keeping the other parameters."""
    chips = []
    for value, count in counts.items():
        params = request.GET.copy()
        params.pop("page", None)
        current = [v for v in params.getlist(dimension) if v]
        params.setlist(
            dimension, [v for v in current if v != value] if value in selected else current + [value]
        )
        chips.append(
            {
                "value": value,
                "label": labels.get(value, value),
                "count": count,
                "selected": value in selected,
                "query": params.urlencode(),
            }
        )
    return chips


def search_page(request):
    context = {"query": request.GET.get("q", "").strip()[:100], "error": None, "response": None}
    try:
        params = search_params_parse(request.GET, require_query=False)
    except BadSearchParams as exc:
        context["error"] = str(exc)
        params = None
    if params and params.q:
        params.page_size = 10
        response = page_search(params.q, **params.search_kwargs(), cached=True)
        query_stats_record(response.query, response.count, visitor_key(request))
        audience_names = dict(Audience.objects.values_list("slug", "name"))
        topic_facets = response.facets.get("topic", {})
        topic_names = dict(Topic.objects.filter(slug__in=list(topic_facets)).values_list("slug", "name"))
        for result in response.results:
            result.type_label = CONTENT_TYPE_LABELS.get(result.type, result.type)
            result.audience_names = [audience_names.get(a, a) for a in result.audiences]
        base = request.GET.copy()
        base.pop("page", None)
        context.update(
            response=response,
            params=params,
            page_query=base.urlencode(),
            editors_picks=_editors_picks(params.q),
            chips={
                "type": _chips(
                    request, "type", response.facets.get("type", {}), CONTENT_TYPE_LABELS, params.types
                ),
                "audience": _chips(
                    request, "audience", response.facets.get("audience", {}), audience_names, params.audiences
                ),
                "topic": _chips(request, "topic", topic_facets, topic_names, params.topics),
            },
        )
    if not context["response"] or not context["response"].count:
        context.update(
            suggested_topics=content_selectors.topic_popular_list(limit=10),
            popular_queries=popular_queries(limit=8),
        )
    return render(request, "search/search.html", context)

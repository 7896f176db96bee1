from django.shortcuts import render

from content import selectors as content_selectors
from content.models import Audience

from .selectors import page_search, query_normalise

PAGE_SIZE = 10


def search_page(request):
    query = query_normalise(request.GET.get("q"))
    audience = Audience.objects.filter(slug=request.GET.get("audience") or "").first()
    results = page_search(query, audience=audience) if query else []
    page_obj = content_selectors.page_of(results, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "page_obj": page_obj,
            "count": len(results),
            "audiences": Audience.objects.all(),
            "current_audience": audience,
            "suggested_topics": content_selectors.topic_popular_list(limit=10) if not results else [],
        },
    )

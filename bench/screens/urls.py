"""Bench-only URLconf: the production URLs plus ``/bench/ceiling``, a plain Django view with a fixed body.

The ceiling goes through the same gunicorn, WSGI handler and middleware as the feed, so the ratio
feed ÷ ceiling is what the feed's own work costs.
"""

import json

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

from cms.urls import handler404, handler500  # noqa: F401  (the same error pages)

CEILING_BODY = json.dumps({"ok": True, "version": 1, "items": []}).encode()


@require_GET
def ceiling(request):
    return HttpResponse(CEILING_BODY, content_type="application/json")


urlpatterns = [
    path("bench/ceiling", ceiling),
    path("", include("cms.urls")),
]

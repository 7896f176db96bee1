"""Search backends by name, cached per process and per configuration (the Elasticsearch client
keeps its connection pool between requests)."""

import json

from django.conf import settings
from django.views.decorators.debug import sensitive_variables
from modelsearch.backends import get_search_backend

_cache: dict = {}


@sensitive_variables("config", "key")  # they hold the API key or password: not on error pages
def backend_get(name: str):
    config = settings.WAGTAILSEARCH_BACKENDS.get(name)
    key = (name, json.dumps(config, sort_keys=True, default=str))
    if key not in _cache:
        if len(_cache) > 8:
            _cache.clear()
        _cache[key] = get_search_backend(name)
    return _cache[key]

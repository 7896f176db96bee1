"""Conditional GET for the public feed channels (syndication, CAP)."""

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date


def conditional_response(request, body, *, etag: str, last_modified, content_type: str) -> HttpResponse:
    """304 when the client's ETag (or, without one, its date) is current; else ``body()`` with both.

    ``Cache-Control: no-cache`` lets caches keep the document but makes them revalidate every
    time, which costs a 304: a publication is visible on the next request, never after a TTL.
    """
    etag = f'"{etag}"'
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = HttpResponse(body(), content_type=content_type)
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = "public, no-cache"
    return response

"""CAP over HTTP: one document per message, the newest per emergency page, the Atom index.

Documents are immutable per message (strong ETag = the identifier); the index is recomputed from
the database on every request, so a publication or withdrawal shows on the next request.
"""

import hashlib
import re

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from content.selectors import section_url
from content.types import EMERGENCY
from feeds.http import conditional_response

from .builders import CAP_CONTENT_TYPE, CapIndexEntry, cap_alert_build, cap_index_build
from .models import CapMessage
from .selectors import cap_alert_current_list, cap_message_get, cap_message_latest

FORMAT_VERSION = "1"
IDENTIFIER_RE = re.compile(r"^[A-Za-z0-9._-]{1,120}$")
MAX_PAGE_ID = 2**63 - 1  # larger ids cannot be a database key (SQLite would overflow)
ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"


def _document_url(request, message: CapMessage) -> str:
    return request.build_absolute_uri(reverse("cap_message", args=[message.identifier]))


def _document_response(request, message: CapMessage) -> HttpResponse:
    digest = hashlib.sha1(
        f"{FORMAT_VERSION}|{message.identifier}|{request.get_host()}".encode(), usedforsecurity=False
    ).hexdigest()
    return conditional_response(
        request,
        lambda: cap_alert_build(message.data(request.build_absolute_uri)),
        etag=digest,
        last_modified=message.sent,
        content_type=CAP_CONTENT_TYPE,
    )


@require_safe
def cap_page_document(request, page_id: int):
    """The newest CAP message about one emergency page (its current state)."""
    message = cap_message_latest(page_id) if page_id <= MAX_PAGE_ID else None
    if message is None:
        raise Http404("没有这条预警")
    return _document_response(request, message)


@require_safe
def cap_message_document(request, identifier: str):
    """One CAP message exactly as announced; the target of ``<references>``."""
    message = cap_message_get(identifier) if IDENTIFIER_RE.match(identifier) else None
    if message is None:
        raise Http404("没有这条预警消息")
    return _document_response(request, message)


@require_safe
def cap_index(request):
    """Atom index of the alerts in force or upcoming, each linking its newest CAP document."""
    messages = cap_alert_current_list(now=timezone.now())
    key = "|".join([FORMAT_VERSION, request.get_host(), *(m.identifier for m in messages)])
    newest = max((m.sent for m in messages), default=None)

    def body():
        entries = [
            CapIndexEntry(m.data(request.build_absolute_uri), _document_url(request, m)) for m in messages
        ]
        return cap_index_build(
            entries,
            title="科普鄂州 应急预警（CAP）",
            self_url=request.build_absolute_uri(reverse("cap_index")),
            home_url=request.build_absolute_uri(section_url(EMERGENCY.key)),
        )

    return conditional_response(
        request,
        body,
        etag=hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest(),
        last_modified=newest,
        content_type=ATOM_CONTENT_TYPE,
    )

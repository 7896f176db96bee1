"""Keeping search documents right: build, sync on publish/unpublish, retry, rebuild.

Contract: after ``search_document_sync(page_id)`` the database row and the database search
backend are correct (same transaction). The external engine (Elasticsearch) is written too;
if it is unreachable the page is queued in ``PendingIndexUpdate`` and replayed by
``search_pending_flush`` — run by the scheduler's upkeep job (``search.upkeep``) and by
``manage.py search_sync`` — so no update is lost while the engine is down, and no search waits
on a replay.
"""

import logging
import multiprocessing
import os

from bs4 import BeautifulSoup
from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from modelsearch.backends import get_search_backend
from wagtail.models import Page

from content.emergency import HAZARD_LABELS
from content.models import CONTENT_MODELS, BasePage, EmergencyPage, VideoPage
from content.selectors import topics_prefetch

from .analysis import index_text, text_normalise
from .backends import backend_get
from .engine_health import engine_failure_describe, secrets_redact
from .models import PendingIndexUpdate, SearchDocument
from .result_cache import search_results_invalidate

logger = logging.getLogger(__name__)

DATABASE_BACKEND = "default"
INDEX_CHUNK = 500


def external_backend_name() -> str | None:
    """The configured external engine's backend name, or None on the database default."""
    return "elasticsearch" if "elasticsearch" in settings.WAGTAILSEARCH_BACKENDS else None


def _body_text(page: BasePage) -> str:
    parts = page.body.stream_block.get_searchable_content(page.body) if page.body else []
    return " ".join(BeautifulSoup(p, "html.parser").get_text(" ") if "<" in p else p for p in parts)


def search_document_build(page: BasePage) -> SearchDocument:
    """The search document for a live, public content page (no database writes)."""
    audiences = list(page.audiences.all())
    topics = [item.tag for item in page.tagged_topics.all()]  # uses the prefetch; topics.all() would not
    extra = []
    fields = {}
    if isinstance(page, VideoPage):
        extra.append(page.transcript)
    if isinstance(page, EmergencyPage):
        regions = [r.name for r in page.regions.all()]
        extra += [page.instructions, HAZARD_LABELS.get(page.hazard, ""), " ".join(regions)]
        fields = {
            "severity": page.severity,
            "effective_from": page.effective_from,
            "expires_at": page.expires_at,
        }
    body_text = _body_text(page)
    plain_text = " ".join(
        t
        for t in [
            page.summary,
            page.instructions if isinstance(page, EmergencyPage) else "",
            body_text,
            page.transcript if isinstance(page, VideoPage) else "",
        ]
        if t
    )
    return SearchDocument(
        page_id=page.pk,
        kind=page.content_type_key,
        slug=page.slug,
        display_title=page.title,
        summary=page.summary,
        plain_text=" ".join(plain_text.split())[:20000],
        url=page.get_url() or page.url_path,
        title=index_text(page.title),
        body=index_text(
            page.summary,
            body_text,
            *extra,
            page.source,
            " ".join(t.name for t in topics),
            " ".join(a.name for a in audiences),
        ),
        normalised_title=text_normalise(page.title)[:255],
        audience_slugs=[a.slug for a in audiences],
        topic_slugs=[t.slug for t in topics],
        topic_names=[t.name for t in topics],
        published_at=page.first_published_at,
        **fields,
    )


def _searchable_page(page_id: int):
    for model in CONTENT_MODELS:
        page = (
            model.objects.live()
            .public()
            .filter(pk=page_id)
            .prefetch_related("audiences", topics_prefetch(model))
            .first()
        )
        if page is not None:
            return page
    return None


def search_document_sync(page_id: int) -> SearchDocument | None:
    """Make search agree with the page as it is now: index it if live and public, else remove it."""
    page = _searchable_page(page_id)
    with transaction.atomic():
        if page is None:
            SearchDocument.objects.filter(pk=page_id).delete()
            document = None
            backend_get(DATABASE_BACKEND).delete(SearchDocument(page_id=page_id))
        else:
            document = search_document_build(page)
            document.save()
            backend_get(DATABASE_BACKEND).add(document)
    _external_write(page_id, document)
    search_results_invalidate()
    return document


def _external_write(page_id: int, document: SearchDocument | None) -> bool:
    name = external_backend_name()
    if name is None:
        return True
    search_pending_flush()  # keep the order of writes: older failures first
    if PendingIndexUpdate.objects.filter(backend=name).exists():
        _queue(page_id, name, "earlier updates are still pending")
        return False
    try:
        _write_one(name, page_id, document)
        return True
    except Exception as exc:  # noqa: BLE001 - any engine failure must queue, never lose the update
        kind, message = engine_failure_describe(exc)
        logger.warning("search engine %s failed (%s: %s), queued page %s", name, kind, message, page_id)
        _queue(page_id, name, _error_text(exc))
        return False


def _write_one(name: str, page_id: int, document: SearchDocument | None) -> None:
    search_index_ensure(name)
    backend = backend_get(name)
    if document is None:
        backend.delete(SearchDocument(page_id=page_id))
    else:
        backend.add(document)


def _error_text(exc: Exception) -> str:
    """What a queued row remembers of the failure: its kind and message, then the client's text
    without credentials."""
    kind, message = engine_failure_describe(exc)
    return f"{kind}: {message} | {secrets_redact(str(exc))}"


def _queue(page_id: int, name: str, error: str) -> None:
    PendingIndexUpdate.objects.update_or_create(
        page_id=page_id, defaults={"backend": name, "last_error": error[:2000]}
    )


def search_pending_flush(*, limit: int = 1000) -> int:
    """Replay queued engine writes, oldest first; stop at the first failure. Returns how many."""
    name = external_backend_name()
    if name is None:
        return 0
    done = 0
    for pending in PendingIndexUpdate.objects.filter(backend=name).order_by("created_at", "page_id")[:limit]:
        document = SearchDocument.objects.filter(pk=pending.page_id).first()
        try:
            _write_one(name, pending.page_id, document)
        except Exception as exc:  # noqa: BLE001
            PendingIndexUpdate.objects.filter(pk=pending.pk).update(
                attempts=pending.attempts + 1, last_error=_error_text(exc)[:2000], updated_at=timezone.now()
            )
            break
        pending.delete()
        done += 1
    if done:
        # Make the replayed writes visible to the next search.
        backend_get(name).get_index_for_model(SearchDocument).refresh()
        search_results_invalidate()
        logger.info("search engine %s: replayed %s queued update(s)", name, done)
    return done


def _build_documents(model_label: str, pks: list[int]) -> list[dict]:
    """Worker: build the documents for some pages of one model (field values, not objects)."""
    model = apps.get_model(model_label)
    qs = (
        model.objects.filter(pk__in=pks)
        .order_by("pk")
        .prefetch_related(
            "audiences", topics_prefetch(model), *(["regions"] if model is EmergencyPage else [])
        )
    )
    fields = [f.attname for f in SearchDocument._meta.concrete_fields]
    return [{name: getattr(doc, name) for name in fields} for doc in map(search_document_build, qs)]


def _build_job(job: tuple[str, list[int]]) -> list[dict]:
    return _build_documents(*job)


def _worker_init():
    for conn in connections.all(initialized_only=True):
        conn.close()  # never share the parent's connection across a fork


def search_documents_rebuild(*, chunk_size: int = 500, workers: int | None = None, progress=None) -> int:
    """Rewrite every search document from the live, public pages (database only).

    Analysis (jieba) is CPU-bound, so large rebuilds build documents in worker processes
    (one per core); the parent does all the writing.
    """
    jobs = []
    for model in CONTENT_MODELS:
        pks = list(model.objects.live().public().order_by("pk").values_list("pk", flat=True))
        label = model._meta.label
        jobs += [(label, pks[i : i + chunk_size]) for i in range(0, len(pks), chunk_size)]
    workers = workers or (os.cpu_count() or 1)
    total = sum(len(pks) for _, pks in jobs)
    seen, count = set(), 0

    def write(rows):
        nonlocal count
        documents = [SearchDocument(**row) for row in rows]
        with transaction.atomic():
            SearchDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
            SearchDocument.objects.bulk_create(documents)
        seen.update(d.pk for d in documents)
        count += len(documents)
        if progress:
            progress(count)

    if workers > 1 and total > 2 * chunk_size and connections["default"].vendor in {"sqlite", "postgresql"}:
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_init) as pool:
            for rows in pool.imap(_build_job, jobs):  # streamed: memory stays at a few chunks
                write(rows)
    else:
        for label, pks in jobs:
            write(_build_documents(label, pks))
    _delete_stale(seen)
    search_results_invalidate()
    return count


def _delete_stale(seen: set) -> None:
    stale = set(SearchDocument.objects.values_list("pk", flat=True)) - seen
    for start in range(0, len(stale), 5000):
        SearchDocument.objects.filter(pk__in=list(stale)[start : start + 5000]).delete()


def page_ids_for_resync(page: Page) -> list[int]:
    """A page and its descendants (privacy and moves affect the whole subtree)."""
    return list(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def search_index_rebuild(backend_name: str) -> int:
    """Rebuild one backend's index of search documents; atomic (alias swap) on Elasticsearch."""
    backend = get_search_backend(backend_name)  # a fresh client: rebuilds are long
    index = backend.get_index_for_model(SearchDocument)
    rebuilder = backend.rebuilder_class(index) if backend.rebuilder_class else None
    if rebuilder is not None:
        index = rebuilder.start()
        index.add_model(SearchDocument)
    total = 0
    last_pk = None
    while True:
        qs = SearchDocument.objects.order_by("pk")
        if last_pk is not None:
            qs = qs.filter(pk__gt=last_pk)
        chunk = list(qs[:INDEX_CHUNK])
        if not chunk:
            break
        if rebuilder is not None:
            index.add_items(SearchDocument, chunk)
        else:
            backend.add_bulk(SearchDocument, chunk)
        total += len(chunk)
        last_pk = chunk[-1].pk
    if rebuilder is not None:
        rebuilder.finish()
    search_results_invalidate()
    return total


_ensured: set = set()


def search_index_ensure(backend_name: str, *, timeout: float | None = None) -> None:
    """Create the engine's index (filled from the database) if it does not exist yet.

    Checked once per process and index; a fresh node or a deleted index heals itself instead
    of being filled by dynamic mapping with the wrong analyzer. ``timeout`` bounds the check
    (a search must not wait the full write timeout on a hung engine).
    """
    backend = backend_get(backend_name)
    index = backend.get_index_for_model(SearchDocument)
    key = (backend_name, index.name, id(backend))
    if key in _ensured:
        return
    es = backend.es.options(request_timeout=timeout) if timeout else backend.es
    # Not index.exists(): modelsearch 1.3 passes a positional argument the 8.x client rejects.
    if not es.indices.exists(index=index.name):
        logger.info("search engine %s: index %s missing, building it", backend_name, index.name)
        search_index_rebuild(backend_name)
    _ensured.add(key)

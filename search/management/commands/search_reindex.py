import time

from django.core.management.base import BaseCommand
from modelsearch.backends import get_search_backend

from search.documents import external_backend_name, search_documents_rebuild
from search.models import PendingIndexUpdate, SearchDocument

CHUNK = 500


class Command(BaseCommand):
    help = (
        "重建搜索：由已发布页面重新生成搜索文档，重建数据库搜索索引；配置了 Elasticsearch 时"
        "在新索引中建好后原子切换别名（重建期间搜索不会变空）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--skip-documents", action="store_true", help="不重新生成搜索文档，只重建索引")
        parser.add_argument("--dry-run", action="store_true", help="只统计将要索引的数量")

    def handle(self, *args, skip_documents, dry_run, **options):
        if dry_run:
            self.stdout.write(f"将索引 {SearchDocument.objects.count()} 个搜索文档（试运行）")
            return
        started = time.monotonic()
        if not skip_documents:
            count = search_documents_rebuild(chunk_size=CHUNK)
            self.stdout.write(f"搜索文档：{count} 个（{time.monotonic() - started:.1f} 秒）")
        for name in ["default", external_backend_name()]:
            if name is None:
                continue
            t0 = time.monotonic()
            total = search_index_rebuild(name)
            elapsed = time.monotonic() - t0
            self.stdout.write(
                self.style.SUCCESS(
                    f"{name}: 已索引 {total} 个文档，用时 {elapsed:.1f} 秒（{total / max(elapsed, 1e-6):.0f} 个/秒）"
                )
            )
            if name != "default":
                PendingIndexUpdate.objects.filter(backend=name).delete()


def search_index_rebuild(backend_name: str) -> int:
    """Rebuild one backend's index of search documents; atomic (alias swap) on Elasticsearch."""
    backend = get_search_backend(backend_name)
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
        chunk = list(qs[:CHUNK])
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
    return total

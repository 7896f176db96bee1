import time

from django.core.management.base import BaseCommand

from search.documents import external_backend_name, search_documents_rebuild, search_index_rebuild
from search.models import PendingIndexUpdate, SearchDocument

CHUNK = 500  # pages per database transaction


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

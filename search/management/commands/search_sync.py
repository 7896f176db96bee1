import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection

from search.documents import search_pending_flush
from search.models import PendingIndexUpdate

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "把搜索引擎宕机期间排队的更新写入 Elasticsearch。--watch 持续运行（适合作为后台进程）。"

    def add_arguments(self, parser):
        parser.add_argument("--watch", action="store_true", help="每隔 --interval 秒重试一次，直到被终止")
        parser.add_argument("--interval", type=float, default=10.0)

    def handle(self, *args, watch, interval, **options):
        while True:
            try:
                done = search_pending_flush()
                left = PendingIndexUpdate.objects.count()
            except DatabaseError:
                if not watch:
                    raise
                # The database restarted or is briefly unreachable: a long-lived process waits and
                # reconnects instead of exiting (and taking the other Procfile processes with it).
                logger.warning("search sync: database unavailable; retrying in %s s", interval, exc_info=True)
                if not connection.in_atomic_block:  # never inside a caller's transaction
                    close_old_connections()
            else:
                if done or not watch:
                    self.stdout.write(f"已同步 {done} 个，剩余 {left} 个待同步")
                if not watch:
                    return
            time.sleep(interval)

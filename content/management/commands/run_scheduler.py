"""The scheduler process: Wagtail scheduled publishing and expiry, every few seconds."""

import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.utils import timezone

from content.periodic import periodic_jobs_run
from content.scheduled_publishing import scheduled_due, scheduled_publish_run

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "定时发布：让在后台设定了上线时间的页面按时上线、到期下线；并运行各模块登记的例行维护。"
        "生产环境作为一个常驻进程运行（只运行一个）；make run 会自动启动。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help=f"检查间隔（秒），默认 {settings.SCHEDULER_INTERVAL_SECONDS}",
        )
        parser.add_argument("--once", action="store_true", help="只检查一次后退出（可用 cron 调用）")
        parser.add_argument("--dry-run", action="store_true", help="只列出到期的页面，不做修改")

    def handle(self, *args, interval=None, once=False, dry_run=False, **options):
        interval = settings.SCHEDULER_INTERVAL_SECONDS if interval is None else interval
        if interval <= 0:
            raise CommandError("检查间隔必须大于 0 秒")
        if dry_run:
            going_live, expiring = scheduled_due(timezone.now())
            for title in going_live:
                self.stdout.write(f"将上线：{title}")
            for title in expiring:
                self.stdout.write(f"将下线：{title}")
            if not going_live and not expiring:
                self.stdout.write("没有到期的定时发布。")
            return
        stop = threading.Event()
        if not once:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
            logger.info("scheduler started: checking every %s s", interval)
        while True:
            self._tick(lock_seconds=max(60, int(interval * 4)))
            if once or stop.wait(interval):
                break
        logger.info("scheduler stopped")

    def _tick(self, *, lock_seconds: int) -> None:
        _connections_refresh()  # a long-lived process must not keep a dead connection
        try:
            run = scheduled_publish_run(lock_seconds=lock_seconds)
        except Exception:  # one bad run (database locked, a failing receiver) must not end the loop
            logger.exception("scheduled publishing failed; retrying at the next check")
            run = None
        if run and (run.went_live or run.expired):
            self.stdout.write(f"定时发布：上线 {len(run.went_live)} 个，下线 {len(run.expired)} 个")
        try:
            periodic_jobs_run()  # housekeeping registered by the apps (content.periodic)
        finally:
            _connections_refresh()


def _connections_refresh() -> None:
    # Never inside a transaction someone else opened (``--once`` called from a test or a script).
    if not connection.in_atomic_block:
        close_old_connections()

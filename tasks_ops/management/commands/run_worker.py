"""The production task worker: django-tasks-db's worker with a heartbeat, orphan recovery, and
resumption after a database outage (tasks_ops.worker)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, task_backends
from django_tasks_db.management.commands.db_worker import valid_interval, valid_max_tasks

from tasks_ops.worker import worker_run


class Command(BaseCommand):
    help = (
        "后台任务进程：执行发布后的任务（搜索同步、CAP 记录、微信推送）。生产环境作为常驻进程运行，可运行多个。"
        "每个进程定时写心跳；被杀死的进程手上的任务在 "
        f"{settings.TASKS_WORKER_LOST_AFTER_SECONDS:g} 秒（TASKS_WORKER_LOST_AFTER_SECONDS）后重新排队；"
        "数据库重启时等待重连，不退出。收到 SIGTERM 时做完当前任务再退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue-name",
            default=DEFAULT_TASK_QUEUE_NAME,
            help="要处理的队列，多个用逗号分隔，'*' 表示全部（默认 %(default)s）",
        )
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=1.0,
            help="队列为空时每隔多少秒查看一次（默认 %(default)s）",
        )
        parser.add_argument("--batch", action="store_true", help="做完队列中现有的任务后退出")
        parser.add_argument(
            "--max-tasks",
            type=valid_max_tasks,
            default=None,
            help="执行这么多个任务后退出（由进程管理器重启）",
        )
        parser.add_argument(
            "--no-startup-delay",
            action="store_false",
            dest="startup_delay",
            help="启动时不随机等待（默认等待最多 1 秒，避免多个进程同时抢任务）",
        )

    def handle(self, *args, queue_name, interval, batch, max_tasks, startup_delay, **options):
        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            raise CommandError(
                "TASKS_BACKEND 不是数据库队列（django_tasks_db.DatabaseBackend）："
                "当前设置下任务在发布它的进程中立即执行，不需要任务进程。"
            )
        worker_run(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            max_tasks=max_tasks,
            startup_delay=startup_delay,
        )

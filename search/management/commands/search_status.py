from django.core.management.base import BaseCommand

from search.engine_status import STATUS_TIMEOUT, engine_status_get


class Command(BaseCommand):
    help = (
        "显示搜索引擎状态：后端、集群名称、状态、节点数、索引（别名 → 实际索引）、文档数、待写入更新；"
        "出错时说明是认证、证书还是连接问题。健康（green 或 yellow，索引存在）时退出码为 0，否则为 1。"
    )
    requires_system_checks = []  # the state is wanted even when a setting is wrong

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout", type=float, default=STATUS_TIMEOUT, help="每个请求最多等待的秒数（默认 %(default)s）"
        )

    def handle(self, *args, timeout, **options):
        status = engine_status_get(timeout=timeout)
        for line in status.lines():
            self.stdout.write(line)
        if not status.healthy:
            raise SystemExit(1)

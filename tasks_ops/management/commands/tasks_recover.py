"""Put back tasks left RUNNING by a task worker that died (run_worker does this by itself)."""

from django.core.management.base import BaseCommand

from tasks_ops.selectors import tasks_orphaned
from tasks_ops.services import tasks_orphans_recover


class Command(BaseCommand):
    help = (
        "把任务进程失联（被杀死、主机宕机）后一直“运行中”的任务重新排队；多次失联的任务标记为失败。"
        "run_worker 会定期自动执行，此命令供运维手动检查或执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出这些任务，不做修改")

    def handle(self, *args, dry_run=False, **options):
        orphans = tasks_orphaned() if dry_run else tasks_orphans_recover()
        verb = "将" if dry_run else "已"
        for orphan in orphans:
            action = "标记为失败" if orphan.gives_up else "重新排队"
            self.stdout.write(
                f"{verb}{action}：{orphan.result.task_path} id={orphan.result.id}"
                f"（失联的 worker：{orphan.lost_worker_id}，第 {orphan.runs} 次运行）"
            )
        if not orphans:
            self.stdout.write("没有失联任务进程留下的任务。")

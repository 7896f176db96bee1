from django.core.management.base import BaseCommand

from content.services import stored_html_resanitize


class Command(BaseCommand):
    help = (
        "用统一的 HTML 白名单清洗器（content/sanitize.py）重新清洗已存储的正文富文本"
        "（所有页面及其历史版本），只写回有变化的内容；可重复运行。见 docs/security.md。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只报告将清洗的内容，不写入")

    def handle(self, *args, dry_run, **options):
        report = stored_html_resanitize(dry_run=dry_run)
        for label, pk in report.pages_changed:
            self.stdout.write(f"{label} #{pk}")
        prefix = "试运行（未写入）：将清洗" if dry_run else "清洗完成：已清洗"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}页面 {len(report.pages_changed)} 个（共检查 {report.pages_checked} 个），"
                f"历史版本 {len(report.revisions_changed)} 个（共检查 {report.revisions_checked} 个）。"
            )
        )

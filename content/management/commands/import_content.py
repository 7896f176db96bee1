from django.core.management.base import BaseCommand, CommandError

from content.importing import ImportFailed, content_import_file


class Command(BaseCommand):
    help = (
        "从 JSONL 文件导入科普内容（每行一个 JSON 对象，格式见 docs/import-format.md）。"
        "任何一行有错则整个文件不导入，并逐行报告 file:line: 原因。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL 文件路径；图片路径相对于该文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告将做的更改，不写入")

    def handle(self, *args, file, dry_run, **options):
        try:
            report = content_import_file(file, dry_run=dry_run)
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(f"导入失败：{len(exc.errors)} 处错误，未导入任何内容。") from None
        prefix = "试运行（未写入）：将" if dry_run else "导入完成："
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}新建 {len(report.created)} 条，更新 {len(report.updated)} 条，"
                f"未变化 {len(report.unchanged)} 条，共 {report.total} 条。"
            )
        )

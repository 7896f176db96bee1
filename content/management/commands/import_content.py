from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from content.importing import ImportFailed, content_import_file


class Command(BaseCommand):
    help = (
        "从 JSONL 文件导入科普内容（每行一个 JSON 对象，格式见 docs/import-format.md）。"
        "任何一行有错（包括禁用词）则整个文件不导入，并逐行报告 file:line: 原因；"
        "警告词和纠错只报告，不阻止导入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL 文件路径；图片路径相对于该文件")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="只校验（与导入相同的逐行检查和错敏词检查）并报告将做的更改，不写入任何内容；有错时退出状态非零",
        )
        parser.add_argument(
            "--submit",
            action="store_true",
            help="不直接发布：保存为草稿并提交审核（普通内容走三审，应急科普走应急快速发布）",
        )
        parser.add_argument(
            "--user", help="记录为导入人的后台用户名（不填则记录运行命令的系统账户）", default=None
        )

    def handle(self, *args, file, dry_run, submit, user, **options):
        account = None
        if user:
            account = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: user}).first()
            if account is None:
                raise CommandError(f"后台用户“{user}”不存在，请先创建，或去掉 --user")
        try:
            report = content_import_file(file, dry_run=dry_run, submit=submit, user=account)
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(f"导入失败：{len(exc.errors)} 处错误，未导入任何内容。") from None
        for notice in report.notices:
            self.stderr.write(self.style.WARNING(notice))
        prefix = "试运行（未写入）：将" if dry_run else "导入完成："
        submitted = f"，其中 {len(report.submitted)} 条已提交审核、未发布" if report.submitted else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}新建 {len(report.created)} 条，更新 {len(report.updated)} 条，"
                f"未变化 {len(report.unchanged)} 条，共 {report.total} 条{submitted}。"
            )
        )
        if report.notices:
            self.stdout.write(
                f"另有 {len(report.notices)} 处警告词或纠错提示（见上），内容已导入，请在后台核对。"
            )

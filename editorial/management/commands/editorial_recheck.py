from django.core.management.base import BaseCommand

from editorial.recheck import published_recheck


class Command(BaseCommand):
    help = "按当前错敏词词库复查已发布内容（报告 → 错敏词复查）；默认只查尚未按当前词库检查过的页面。"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="全部重新检查，而不只是尚未复查的页面")

    def handle(self, *args, all, **options):
        counts = published_recheck(only_stale=not all)
        self.stdout.write(
            self.style.SUCCESS(
                f"复查完成：检查了 {counts['checked']} 篇已发布内容，其中 {counts['with_hits']} 篇有命中。"
            )
        )

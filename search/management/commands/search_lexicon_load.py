from django.core.management.base import BaseCommand, CommandError

from search.lexicon.loader import LEXICON_PATH, lexicon_groups, lexicon_groups_add


class Command(BaseCommand):
    help = (
        "把随代码发布的日常用语词库（search/lexicon/everyday.txt）中还没有的同义词组加入数据库；"
        "编辑停用或修改过的组保持不变。--check 只检查词库文件格式。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只检查词库文件，不写数据库")
        parser.add_argument("--path", default=str(LEXICON_PATH), help="词库文件（默认随代码发布的文件）")

    def handle(self, *args, check, path, **options):
        try:
            total = len(lexicon_groups(path))
            if check:
                self.stdout.write(f"词库文件无误：共 {total} 组同义词")
                return
            added = lexicon_groups_add(path=path)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"新增 {added} 组同义词，{total - added} 组已存在（词库共 {total} 组）")

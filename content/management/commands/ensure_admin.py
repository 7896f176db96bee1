import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "确保存在一个管理员账号（用于本地运行）。用户名和密码取自环境变量 ADMIN_USERNAME / "
        "ADMIN_PASSWORD；未设置密码时首次生成随机密码并保存在 .var/admin-password。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只显示将要做的事")

    def handle(self, *args, dry_run, **options):
        username = os.environ.get("ADMIN_USERNAME", "admin")
        email = os.environ.get("ADMIN_EMAIL", "admin@example.com")
        password = os.environ.get("ADMIN_PASSWORD") or self._stored_password(create=not dry_run)
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if dry_run:
            self.stdout.write(f"将{'更新' if user else '创建'}管理员 {username}")
            return
        if user is None:
            User.objects.create_superuser(username=username, email=email, password=password)
            action = "已创建管理员账号"
        else:
            if os.environ.get("ADMIN_PASSWORD"):
                user.set_password(password)
                user.save(update_fields=["password"])
            action = "管理员账号已存在"
        self.stdout.write(self.style.SUCCESS(f"{action}：用户名 {username}  密码 {password}"))
        self.stdout.write(f"后台地址：{settings.WAGTAILADMIN_BASE_URL}/admin/")

    def _stored_password(self, *, create: bool) -> str:
        path = Path(settings.BASE_DIR) / ".var" / "admin-password"
        if path.exists():
            return path.read_text().strip()
        password = secrets.token_urlsafe(12)
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(password + "\n")
            path.chmod(0o600)
        return password

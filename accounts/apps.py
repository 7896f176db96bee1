from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Admin sign-in protection: the django-axes lockout policy and the 登录锁定 admin view."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "账户与登录"

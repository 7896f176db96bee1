from django.apps import AppConfig


class AdminSiteConfig(AppConfig):
    """The Wagtail admin as 科普鄂州's editors see it: Chinese throughout (locale/), the site's name
    and logo, and 帮助 → 编辑指南 served from docs/editors.md instead of Wagtail's online guide."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "admin_site"
    verbose_name = "管理后台"

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The admin dashboard: the day's work for editors, reviewers and administrators."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboard"
    verbose_name = "工作台"

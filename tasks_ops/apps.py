from django.apps import AppConfig


class TasksOpsConfig(AppConfig):
    """The production task worker around django-tasks-db: heartbeats, and tasks whose worker died
    put back in the queue (``manage.py run_worker``, ``manage.py tasks_recover``)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "tasks_ops"
    verbose_name = "后台任务"

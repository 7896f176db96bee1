from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "科普内容"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .page_cache import page_cache_reconcile
        from .periodic import periodic_job_register
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
        periodic_job_register("page_cache_reconcile", page_cache_reconcile)

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "站内搜索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from content.periodic import periodic_job_register

        from . import checks  # noqa: F401 - registers the Elasticsearch settings checks
        from .signal_handlers import register_signal_handlers
        from .upkeep import search_engine_upkeep

        register_signal_handlers()
        periodic_job_register("search_engine_upkeep", search_engine_upkeep)

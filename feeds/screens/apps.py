from django.apps import AppConfig


class ScreensConfig(AppConfig):
    """科普大屏: screens, their playlists, the feed API, the kiosk player and proof of play."""

    name = "feeds.screens"
    label = "screens"
    verbose_name = "科普大屏"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from content.periodic import periodic_job_register

        from .reconcile import screens_reconcile
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
        periodic_job_register("screens_reconcile", screens_reconcile)

from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """错敏词 checks: editor-managed word lists and the one engine that checks content before it goes public."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"
    verbose_name = "错敏词检查"

    def ready(self):
        from editorial import signal_handlers

        signal_handlers.connect()

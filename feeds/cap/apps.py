from django.apps import AppConfig


class CapConfig(AppConfig):
    """Emergency alerts as CAP 1.2: the message history, documents, the Atom index, the audit trail."""

    name = "feeds.cap"
    label = "cap"
    verbose_name = "应急预警（CAP）"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()

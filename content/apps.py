from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "科普内容"
    default_auto_field = "django.db.models.BigAutoField"

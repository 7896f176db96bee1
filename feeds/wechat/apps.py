from django.apps import AppConfig


class WeChatConfig(AppConfig):
    """科普鄂州 official account: article push, the message callback, JS-SDK share signatures."""

    name = "feeds.wechat"
    label = "wechat"
    verbose_name = "微信公众号"
    default_auto_field = "django.db.models.BigAutoField"

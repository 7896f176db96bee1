from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """Outbound channels (screens, WeChat, syndication, CAP); one subpackage each."""

    name = "feeds"
    verbose_name = "内容分发"

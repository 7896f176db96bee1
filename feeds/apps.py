from django.apps import AppConfig

from .registry import feeds_page_discover


class FeedsConfig(AppConfig):
    """Outbound channels (screens, WeChat, syndication, CAP); one subpackage each, and the kernel
    they share (docs/architecture.md, "Channels and their kernel")."""

    name = "feeds"
    verbose_name = "内容分发"

    def ready(self):
        feeds_page_discover()  # the channels' sections of the /feeds/ page

from django.apps import AppConfig

from .registry import portal_modules_discover


class FeedsConfig(AppConfig):
    """Outbound channels (screens, WeChat, syndication, CAP); one subpackage each, and the kernel
    they share (docs/architecture.md, "Channels and their kernel")."""

    name = "feeds"
    verbose_name = "内容分发"

    def ready(self):
        portal_modules_discover()  # the channels' /feeds/ sections and feed links (portal.py)

from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    """RSS 2.0, Atom 1.0 and JSON Feed 1.1 for all content and per audience, topic and type."""

    name = "feeds.syndication"
    label = "syndication"
    verbose_name = "订阅源"

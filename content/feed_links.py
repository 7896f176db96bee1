"""The feeds a portal page advertises in its head (``<link rel="alternate">``), offered by channels.

A portal template says what the page is about — the site, an audience, a topic, a section, one
page — with ``{% feed_links %}`` (``portal_tags``); the channels that publish feeds register what
to link for each (syndication: RSS, Atom and JSON Feed; CAP: an emergency page's CAP document). So
content names no channel and no channel's URL.
"""

from collections.abc import Callable
from dataclasses import dataclass

SITE, AUDIENCE, TOPIC, SECTION, PAGE = "site", "audience", "topic", "section", "page"


@dataclass(frozen=True)
class FeedSubject:
    """What a page is about: the whole ``SITE``, an ``AUDIENCE`` (its ``Audience``), a ``TOPIC``
    (its ``Topic``), a ``SECTION`` (its section page) or one content ``PAGE``."""

    kind: str
    obj: object = None


@dataclass(frozen=True)
class FeedLink:
    mime: str  # application/rss+xml
    title: str
    url: str


FeedLinkProvider = Callable[[FeedSubject], list[FeedLink]]
_providers: dict[str, FeedLinkProvider] = {}


def feed_links_register(key: str, provider: FeedLinkProvider) -> None:
    """Let the channel ``key`` name its feeds for a subject (registering again replaces it)."""
    _providers[key] = provider


def feed_links_for(subject: FeedSubject) -> list[FeedLink]:
    """Every registered channel's links for ``subject``, in registration (app) order."""
    return [link for provider in _providers.values() for link in provider(subject)]

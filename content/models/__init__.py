from content.types import CONTENT_TYPE_LABELS, content_models

from .article import ArticlePage
from .base import BasePage, SocialMetaMixin
from .emergency import EmergencyPage
from .pages import ArticleIndexPage, EmergencyIndexPage, HomePage, SectionPage, VideoIndexPage
from .querysets import ContentPageManager, ContentQuerySet, audience_q, content_pages, topic_q
from .taxonomy import (
    ArticlePageTopic,
    Audience,
    EmergencyPageTopic,
    Region,
    Topic,
    VideoPageTopic,
)
from .video import VideoPage

# The page models of ``content.types`` (the one list of the types), in menu order.
CONTENT_MODELS = content_models()

__all__ = [
    "CONTENT_MODELS",
    "CONTENT_TYPE_LABELS",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticlePageTopic",
    "Audience",
    "BasePage",
    "ContentPageManager",
    "ContentQuerySet",
    "EmergencyIndexPage",
    "EmergencyPage",
    "EmergencyPageTopic",
    "HomePage",
    "Region",
    "SectionPage",
    "SocialMetaMixin",
    "Topic",
    "VideoIndexPage",
    "VideoPage",
    "VideoPageTopic",
    "audience_q",
    "content_pages",
    "topic_q",
]

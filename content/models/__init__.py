from .article import ArticlePage
from .base import BasePage, SocialMetaMixin
from .emergency import EmergencyPage
from .pages import ArticleIndexPage, EmergencyIndexPage, HomePage, SectionPage, VideoIndexPage
from .taxonomy import (
    ArticlePageTopic,
    Audience,
    EmergencyPageTopic,
    Region,
    Topic,
    VideoPageTopic,
)
from .video import VideoPage

# The three content types, in menu order; their import/API keys and Chinese labels.
CONTENT_MODELS = (ArticlePage, VideoPage, EmergencyPage)
CONTENT_TYPE_LABELS = {m.content_type_key: m.content_type_label for m in CONTENT_MODELS}

__all__ = [
    "CONTENT_MODELS",
    "CONTENT_TYPE_LABELS",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticlePageTopic",
    "Audience",
    "BasePage",
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
]

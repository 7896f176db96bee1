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

__all__ = [
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

from modelcluster.contrib.taggit import ClusterTaggableManager
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from content.types import ARTICLE

from .base import BasePage
from .taxonomy import ArticlePageTopic


class ArticlePage(BasePage):
    """图文科普: an illustrated popular-science article."""

    topics = ClusterTaggableManager("主题", through=ArticlePageTopic, blank=True)

    content_type_key = ARTICLE.key
    content_type_label = ARTICLE.label
    template = "pages/article_page.html"
    parent_page_types = [ARTICLE.section_type]

    content_panels = (
        BasePage.content_panels
        + BasePage.meta_panels
        + [MultiFieldPanel(BasePage.taxonomy_panels, heading="受众与主题"), FieldPanel("body")]
    )

    class Meta:
        verbose_name = ARTICLE.label
        verbose_name_plural = ARTICLE.label

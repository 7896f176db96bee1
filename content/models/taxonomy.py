"""Audiences, regions and topics: the vocabularies every content page is tagged with."""

from django.db import models
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase


class Audience(models.Model):
    """One of the five fixed target groups of the science-literacy plan (data migration)."""

    slug = models.SlugField("标识", max_length=32, unique=True)
    name = models.CharField("名称", max_length=32)
    description = models.CharField("简介", max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = "受众"
        verbose_name_plural = "受众"

    def __str__(self):
        return self.name


class Region(models.Model):
    """An administrative district of Ezhou; emergencies and screens are targeted by region."""

    slug = models.SlugField("标识", max_length=32, unique=True)
    name = models.CharField("名称", max_length=32, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = "区域"
        verbose_name_plural = "区域"

    def __str__(self):
        return self.name


class Topic(TagBase):
    """A free topic tag (防灾减灾, 卫生健康…), kept apart from image and document tags."""

    class Meta:
        verbose_name = "主题"
        verbose_name_plural = "主题"


class ArticlePageTopic(ItemBase):
    tag = models.ForeignKey(Topic, related_name="article_items", on_delete=models.CASCADE)
    content_object = ParentalKey(
        "content.ArticlePage", related_name="tagged_topics", on_delete=models.CASCADE
    )


class VideoPageTopic(ItemBase):
    tag = models.ForeignKey(Topic, related_name="video_items", on_delete=models.CASCADE)
    content_object = ParentalKey("content.VideoPage", related_name="tagged_topics", on_delete=models.CASCADE)


class EmergencyPageTopic(ItemBase):
    tag = models.ForeignKey(Topic, related_name="emergency_items", on_delete=models.CASCADE)
    content_object = ParentalKey(
        "content.EmergencyPage", related_name="tagged_topics", on_delete=models.CASCADE
    )

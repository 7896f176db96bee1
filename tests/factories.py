"""Factories for content pages. Pass ``parent=`` (a section page) when building pages."""

import datetime as dt

import factory
import wagtail_factories
from django.contrib.auth.models import Group, User
from django.utils import timezone

from content.models import ArticlePage, Audience, EmergencyPage, Region, VideoPage


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"封面 {n}")


class _ContentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"科普文章 {n}")
    slug = factory.Sequence(lambda n: f"item-{n}")
    summary = "一句话摘要：这是一条科普内容。"
    source = "鄂州市科协"
    first_published_at = factory.LazyFunction(timezone.now)
    live = True

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if create:
            self.audiences.set(list(Audience.objects.filter(slug__in=extracted or ["youth"])))
            self.save()

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(list(extracted))
            self.save()


class ArticlePageFactory(_ContentPageFactory):
    body = factory.LazyFunction(lambda: [("paragraph", "<p>夏天游泳要去正规场所。</p>")])

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True


class VideoPageFactory(_ContentPageFactory):
    title = factory.Sequence(lambda n: f"科普视频 {n}")
    video_url = "https://media.kepu-ezhou.cn/videos/demo.mp4"
    duration_seconds = 185
    transcript = "大家好，今天我们来讲一讲心肺复苏。"

    class Meta:
        model = VideoPage
        skip_postgeneration_save = True


class EmergencyPageFactory(_ContentPageFactory):
    title = factory.Sequence(lambda n: f"应急提醒 {n}")
    hazard = "rainstorm"
    severity = "orange"
    effective_from = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    instructions = "1. 尽量减少外出\n2. 远离低洼地带\n3. 关注官方预警信息"

    class Meta:
        model = EmergencyPage
        skip_postgeneration_save = True

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create:
            self.regions.set(list(Region.objects.filter(name__in=extracted or ["鄂城区"])))
            self.save()


def user_in_group(username: str, group: str):
    """A user (password ``pw``) in the named group, as the review workflows expect."""

    user = User.objects.create_user(username, password="pw")
    user.groups.add(Group.objects.get(name=group))
    return user

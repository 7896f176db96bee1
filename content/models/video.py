from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from modelcluster.contrib.taggit import ClusterTaggableManager
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.search import index

from content import limits
from content.captions import captions_vtt_build
from content.types import VIDEO

from .base import BasePage
from .taxonomy import VideoPageTopic


class VideoPage(RoutablePageMixin, BasePage):
    """科普视频: a science video, uploaded or hosted elsewhere, with a searchable transcript."""

    video_file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="视频文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="上传 mp4/webm 文件；或填写下方的外部地址",
    )
    video_url = models.URLField("视频地址", blank=True, max_length=500)
    poster_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="视频封面",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duration_seconds = models.PositiveIntegerField("时长（秒）", null=True, blank=True)
    transcript = models.TextField("字幕文稿", blank=True, help_text="视频的完整解说词，可被搜索")

    topics = ClusterTaggableManager("主题", through=VideoPageTopic, blank=True)

    content_type_key = VIDEO.key
    content_type_label = VIDEO.label
    template = "pages/video_page.html"
    parent_page_types = [VIDEO.section_type]

    search_fields = BasePage.search_fields + [index.SearchField("transcript")]

    content_panels = (
        BasePage.content_panels
        + BasePage.meta_panels
        + [
            MultiFieldPanel(
                [
                    FieldPanel("video_file"),
                    FieldPanel("video_url"),
                    FieldPanel("poster_image"),
                    FieldPanel("duration_seconds"),
                ],
                heading="视频",
            ),
            FieldPanel("transcript"),
            MultiFieldPanel(BasePage.taxonomy_panels, heading="受众与主题"),
            FieldPanel("body"),
        ]
    )

    class Meta:
        verbose_name = VIDEO.label
        verbose_name_plural = VIDEO.label

    def get_context(self, request, *args, **kwargs):
        from content import selectors  # noqa: PLC0415 (content.selectors imports these models)

        context = super().get_context(request, *args, **kwargs)
        if self.poster_image_id:
            self.poster_image = selectors.image_with_renditions(
                self.poster_image_id, (selectors.POSTER_RENDITION,)
            )
        if self.poster_image:
            spec = selectors.POSTER_RENDITION
            context["poster"] = self.poster_image.get_renditions(spec)[spec]
        return context

    @path("captions/", name="captions")
    def captions_view(self, request):
        """The transcript as WebVTT captions for the player's ``<track>`` at ``<page url>captions/``
        (Wagtail's page paths cannot end in ``.vtt``). Served through the page, so drafts and
        private videos are refused exactly as the page is, and the page cache keeps it like any
        public page (dropped when the video is published again)."""
        vtt = captions_vtt_build(self.transcript, self.duration_seconds)
        if not vtt:
            raise Http404("这个视频没有字幕文稿")
        response = HttpResponse(vtt, content_type="text/vtt; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{self.slug}.vtt"'
        return response

    def clean(self):
        super().clean()
        if not self.video_file_id and not self.video_url:
            raise ValidationError({"video_url": "请上传视频文件或填写视频地址"})
        if len((self.transcript or "").encode()) > limits.MAX_TRANSCRIPT_BYTES:
            raise ValidationError(
                {"transcript": f"字幕文稿过长：最多 {limits.MAX_TRANSCRIPT_BYTES // 1024} KB（约 3 万字）"}
            )
        if self.duration_seconds is not None and self.duration_seconds > limits.MAX_DURATION_SECONDS:
            raise ValidationError({"duration_seconds": "时长不能超过 24 小时（86400 秒）"})

    @property
    def video_source_url(self):
        return self.video_file.url if self.video_file_id else self.video_url

    @property
    def duration_display(self):
        if not self.duration_seconds:
            return ""
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"{minutes}:{seconds:02d}"

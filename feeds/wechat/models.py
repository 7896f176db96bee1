"""Push history (one row per page revision pushed) and WeChat's copies of our images."""

from django.conf import settings
from django.db import models


class WeChatPush(models.Model):
    """Pushing one revision of a page to the official account: its state, WeChat ids and errors."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "处理中"
        DRAFTED = "drafted", "已存为草稿"
        PUBLISHING = "publishing", "发布中"
        PUBLISHED = "published", "已发布"
        FAILED = "failed", "失败"

    # Short names the push service and its tests use.
    QUEUED, RUNNING, DRAFTED = Status.QUEUED, Status.RUNNING, Status.DRAFTED
    PUBLISHING, PUBLISHED, FAILED = Status.PUBLISHING, Status.PUBLISHED, Status.FAILED

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="页面", on_delete=models.CASCADE, related_name="+"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", verbose_name="版本", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField("标题", max_length=255)
    publish = models.BooleanField("同时发布", default=False)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    media_id = models.CharField("草稿 media_id", max_length=128, blank=True)
    publish_id = models.CharField("发布任务 publish_id", max_length=64, blank=True)
    # Set (and committed) just before a call WeChat does not make idempotent; cleared with the id it
    # returns. Set with no id saved means the answer may have been lost: look before calling again.
    draft_add_started_at = models.DateTimeField(
        "新建草稿请求时间", null=True, blank=True,
        help_text="已向微信发出 draft/add 但尚未记下 media_id；重试时先在草稿箱中查找这篇草稿",
    )  # fmt: skip
    publish_submit_started_at = models.DateTimeField(
        "提交发布请求时间", null=True, blank=True,
        help_text="已向微信发出 freepublish/submit 但尚未记下 publish_id；重试时先确认是否已提交",
    )  # fmt: skip
    article_url = models.URLField("文章地址", max_length=500, blank=True)
    error = models.TextField("错误信息", blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "公众号推送"
        verbose_name_plural = "公众号推送记录"
        constraints = [
            # The same revision is pushed once; pushing it again returns this row.
            models.UniqueConstraint(fields=["page", "revision"], name="wechat_push_once_per_revision")
        ]

    def __str__(self):
        return f"{self.title}（{self.get_status_display()}）"


class WeChatImage(models.Model):
    """An image already on WeChat, by content hash: body images (URL) and covers (media_id)."""

    class Kind(models.TextChoices):
        BODY = "body", "正文图片"
        COVER = "cover", "封面"

    BODY, COVER = Kind.BODY, Kind.COVER
    sha1 = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    app_id = models.CharField(max_length=64)
    url = models.URLField(max_length=500, blank=True)
    media_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "微信图片"
        verbose_name_plural = "微信图片"
        constraints = [models.UniqueConstraint(fields=["sha1", "kind", "app_id"], name="wechat_image_once")]

    def __str__(self):
        return f"{self.kind} {self.sha1[:8]}"

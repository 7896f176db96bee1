"""Screens (科普大屏), the groups that schedule them, and what they report back (proof of play)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Orderable

from content.types import CONTENT_PAGE_TYPES, CONTENT_TYPE_CHOICES


class PlaceType(models.TextChoices):
    COMMUNITY = "community", "社区"
    VILLAGE = "village", "乡村"
    SCHOOL = "school", "学校"
    MUSEUM = "museum", "科技馆"
    STATION = "station", "车站"
    ENTERPRISE = "enterprise", "企业"


class Orientation(models.TextChoices):
    LANDSCAPE = "landscape", "横屏"
    PORTRAIT = "portrait", "竖屏"


LANDSCAPE, PORTRAIT = Orientation.LANDSCAPE.value, Orientation.PORTRAIT.value
CONTENT_TYPE_FILTERS = [("", "全部类型"), *CONTENT_TYPE_CHOICES]


class TimeWindowMixin(models.Model):
    """When something applies: days of the week, a time of day and a date range, all optional.

    Blank means "always". The rule itself is the pure function ``feeds.screens.scheduling.window_contains``.
    """

    weekdays = models.CharField(
        "星期", max_length=7, blank=True, help_text="留空为每天；例如 12345 表示周一至周五"
    )
    start_time = models.TimeField("每日开始", null=True, blank=True)
    end_time = models.TimeField("每日结束", null=True, blank=True, help_text="早于开始时间表示跨午夜")
    start_date = models.DateField("开始日期", null=True, blank=True)
    end_date = models.DateField("结束日期", null=True, blank=True, help_text="含当天")

    window_panels = [
        FieldPanel("weekdays"),
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        if self.weekdays and (set(self.weekdays) - set("1234567")):
            errors["weekdays"] = "只能填写 1–7 的数字（1 为周一，7 为周日）"
        if (self.start_time is None) != (self.end_time is None):
            errors["end_time"] = "每日开始和结束时间需同时填写或同时留空"
        elif self.start_time is not None and self.start_time == self.end_time:
            errors["end_time"] = "结束时间不能等于开始时间"
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "结束日期不能早于开始日期"
        if errors:
            raise ValidationError(errors)


class ScreenGroup(ClusterableModel):
    """屏幕分组: screens that share a schedule, pinned items and exclusions."""

    name = models.CharField("名称", max_length=60, unique=True)
    description = models.CharField("说明", max_length=200, blank=True)
    default_duration = models.PositiveSmallIntegerField(
        "每条默认时长（秒）", default=15, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    item_limit = models.PositiveSmallIntegerField(
        "最新内容条数",
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="按受众自动选取的最新内容条数",
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("default_duration"), FieldPanel("item_limit")]),
        InlinePanel("schedules", heading="时段节目", label="时段"),
        InlinePanel("pins", heading="置顶内容", label="置顶"),
        InlinePanel("exclusions", heading="排除内容", label="排除"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "屏幕分组"
        verbose_name_plural = "屏幕分组"

    def __str__(self):
        return self.name


class ScreenSchedule(TimeWindowMixin, Orderable):
    """时段节目: in a time window, the group plays content of one topic and/or type."""

    group = ParentalKey(ScreenGroup, related_name="schedules", on_delete=models.CASCADE)
    name = models.CharField("名称", max_length=60)
    topic = models.ForeignKey(
        "content.Topic",
        verbose_name="主题",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    content_type = models.CharField(
        "内容类型", max_length=20, blank=True, choices=CONTENT_TYPE_FILTERS, default=""
    )
    exclusive = models.BooleanField(
        "只播放本时段内容", default=False, help_text="不勾选时，本时段内容排在最新内容之前一起播放"
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("topic"), FieldPanel("content_type")]),
        FieldPanel("exclusive"),
        MultiFieldPanel(TimeWindowMixin.window_panels, heading="播放时间"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "时段节目"
        verbose_name_plural = "时段节目"

    def __str__(self):
        return self.name


class ScreenPin(TimeWindowMixin, Orderable):
    """置顶内容: one page that plays first on the group's screens, optionally for a while only."""

    group = ParentalKey(ScreenGroup, related_name="pins", on_delete=models.CASCADE)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="内容", on_delete=models.CASCADE, related_name="+"
    )
    duration = models.PositiveSmallIntegerField(
        "播放时长（秒）",
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(600)],
        help_text="留空使用分组默认时长",
    )

    panels = [
        PageChooserPanel("page", CONTENT_PAGE_TYPES),
        FieldPanel("duration"),
        MultiFieldPanel(TimeWindowMixin.window_panels, heading="置顶时间"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "置顶内容"
        verbose_name_plural = "置顶内容"

    def __str__(self):
        return str(self.page)


class ScreenExclusion(Orderable):
    """排除内容: a page the group's screens never play (emergency takeovers excepted)."""

    group = ParentalKey(ScreenGroup, related_name="exclusions", on_delete=models.CASCADE)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="内容", on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("page", CONTENT_PAGE_TYPES)]

    class Meta(Orderable.Meta):
        verbose_name = "排除内容"
        verbose_name_plural = "排除内容"

    def __str__(self):
        return str(self.page)


class Screen(models.Model):
    """One 科普大屏. Its secret token is stored only as a SHA-256 hash."""

    name = models.CharField("名称", max_length=80)
    district = models.ForeignKey(
        "content.Region", verbose_name="所在区域", on_delete=models.PROTECT, related_name="screens"
    )
    place_type = models.CharField(
        "场所类型", max_length=20, choices=PlaceType.choices, default=PlaceType.COMMUNITY
    )
    location = models.CharField("具体位置", max_length=120, blank=True)
    orientation = models.CharField(
        "屏幕方向", max_length=10, choices=Orientation.choices, default=Orientation.LANDSCAPE
    )
    width = models.PositiveSmallIntegerField(
        "分辨率宽", default=1920, validators=[MinValueValidator(320), MaxValueValidator(7680)]
    )
    height = models.PositiveSmallIntegerField(
        "分辨率高", default=1080, validators=[MinValueValidator(320), MaxValueValidator(7680)]
    )
    audiences = models.ManyToManyField(
        "content.Audience", verbose_name="受众", related_name="screens", blank=True
    )
    group = models.ForeignKey(
        ScreenGroup,
        verbose_name="分组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="screens",
    )
    enabled = models.BooleanField("启用", default=True)
    refresh_seconds = models.PositiveSmallIntegerField(
        "刷新间隔（秒）", default=30, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    token_hash = models.CharField(max_length=64, editable=False, db_index=True)
    token_rotated_at = models.DateTimeField("令牌更新时间", null=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Last heartbeat, denormalised so the monitoring view is one query.
    last_seen_at = models.DateTimeField("最近心跳", null=True, blank=True, editable=False)
    last_playing_title = models.CharField("正在播放", max_length=255, blank=True, editable=False)
    last_player_version = models.CharField("播放器版本", max_length=40, blank=True, editable=False)
    last_uptime_seconds = models.PositiveIntegerField("运行时长（秒）", null=True, blank=True, editable=False)
    last_errors = models.JSONField("最近错误", default=list, blank=True, editable=False)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("district"), FieldPanel("place_type")]),
        FieldPanel("location"),
        FieldRowPanel([FieldPanel("orientation"), FieldPanel("width"), FieldPanel("height")]),
        FieldPanel("audiences"),
        FieldRowPanel([FieldPanel("group"), FieldPanel("refresh_seconds")]),
        FieldPanel("enabled"),
    ]

    class Meta:
        ordering = ["district__sort_order", "name", "id"]
        verbose_name = "科普大屏"
        verbose_name_plural = "科普大屏"

    def __str__(self):
        return self.name

    @property
    def resolution(self):
        return f"{self.width}×{self.height}"


class ScreenHeartbeat(models.Model):
    """One heartbeat: player health at a moment."""

    screen = models.ForeignKey(Screen, on_delete=models.CASCADE, related_name="heartbeats")
    received_at = models.DateTimeField(db_index=True)
    player_version = models.CharField(max_length=40, blank=True)
    uptime_seconds = models.PositiveIntegerField(null=True)
    playing_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    playing_title = models.CharField(max_length=255, blank=True)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "心跳"
        verbose_name_plural = "心跳"

    def __str__(self):
        return f"{self.screen_id} @ {self.received_at:%Y-%m-%d %H:%M:%S}"


class PlayRecord(models.Model):
    """Proof of play: this screen showed this item from ``started_at`` for ``duration_seconds``."""

    screen = models.ForeignKey(Screen, on_delete=models.CASCADE, related_name="plays")
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    page_title = models.CharField(max_length=255)  # kept when the page is later deleted
    started_at = models.DateTimeField(db_index=True)
    duration_seconds = models.PositiveIntegerField(default=0)
    takeover = models.BooleanField(default=False)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "播放记录"
        verbose_name_plural = "播放记录"
        constraints = [
            # A player resends unacknowledged plays after an outage; the same play is stored once.
            models.UniqueConstraint(fields=["screen", "page", "started_at"], name="screens_play_once")
        ]

    def __str__(self):
        return f"{self.page_title} @ {self.started_at:%Y-%m-%d %H:%M:%S}"

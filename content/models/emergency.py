import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Q
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import PageManager
from wagtail.search import index

from content import limits
from content.emergency import (
    ACTIVE,
    EXPIRED,
    SEVERITIES,
    UPCOMING,
    WINDOW_STATE_LABELS,
    Hazard,
    SeverityLevel,
    Takeover,
    emergency_is_active,
    emergency_window_state,
    severity_rank_expression,
    window_q,
    window_rank_expression,
)
from content.types import EMERGENCY
from content.warning import warning_of

from .base import BasePage
from .querysets import ContentQuerySet
from .taxonomy import EmergencyPageTopic

LEADING_NUMBER = re.compile(r"^\s*(?:\d{1,2}\s*[.、)）．]|[（(]\d{1,2}[)）])\s*")


class EmergencyQuerySet(ContentQuerySet):
    """Window filters and the warning order, from the one rule in ``content.emergency``."""

    def in_force(self, now):
        return self.filter(window_q(ACTIVE, now))

    def upcoming(self, now):
        return self.filter(window_q(UPCOMING, now))

    def expired(self, now):
        return self.filter(window_q(EXPIRED, now))

    def not_expired(self, now):
        return self.exclude(window_q(EXPIRED, now))

    def in_status(self, status, now):
        return self.filter(window_q(status, now))

    def for_region(self, region):
        return self.filter(regions=region)

    def next_window_change(self, now):
        """The first window start or end after ``now`` (None when no window changes any more): when
        an answer that shows these emergencies' status stops being true."""
        found = self.aggregate(
            start=Min("effective_from", filter=Q(effective_from__gt=now)),
            end=Min("expires_at", filter=Q(expires_at__gt=now)),
        )
        return min((moment for moment in found.values() if moment is not None), default=None)

    def most_severe_first(self):
        """Most severe first, then the newest window."""
        return self.order_by(severity_rank_expression().desc(), "-effective_from", "-pk")

    def in_force_first(self, now):
        """In force, then upcoming, then expired; newest first within each."""
        return self.order_by(window_rank_expression(now), "-first_published_at", "-pk")


EmergencyPageManager = PageManager.from_queryset(EmergencyQuerySet)


class EmergencyPage(BasePage):
    """应急科普: what to do now about a hazard, in force for a window in given districts."""

    hazard = models.CharField("灾种", max_length=20, choices=Hazard.choices)
    severity = models.CharField("预警级别", max_length=10, choices=SeverityLevel.choices)
    regions = ParentalManyToManyField(
        "content.Region", verbose_name="影响区域", related_name="emergency_pages"
    )
    effective_from = models.DateTimeField("生效时间")
    expires_at = models.DateTimeField("失效时间")
    instructions = models.TextField("防范指引", help_text="现在该做什么：每行一条，简短明确")
    takeover = models.CharField(
        "大屏接管",
        max_length=10,
        choices=Takeover.choices,
        default=Takeover.AUTO,
        help_text="生效期间，红色、橙色预警默认接管所在区域的科普大屏；黄色、蓝色加入节目单并加预警边框",
    )

    topics = ClusterTaggableManager("主题", through=EmergencyPageTopic, blank=True)

    objects = EmergencyPageManager()

    content_type_key = EMERGENCY.key
    content_type_label = EMERGENCY.label
    template = "pages/emergency_page.html"
    parent_page_types = [EMERGENCY.section_type]

    search_fields = BasePage.search_fields + [
        index.SearchField("instructions", boost=2),
        index.FilterField("hazard"),
        index.FilterField("severity"),
        index.FilterField("effective_from"),
        index.FilterField("expires_at"),
    ]

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("hazard"), FieldPanel("severity")]),
                FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("effective_from"), FieldPanel("expires_at")]),
                FieldPanel("instructions"),
                FieldPanel("takeover"),
            ],
            heading="预警信息",
        ),
        *BasePage.meta_panels,
        MultiFieldPanel(BasePage.taxonomy_panels, heading="受众与主题"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = EMERGENCY.label
        verbose_name_plural = EMERGENCY.label

    def clean(self):
        super().clean()
        if self.effective_from and self.expires_at and self.expires_at <= self.effective_from:
            raise ValidationError({"expires_at": "失效时间必须晚于生效时间"})
        if len(self.instructions or "") > limits.MAX_INSTRUCTIONS_LENGTH:
            raise ValidationError(
                {"instructions": f"防范指引最多 {limits.MAX_INSTRUCTIONS_LENGTH} 个字，请只写现在该做什么"}
            )

    @property
    def severity_info(self):
        return SEVERITIES.get(self.severity)

    @property
    def window_state(self):
        return emergency_window_state(self.effective_from, self.expires_at, timezone.now())

    @property
    def window_state_label(self):
        return WINDOW_STATE_LABELS[self.window_state]

    @property
    def is_active(self):
        return emergency_is_active(self, timezone.now())

    @property
    def warning(self):
        """The warning as one value (``content.warning``): what every channel renders."""
        return warning_of(self)

    @property
    def instruction_lines(self):
        """Instruction lines without editors' own numbering (the template numbers them)."""
        lines = (LEADING_NUMBER.sub("", line).strip() for line in self.instructions.splitlines())
        return [line for line in lines if line]

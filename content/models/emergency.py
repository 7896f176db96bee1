import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from content.emergency import (
    HAZARD_CHOICES,
    SEVERITIES,
    SEVERITY_CHOICES,
    WINDOW_STATE_LABELS,
    emergency_is_active,
    emergency_window_state,
)

from .base import BasePage
from .taxonomy import EmergencyPageTopic

LEADING_NUMBER = re.compile(r"^\s*(?:\d{1,2}\s*[.、)）．]|[（(]\d{1,2}[)）])\s*")


class EmergencyPage(BasePage):
    """应急科普: what to do now about a hazard, in force for a window in given districts."""

    hazard = models.CharField("灾种", max_length=20, choices=HAZARD_CHOICES)
    severity = models.CharField("预警级别", max_length=10, choices=SEVERITY_CHOICES)
    regions = ParentalManyToManyField(
        "content.Region", verbose_name="影响区域", related_name="emergency_pages"
    )
    effective_from = models.DateTimeField("生效时间")
    expires_at = models.DateTimeField("失效时间")
    instructions = models.TextField("防范指引", help_text="现在该做什么：每行一条，简短明确")

    topics = ClusterTaggableManager("主题", through=EmergencyPageTopic, blank=True)

    content_type_label = "应急科普"
    content_type_key = "emergency"
    template = "pages/emergency_page.html"
    parent_page_types = ["content.EmergencyIndexPage"]

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
            ],
            heading="预警信息",
        ),
        *BasePage.meta_panels,
        MultiFieldPanel(BasePage.taxonomy_panels, heading="受众与主题"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = "应急科普"
        verbose_name_plural = "应急科普"

    def clean(self):
        super().clean()
        if self.effective_from and self.expires_at and self.expires_at <= self.effective_from:
            raise ValidationError({"expires_at": "失效时间必须晚于生效时间"})

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
    def instruction_lines(self):
        """Instruction lines without editors' own numbering (the template numbers them)."""
        lines = (LEADING_NUMBER.sub("", line).strip() for line in self.instructions.splitlines())
        return [line for line in lines if line]

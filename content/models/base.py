"""The abstract base every content page (article, video, emergency) is built from."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content import limits
from content.blocks import BodyStreamBlock
from content.forms import ContentPageForm
from editorial.panels import WordCheckPanel

from .querysets import ContentPageManager


class SocialMetaMixin(models.Model):
    """Open Graph / share-card fields with sensible fallbacks to the page's own."""

    og_title = models.CharField("分享标题", max_length=80, blank=True)
    og_description = models.CharField("分享描述", max_length=200, blank=True)

    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("og_title"), FieldPanel("og_description")],
            heading="分享卡片（留空则使用标题和摘要）",
        )
    ]

    class Meta:
        abstract = True


class BasePage(SocialMetaMixin, Page):
    """Shared fields of 图文科普, 科普视频 and 应急科普.

    Concrete subclasses add ``topics`` (their own tag through model) and type fields.
    """

    summary = models.TextField("摘要", max_length=300, blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="封面图",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audiences = ParentalManyToManyField("content.Audience", verbose_name="受众", related_name="%(class)ss")
    source = models.CharField("来源", max_length=100, blank=True, help_text="发布单位，例如 鄂州市应急管理局")
    author = models.CharField("作者", max_length=50, blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name="正文", blank=True)
    # Hash of the import line that last wrote this page; a re-import of the same line is a no-op.
    import_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = ContentPageManager()

    # Set by each type from its entry in ``content.types`` (the one list of the types).
    content_type_key = ""  # article / video / emergency (the import and API name)
    content_type_label = ""  # 图文科普 / 科普视频 / 应急科普 (also the model's verbose_name)
    # Emergencies override these; a template asking an article for them would otherwise miss the
    # attribute, and Django's lookup calls ``dir()`` on the page to tell why (≈0.2 ms per card).
    window_state = ""
    duration_display = ""

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("source"),
        index.RelatedFields("audiences", [index.FilterField("slug")]),
        index.FilterField("first_published_at"),
    ]

    # The 错敏词 check first: what blocks submitting is in view while editing (editorial/).
    content_panels = [WordCheckPanel(), *Page.content_panels]
    taxonomy_panels = [
        FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
        FieldPanel("topics"),
    ]
    meta_panels = [
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        MultiFieldPanel([FieldPanel("source"), FieldPanel("author")], heading="来源与作者"),
    ]
    promote_panels = Page.promote_panels + SocialMetaMixin.promote_panels
    subpage_types = []
    base_form_class = ContentPageForm

    class Meta:
        abstract = True

    def clean(self):
        """The limits of ``content.limits`` on concrete fields, for every write path (admin form,
        import, shell): Wagtail runs ``full_clean`` on save and on each revision. Topics are checked
        by ``ContentPageForm`` and the import instead: tags reach the page only while it is saved,
        so a check here would surface as a 500 rather than a form error."""
        super().clean()
        errors = {}
        body_bytes = _text_bytes(self.body.get_prep_value() if self.body else [])
        if body_bytes > limits.MAX_BODY_BYTES:
            errors["body"] = (
                f"正文过长：约 {body_bytes // 1024} KB，最多 {limits.MAX_BODY_BYTES // 1024} KB，请拆成多篇"
            )
        if len(self.summary or "") > limits.MAX_SUMMARY_LENGTH:
            errors["summary"] = f"摘要最多 {limits.MAX_SUMMARY_LENGTH} 个字"
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from content import selectors  # noqa: PLC0415 (content.selectors imports these models)

        context = super().get_context(request, *args, **kwargs)
        if self.cover_image_id:  # renditions prefetched: see ``selectors.image_with_renditions``
            self.cover_image = selectors.image_with_renditions(
                self.cover_image_id, selectors.COVER_RENDITIONS
            )
        if self.cover_image:  # the share card's image; ``{% image %}`` would write it to the cache each time
            og = selectors.OG_RENDITION
            context["og_image"] = self.cover_image.get_renditions(og)[og]
        return context

    def get_share_title(self):
        return self.og_title or self.seo_title or self.title

    def get_share_description(self):
        return self.og_description or self.search_description or self.summary


def _text_bytes(value) -> int:
    """UTF-8 size of the text in a StreamField's stored value (its strings, not its structure)."""
    if isinstance(value, str):
        return len(value.encode())
    if isinstance(value, dict):
        return sum(_text_bytes(v) for k, v in value.items() if k not in ("id", "type"))
    if isinstance(value, (list, tuple)):
        return sum(_text_bytes(v) for v in value)
    return 0

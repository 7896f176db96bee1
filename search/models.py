"""Search data: the denormalised search document per live page, editors' synonyms,
the retry queue for the external engine, and query statistics."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelsearch import index

from .analysis import text_normalise
from .windows import document_window_status

# Both index fields hold analysed text (see search.analysis.index_text); Elasticsearch must
# split them on whitespace only, exactly as they were produced.
ES_TERMS = {"analyzer": "kepu_terms", "search_analyzer": "kepu_terms"}


class SearchDocument(index.Indexed, models.Model):
    """What search knows about one live, public content page.

    Written only by ``search.documents`` (never by modelsearch's signal handlers), so every
    write to an external engine can be checked and retried.
    """

    page = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, db_index=True)  # article / video / emergency
    slug = models.SlugField(max_length=255, allow_unicode=True)
    display_title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    plain_text = models.TextField(blank=True)  # snippet source: body, transcript, instructions
    url = models.CharField(max_length=500)
    # Analysed index forms. "title" is the name the database backends weigh as the title.
    title = models.TextField()
    body = models.TextField(blank=True)
    normalised_title = models.CharField(max_length=255, db_index=True)  # for suggestions
    audience_slugs = models.JSONField(default=list)
    topic_slugs = models.JSONField(default=list)
    topic_names = models.JSONField(default=list)
    published_at = models.DateTimeField(null=True, db_index=True)
    severity = models.CharField(max_length=10, blank=True)
    effective_from = models.DateTimeField(null=True)
    expires_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_auto_update = False
    search_fields = [
        index.SearchField("title", boost=4, es_extra=ES_TERMS),
        index.SearchField("body", es_extra=ES_TERMS),
        index.FilterField("kind"),
        index.FilterField("audience_slugs"),
        index.FilterField("topic_slugs"),
        index.FilterField("published_at"),
        index.FilterField("effective_from"),
        index.FilterField("expires_at"),
    ]

    class Meta:
        verbose_name = "搜索文档"
        verbose_name_plural = "搜索文档"

    def __str__(self):
        return self.display_title

    def status_at(self, now) -> str | None:
        """active / upcoming / expired for an emergency at ``now`` (content.emergency's rule), else None."""
        return document_window_status(self.kind, self.effective_from, self.expires_at, now)


class PendingIndexUpdate(models.Model):
    """A page whose search document could not be written to an external engine (it was down).

    Replayed by ``search.documents.search_pending_flush`` until the engine accepts it.
    """

    page_id = models.BigIntegerField(primary_key=True)
    backend = models.CharField(max_length=50, default="elasticsearch")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "待同步的搜索索引"
        verbose_name_plural = "待同步的搜索索引"

    def __str__(self):
        return f"page {self.page_id} → {self.backend} ({self.attempts} attempts)"


class SynonymGroup(models.Model):
    """Words that mean the same to a reader (老人/老年人/长者/银发族); used at query time."""

    terms = models.CharField(
        "同义词",
        max_length=500,
        help_text="用逗号、顿号或空格分隔，例如：老人，老年人，长者，银发族。保存后立即生效，无需重建索引。",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    enabled = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "搜索同义词"
        verbose_name_plural = "搜索同义词"
        ordering = ["pk"]

    def __str__(self):
        return "、".join(self.term_list())

    def term_list(self) -> list[str]:
        return list(dict.fromkeys(t.strip() for t in re.split(r"[,，、;；\s/|]+", self.terms) if t.strip()))


class SearchQueryStat(models.Model):
    """How often a normalised query was searched on a day, and how often it found nothing."""

    query = models.CharField("搜索词", max_length=100)
    day = models.DateField("日期", default=timezone.localdate)
    hits = models.PositiveIntegerField("搜索次数", default=0)
    zero_result_hits = models.PositiveIntegerField("无结果次数", default=0)
    last_result_count = models.PositiveIntegerField("最近结果数", default=0)

    class Meta:
        verbose_name = "搜索词统计"
        verbose_name_plural = "搜索词统计"
        constraints = [models.UniqueConstraint(fields=["query", "day"], name="search_query_stat_unique_day")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.query} ({self.day})"


class SearchQueryVisitor(models.Model):
    """One visitor searched a normalised query on a day (``found``: and got results).

    ``visitor_key`` is an opaque keyed hash (search.query_stats.visitor_key), never an address.
    Rows older than ``SEARCH_VISITOR_RETENTION_DAYS`` are deleted by the statistics flush.
    """

    query = models.CharField("搜索词", max_length=100)
    day = models.DateField("日期")
    visitor_key = models.CharField("访客标识", max_length=32)
    found = models.BooleanField("有结果", default=False)

    class Meta:
        verbose_name = "搜索访客"
        verbose_name_plural = "搜索访客"
        constraints = [
            models.UniqueConstraint(
                fields=["query", "day", "visitor_key", "found"], name="search_query_visitor_unique"
            )
        ]
        indexes = [models.Index(fields=["day", "query"])]

    def __str__(self):
        return f"{self.query} ({self.day})"


class HintStatus(models.TextChoices):
    RECOMMENDED = "recommended", "推荐"
    HIDDEN = "hidden", "隐藏"


HINT_RECOMMENDED, HINT_HIDDEN = HintStatus.RECOMMENDED.value, HintStatus.HIDDEN.value


def _normalised(text: str) -> str:
    return " ".join(text_normalise(text or "").split())


class SearchHint(models.Model):
    """An editor's decision about a public search hint (大家都在搜, suggestions): show it, or never show it."""

    term = models.CharField(
        "搜索提示词", max_length=100, help_text="读者在“大家都在搜”和搜索联想中看到的词。"
    )
    status = models.CharField(
        "状态",
        max_length=12,
        choices=HintStatus.choices,
        default=HintStatus.RECOMMENDED,
        help_text="推荐：排在“大家都在搜”最前面；隐藏：这个词永远不会作为搜索提示出现。",
    )
    sort_order = models.IntegerField("排序", default=0, help_text="数字小的排在前面。")
    note = models.CharField("备注", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "搜索提示"
        verbose_name_plural = "搜索提示"
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.term

    @property
    def normalised(self) -> str:
        return _normalised(self.term)

    def clean(self):
        self.term = " ".join((self.term or "").split())
        if not self.normalised:
            raise ValidationError({"term": "搜索提示词不能为空"})
        for other in SearchHint.objects.exclude(pk=self.pk):
            if other.normalised == self.normalised:
                raise ValidationError(
                    {
                        "term": f"已有相同的搜索提示“{other.term}”（{other.get_status_display()}），请直接修改那一条"
                    }
                )


class SearchBlockedTerm(models.Model):
    """A phrase no public search hint may contain (compared on normalised text, as a substring)."""

    phrase = models.CharField(
        "屏蔽词",
        max_length=100,
        help_text="含有这个词的搜索提示一律不显示（繁体、全角、大小写写法同样屏蔽），推荐的搜索提示也不例外。",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "搜索屏蔽词"
        verbose_name_plural = "搜索屏蔽词"
        ordering = ["pk"]

    def __str__(self):
        return self.phrase

    @property
    def normalised(self) -> str:
        return _normalised(self.phrase)

    def clean(self):
        self.phrase = " ".join((self.phrase or "").split())
        if not self.normalised:
            raise ValidationError({"phrase": "屏蔽词不能为空"})
        for other in SearchBlockedTerm.objects.exclude(pk=self.pk):
            if other.normalised == self.normalised:
                raise ValidationError({"phrase": f"已有相同的屏蔽词“{other.phrase}”"})

"""错敏词 word lists (edited in the admin) and each page's latest check result."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length

from editorial.folding import fold


class Level(models.TextChoices):
    BLOCK = "block", "禁用（不能提交或发布）"
    WARN = "warn", "警告（须确认后才能提交或发布）"
    CORRECT = "correct", "纠错（提示正确写法）"


LEVEL_BLOCK, LEVEL_WARN, LEVEL_CORRECT = Level.BLOCK.value, Level.WARN.value, Level.CORRECT.value
LEVEL_NAMES = {LEVEL_BLOCK: "禁用", LEVEL_WARN: "警告", LEVEL_CORRECT: "纠错"}
LEVEL_ORDER = {LEVEL_BLOCK: 0, LEVEL_WARN: 1, LEVEL_CORRECT: 2}


class Category(models.TextChoices):
    POLITICAL = "political", "政治表述"
    AGENCY = "agency", "机构名称"
    FORMAL_NAME = "formal_name", "规范名称"
    TYPO = "typo", "常见错别字"
    HEALTH_CLAIM = "health_claim", "医疗健康宣称"
    ADVERTISING = "advertising", "广告法用语"
    OTHER = "other", "其他"


MIN_PHRASE_LENGTH = 2  # one character matches everywhere and means nothing on its own


def phrases_split(text: str) -> list[str]:
    """The phrases of a multi-value field, one per line (a phrase may itself hold punctuation: 第一，)."""
    return [phrase.strip() for phrase in text.splitlines() if phrase.strip()]


class WordEntry(models.Model):
    phrase = models.CharField(
        "词语", max_length=100, help_text="要查找的写法；繁体、全角和大小写变体会一并查出"
    )
    folded = models.CharField(max_length=100, unique=True, editable=False)
    level = models.CharField("级别", max_length=10, choices=Level.choices, default=Level.WARN)
    category = models.CharField("类别", max_length=20, choices=Category.choices, default=Category.OTHER)
    suggestion = models.CharField(
        "建议写法", max_length=200, blank=True, help_text="纠错词必填；禁用词和警告词可选，提示作者怎样改"
    )
    exceptions = models.TextField(
        "例外",
        blank=True,
        help_text="包含这些写法时不算命中，每行一个，例如“第一”的例外“第一时间”",
    )
    note = models.CharField("说明", max_length=200, blank=True, help_text="依据或背景，显示给作者")
    enabled = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "错敏词"
        verbose_name_plural = "错敏词词库"
        ordering = ["level", "category", Length("phrase").desc(), "phrase"]
        indexes = [models.Index(fields=["updated_at"])]

    def __str__(self):
        return self.phrase

    def save(self, *args, **kwargs):
        self.phrase = (self.phrase or "").strip()
        self.folded = fold(self.phrase)
        super().save(*args, **kwargs)

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, self.level)

    def exception_list(self) -> list[str]:
        return phrases_split(self.exceptions or "")

    def clean(self):
        super().clean()
        self.phrase = (self.phrase or "").strip()
        self.suggestion = (self.suggestion or "").strip()
        errors = {}
        folded = fold(self.phrase)
        if not folded.strip():
            errors["phrase"] = "词语不能为空"
        elif len(folded.strip()) < MIN_PHRASE_LENGTH:
            errors["phrase"] = f"词语至少 {MIN_PHRASE_LENGTH} 个字：一个字到处都会命中，没有意义"
        else:
            clash = WordEntry.objects.filter(folded=folded).exclude(pk=self.pk).first()
            if clash is not None:
                same = (
                    "" if clash.phrase == self.phrase else f"（“{clash.phrase}”，繁简、全角或大小写视为相同）"
                )
                errors["phrase"] = f"词库中已有这个词{same}，级别：{clash.level_name}；请直接修改那一条"
        if self.level == LEVEL_CORRECT and not self.suggestion:
            errors["suggestion"] = "纠错词必须填写建议写法"
        elif self.suggestion and fold(self.suggestion) == folded:
            errors["suggestion"] = "建议写法与词语相同"
        for exception in self.exception_list():
            if folded and folded not in fold(exception):
                errors["exceptions"] = f"例外“{exception}”必须包含词语“{self.phrase}”"
                break
        if errors:
            raise ValidationError(errors)


class HitCounts(models.Model):
    """A check's hits (``Hit.as_dict``) and how many there are of each level."""

    blocked = models.PositiveIntegerField("禁用", default=0)
    warnings = models.PositiveIntegerField("警告", default=0)
    corrections = models.PositiveIntegerField("纠错", default=0)
    hits = models.JSONField("命中", default=list)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.page_id}: 禁用 {self.blocked} 警告 {self.warnings} 纠错 {self.corrections}"

    @staticmethod
    def fields_of(result) -> dict:
        """The counts and hits of a ``CheckResult``, as field values."""
        return {
            "blocked": len(result.blocked),
            "warnings": len(result.warnings),
            "corrections": len(result.corrections),
            "hits": [hit.as_dict() for hit in result.hits],
        }


class PageCheck(HitCounts):
    """The latest 错敏词 check of a page's newest draft, and who confirmed its 警告 hits.

    Written on every save in the admin and by the import, so the dashboard can list drafts
    with warnings nobody has confirmed, without re-checking every page."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="word_check", verbose_name="页面"
    )
    revision_id = models.BigIntegerField("检查的版本", null=True)
    checked_at = models.DateTimeField("检查时间", auto_now=True)
    warning_key = models.CharField(max_length=40, blank=True)
    confirmed_key = models.CharField(max_length=40, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "错敏词检查结果"
        verbose_name_plural = "错敏词检查结果"
        indexes = [models.Index(fields=["warnings", "checked_at"])]

    @property
    def awaiting_confirmation(self) -> bool:
        return self.warnings > 0 and self.confirmed_key != self.warning_key


class PublishedCheck(HitCounts):
    """A published page's hits against the word list as it is now (the report: lists change)."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="published_word_check", verbose_name="页面"
    )
    list_version = models.CharField(max_length=64)
    revision_id = models.BigIntegerField(null=True)
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "已发布内容复查"
        verbose_name_plural = "已发布内容复查"

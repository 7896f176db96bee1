"""The CAP message history: one row per message sent, never edited afterwards.

A message keeps the content it announced (``info``), so an Update or a Cancel can reference it and
its document can be served again exactly as announced, even after the page changes or is deleted.
``page_key`` is a plain id, not a foreign key, for that reason.
"""

from datetime import datetime

from django.db import models

from .builders import ALERT, CANCEL, UPDATE, CapInfo, CapMessageData, cap_reference


class MsgType(models.TextChoices):
    ALERT = ALERT, "发布（Alert）"
    UPDATE = UPDATE, "更新（Update）"
    CANCEL = CANCEL, "解除（Cancel）"


class CapMessage(models.Model):
    page_key = models.PositiveBigIntegerField("页面 ID", db_index=True)
    sequence = models.PositiveIntegerField("序号")
    identifier = models.CharField("标识符", max_length=120, unique=True)
    sender = models.CharField("发送方", max_length=120)
    sent = models.DateTimeField("发送时间")
    status = models.CharField("状态", max_length=10, default="Actual")
    msg_type = models.CharField("消息类型", max_length=10, choices=MsgType.choices)
    references = models.TextField("引用", blank=True, help_text="sender,identifier,sent，空格分隔")
    info = models.JSONField("预警内容")
    revision_id = models.PositiveBigIntegerField("修订版本", null=True, blank=True)

    class Meta:
        ordering = ["page_key", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["page_key", "sequence"], name="cap_message_page_sequence")
        ]
        verbose_name = "CAP 预警消息"
        verbose_name_plural = "CAP 预警消息"

    def __str__(self):
        return f"{self.msg_type} {self.identifier}"

    @property
    def reference(self) -> str:
        return cap_reference(self.sender, self.identifier, self.sent)

    @property
    def headline(self) -> str:
        return self.info.get("headline", "")

    @property
    def expires(self) -> datetime:
        return datetime.fromisoformat(self.info["expires"])

    def data(self, absolute) -> CapMessageData:
        """The message as builder input; ``absolute`` turns the stored page path into a URL."""
        info = dict(self.info)
        info["effective"] = datetime.fromisoformat(info["effective"])
        info["expires"] = datetime.fromisoformat(info["expires"])
        info["areas"] = tuple(info.get("areas") or ())
        path = info.pop("web_path", "")
        info["web"] = absolute(path) if path else ""
        return CapMessageData(
            identifier=self.identifier,
            sender=self.sender,
            sent=self.sent,
            status=self.status,
            msg_type=self.msg_type,
            info=CapInfo(**info),
            references=tuple(self.references.split()),
            note="预警已解除" if self.msg_type == CANCEL else "",
        )

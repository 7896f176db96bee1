"""Admin forms for content pages: limits that need the form's cleaned values (``content.limits``),
and the 错敏词 check before anything goes public (``editorial``)."""

from wagtail.admin.forms import WagtailAdminPageForm

from content import limits
from editorial.services import CONFIRM_FIELD, going_public_errors, page_check

# The editor's buttons that take a page towards the public: publish, submit to a workflow
# (三审 or 应急快速发布), restart it, or approve a step from inside the editor.
PUBLIC_ACTIONS = {
    "action-publish": "发布",
    "action-submit": "提交审核",
    "action-restart-workflow": "重新提交审核",
}


def going_public_action(data) -> str:
    """The label of the going-public action a POST asks for ('' for saving a draft)."""
    for key, label in PUBLIC_ACTIONS.items():
        if data.get(key):
            return label
    if data.get("action-workflow-action") and data.get("workflow-action-name") == "approve":
        return "审核通过"
    return ""


class ContentPageForm(WagtailAdminPageForm):
    """The edit form of every content page; refuses more topics, or longer ones, than the limits,
    and refuses to submit or publish text with a 禁用 hit or unconfirmed 警告 hits. Saving a draft
    is always allowed."""

    def clean(self):
        cleaned = super().clean()
        topics = cleaned.get("topics") or []
        if len(topics) > limits.MAX_TOPICS_PER_ITEM:
            self.add_error("topics", f"主题最多 {limits.MAX_TOPICS_PER_ITEM} 个，现在有 {len(topics)} 个")
        elif any(len(str(name)) > limits.MAX_TOPIC_LENGTH for name in topics):
            self.add_error("topics", f"每个主题最长 {limits.MAX_TOPIC_LENGTH} 个字")
        return cleaned

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the submitted values
        result = page_check(self.instance, topics=self.cleaned_data.get("topics"))
        action = going_public_action(self.data)
        confirmed_key = self.data.get(CONFIRM_FIELD, "")
        # Read back by the 错敏词检查 panel and the after-save hooks (``editorial.wagtail_hooks``).
        self.instance.wordcheck = result
        self.instance.wordcheck_action = action
        self.instance.wordcheck_confirmed = (
            bool(action) and bool(result.warnings) and (confirmed_key == result.warning_key)
        )
        if action:
            for error in going_public_errors(result, confirmed_key):
                self.add_error(None, error)

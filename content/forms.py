"""Admin forms for content pages: limits that need the form's cleaned values (``content.limits``)."""

from wagtail.admin.forms import WagtailAdminPageForm

from content import limits


class ContentPageForm(WagtailAdminPageForm):
    """The edit form of every content page; refuses more topics, or longer ones, than the limits."""

    def clean(self):
        cleaned = super().clean()
        topics = cleaned.get("topics") or []
        if len(topics) > limits.MAX_TOPICS_PER_ITEM:
            self.add_error("topics", f"主题最多 {limits.MAX_TOPICS_PER_ITEM} 个，现在有 {len(topics)} 个")
        elif any(len(str(name)) > limits.MAX_TOPIC_LENGTH for name in topics):
            self.add_error("topics", f"每个主题最长 {limits.MAX_TOPIC_LENGTH} 个字")
        return cleaned

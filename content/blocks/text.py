"""Text blocks: paragraphs, headings, key points, tips."""

from wagtail import blocks
from wagtail.rich_text import RichText

from content.sanitize import html_sanitize

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


class SanitizedRichTextBlock(blocks.RichTextBlock):
    """Rich text that is always the sanitizer's output (``content.sanitize``), whichever way it came:
    saved from the admin (Draftail already whitelists tags, but its link check lets ``//host`` and
    ``/\\host`` through), written by the import or a script, or stored before the sanitizer existed.
    It is cleaned when read from the database and again when written, so the portal, the feeds and
    WeChat only ever render clean HTML, and ``content_resanitize`` rewrites what is stored."""

    def to_python(self, value):
        return RichText(html_sanitize(value))

    def get_prep_value(self, value):
        return html_sanitize(value.source if isinstance(value, RichText) else value)

    def normalize(self, value):
        return RichText(html_sanitize(value.source if isinstance(value, RichText) else value))

    def value_from_form(self, value):
        return RichText(html_sanitize(value))


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="标题文字", max_length=80)
    level = blocks.ChoiceBlock(
        label="级别", choices=[("h2", "二级标题"), ("h3", "三级标题")], default="h2", search_index=False
    )

    class Meta:
        icon = "title"
        label = "小标题"
        template = "components/streamfield/blocks/heading_block.html"
        description = "正文中的小标题，便于读者快速浏览"
        preview_value = {"text": "遇到暴雨怎么办", "level": "h2"}


class KeyPointsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="标题", default="划重点", max_length=40)
    points = blocks.ListBlock(blocks.CharBlock(label="要点", max_length=200), label="要点")

    class Meta:
        icon = "list-ul"
        label = "要点列表"
        template = "components/streamfield/blocks/key_points_block.html"
        description = "3–6 条读者必须记住的要点"
        preview_value = {
            "title": "划重点",
            "points": ["不轻信陌生来电", "不点击不明链接", "不向陌生账户转账"],
        }


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label="类型",
        choices=[("tip", "科学小贴士"), ("warning", "安全提醒"), ("myth", "辟谣")],
        default="tip",
        search_index=False,
    )
    title = blocks.CharBlock(label="标题", required=False, max_length=60)
    text = SanitizedRichTextBlock(label="内容", features=["bold", "italic", "link"])

    class Meta:
        icon = "help"
        label = "科学小贴士"
        template = "components/streamfield/blocks/callout_block.html"
        description = "醒目的提示框：小贴士、安全提醒或辟谣"
        preview_value = {
            "kind": "tip",
            "title": "小贴士",
            "text": "<p>雷雨天气不要在大树下避雨。</p>",
        }

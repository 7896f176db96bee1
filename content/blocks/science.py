"""Blocks specific to science communication: related links and data tables."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="链接文字", max_length=100)
    page = blocks.PageChooserBlock(label="站内页面", required=False)
    url = blocks.URLBlock(label="或外部地址", required=False)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError("请选择站内页面或填写外部地址")}
            )
        return value

    class Meta:
        icon = "link"
        label = "链接"


class RelatedLinksBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="标题", default="延伸阅读", max_length=40)
    links = blocks.ListBlock(LinkBlock(), label="链接")

    class Meta:
        icon = "link"
        label = "相关链接"
        template = "components/streamfield/blocks/related_links_block.html"
        description = "延伸阅读：站内文章或权威外部来源"


class DataTableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label="表格标题", required=False, max_length=100)
    table = TableBlock(
        label="表格",
        table_options={"startRows": 3, "startCols": 3, "language": "zh-Hans"},
    )

    class Meta:
        icon = "table"
        label = "表格"
        template = "components/streamfield/blocks/data_table_block.html"
        description = "对比数据、步骤或标准的表格，首行为表头"

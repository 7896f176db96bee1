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
        description = "一条站内页面或外部地址的链接"
        preview_value = {"title": "应急管理部", "page": None, "url": "https://www.mem.gov.cn/"}


class RelatedLinksBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="标题", default="延伸阅读", max_length=40)
    links = blocks.ListBlock(LinkBlock(), label="链接")

    class Meta:
        icon = "link"
        label = "相关链接"
        template = "components/streamfield/blocks/related_links_block.html"
        description = "延伸阅读：站内文章或权威外部来源"
        preview_value = {
            "title": "延伸阅读",
            "links": [
                {"title": "中国气象局：暴雨预警信号", "page": None, "url": "https://www.cma.gov.cn/"},
                {"title": "应急管理部：防汛避险常识", "page": None, "url": "https://www.mem.gov.cn/"},
            ],
        }


class DataTableBlock(blocks.StructBlock):
    """A table whose first row (and, if the editor says so, first column) are headers. The template
    renders the ``table`` child through Wagtail's table template (``<thead>``, ``<th scope>``, merged
    cells, escaped text) with this block's caption as the table's ``<caption>``."""

    caption = blocks.CharBlock(label="表格标题", required=False, max_length=100)
    table = TableBlock(
        label="表格",
        table_options={"startRows": 3, "startCols": 3, "language": "zh-Hans"},
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        table = dict(value.get("table") or {})
        # Our caption field wins; the table editor's own caption field is the fallback.
        caption = value.get("caption") or table.get("table_caption") or ""
        table["table_caption"] = caption
        context["caption"] = caption
        context["table_html"] = self.child_blocks["table"].render(table, context=parent_context)
        return context

    class Meta:
        icon = "table"
        label = "表格"
        template = "components/streamfield/blocks/data_table_block.html"
        description = "对比数据、步骤或标准的表格，首行为表头"
        preview_value = {
            "caption": "暴雨预警信号",
            "table": {
                "data": [
                    ["级别", "含义", "防御要点"],
                    ["蓝色", "12小时内降雨量将达50毫米以上", "检查排水，注意出行"],
                    ["黄色", "6小时内降雨量将达50毫米以上", "暂停户外作业"],
                    ["橙色", "3小时内降雨量将达50毫米以上", "停课停业，转移危险地带人员"],
                    ["红色", "3小时内降雨量将达100毫米以上", "停止集会，做好全面防御"],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": True,
            },
        }

"""Every body block renders on the portal and in the block picker's preview; tables are real tables;
the video block only accepts allow-listed hosts."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from content.blocks import BodyStreamBlock, DataTableBlock, VideoEmbedBlock
from tests.factories import ArticlePageFactory, ImageFactory

pytestmark = pytest.mark.django_db


def test_every_block_type_renders(client, article_index, home):
    image = ImageFactory()
    body = [
        ("heading", {"text": "一、认识台风", "level": "h2"}),
        ("paragraph", '<p>台风是<b>热带气旋</b>的一种。<a href="https://www.cma.gov.cn/">中国气象局</a></p>'),
        ("image", {"image": image, "caption": "台风结构示意图", "attribution": "鄂州市气象局"}),
        ("callout", {"kind": "myth", "title": "", "text": "<p>台风眼里并不安全。</p>"}),
        ("key_points", {"title": "划重点", "points": ["关好门窗", "远离广告牌"]}),
        (
            "video",
            {
                "url": "https://media.kepu-ezhou.cn/videos/typhoon.mp4",
                "file": None,
                "caption": "台风来了怎么办",
            },
        ),
        (
            "video",
            {
                "url": "https://player.bilibili.com/player.html?bvid=BV1xx",
                "file": None,
                "caption": "外部视频",
            },
        ),
        (
            "related_links",
            {
                "title": "延伸阅读",
                "links": [
                    {"title": "应急科普栏目", "page": home, "url": ""},
                    {"title": "应急管理部", "page": None, "url": "https://www.mem.gov.cn/"},
                ],
            },
        ),
        (
            "table",
            {
                "caption": "台风预警信号",
                "table": {
                    "data": [["级别", "含义"], ["蓝色", "24小时内可能受影响"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                },
            },
        ),
    ]
    page = ArticlePageFactory(parent=article_index, body=body)
    html = client.get(page.url).content.decode()
    for text in (
        "<h2>一、认识台风</h2>",
        "热带气旋",
        "台风结构示意图",
        "图：鄂州市气象局",
        "辟谣",
        "台风眼里并不安全",
        "<li>关好门窗</li>",
        'src="https://media.kepu-ezhou.cn/videos/typhoon.mp4"',
        "<iframe",
        'href="https://www.mem.gov.cn/"',
        "应急科普栏目",
        "台风预警信号",
        "24小时内可能受影响",
    ):
        assert text in html, text

    region = BeautifulSoup(html, "html.parser").select_one(".body .table-scroll")
    assert (region["role"], region["aria-label"], region["tabindex"]) == ("region", "台风预警信号", "0")
    table = region.find("table")
    assert table.caption.get_text(strip=True) == "台风预警信号"
    assert [(th.get_text(strip=True), th["scope"]) for th in table.thead.find_all("th")] == [
        ("级别", "col"),
        ("含义", "col"),
    ]
    rows = table.tbody.find_all("tr")
    assert [[td.get_text(strip=True) for td in row.find_all("td")] for row in rows] == [
        ["蓝色", "24小时内可能受影响"]
    ]
    assert not table.tbody.find("th")


def _table_render(**table) -> BeautifulSoup:
    value = DataTableBlock().to_python({"caption": table.pop("caption", ""), "table": table})
    return BeautifulSoup(DataTableBlock().render(value), "html.parser")


def test_table_first_column_can_be_row_headers():
    soup = _table_render(
        data=[["级别", "含义"], ["蓝色", "有影响"], ["红色", "影响严重"], ["", "<b>未定</b>"]],
        first_row_is_table_header=True,
        first_col_is_header=True,
    )
    assert len(soup.thead.find_all("tr")) == 1
    rows = soup.tbody.find_all("tr")
    assert len(rows) == 3
    assert [(th.get_text(strip=True), th["scope"]) for th in soup.tbody.find_all("th")] == [
        ("蓝色", "row"),
        ("红色", "row"),
        ("", "row"),
    ]
    assert [td.get_text(strip=True) for td in soup.tbody.find_all("td")] == [
        "有影响",
        "影响严重",
        "<b>未定</b>",
    ]
    assert not soup.find("b")  # cells are text, never HTML


def test_table_without_header_row_or_caption():
    soup = _table_render(data=[["甲", "乙"], ["丙", "丁"]], first_row_is_table_header=False)
    assert soup.find("thead") is None and soup.find("caption") is None and soup.find("th") is None
    assert len(soup.tbody.find_all("tr")) == 2
    assert soup.select_one(".table-scroll")["aria-label"] == "表格"


def test_table_caption_falls_back_to_the_table_editors_caption():
    soup = _table_render(data=[["甲"]], table_caption="编辑器里的标题", first_row_is_table_header=True)
    assert soup.caption.get_text(strip=True) == "编辑器里的标题"
    assert soup.select_one(".table-scroll")["aria-label"] == "编辑器里的标题"


STRUCT_BLOCKS = [
    (name, block)
    for name, block in BodyStreamBlock().child_blocks.items()
    if isinstance(block, blocks.StructBlock)
]


@pytest.mark.parametrize(("name", "block"), STRUCT_BLOCKS, ids=[name for name, _ in STRUCT_BLOCKS])
def test_every_struct_block_has_a_chinese_preview_in_the_block_picker(admin_client, name, block):
    ImageFactory()  # the image block's sample is the newest image
    assert block.meta.description
    assert hasattr(block.meta, "preview_value") or type(block).get_preview_value is not (
        blocks.StructBlock.get_preview_value
    )
    assert block.is_previewable
    response = admin_client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
    assert response.status_code == 200
    html = response.content.decode()
    assert "portal.css" in html  # previews look like the portal
    main = BeautifulSoup(html, "html.parser").find("main")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in main.get_text()), main
    if name == "image":
        assert main.find("img")
    if name == "table":
        assert len(main.select("tbody tr")) == 4 and len(main.select("thead th")) == 3


@pytest.mark.parametrize(
    "url", ["https://evil.example.com/v.mp4", "javascript:alert(1)", "http://v.qq.com.evil.cn/x"]
)
def test_video_block_rejects_hosts_outside_the_allow_list(url):
    with pytest.raises((StructBlockValidationError, ValidationError)):
        VideoEmbedBlock().clean({"url": url, "file": None, "caption": ""})


def test_video_block_needs_url_or_file():
    with pytest.raises(StructBlockValidationError):
        VideoEmbedBlock().clean({"url": "", "file": None, "caption": ""})


def test_video_block_accepts_allow_listed_host():
    value = VideoEmbedBlock().clean({"url": "https://v.qq.com/x/page/abc.html", "file": None, "caption": ""})
    assert value["url"] == "https://v.qq.com/x/page/abc.html"

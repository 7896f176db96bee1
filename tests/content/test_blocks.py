"""Every body block renders on the portal; the video block only accepts allow-listed hosts."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from content.blocks import VideoEmbedBlock
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

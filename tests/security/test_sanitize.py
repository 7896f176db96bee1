"""content.sanitize: the one allow-list sanitizer, over the payload classes of issue 12."""

import re

import pytest

from content.sanitize import ALLOWED_TAGS, html_sanitize, link_url_is_safe

from .payloads import PAYLOADS

TAG = re.compile(r"<\s*/?\s*([a-zA-Z0-9-]+)")
ATTRIBUTE = re.compile(r"\s([a-zA-Z-]+)=\"")


def assert_inert(html: str) -> None:
    """Only allow-listed tags and attributes, no comment or CDATA, no dangerous URL."""
    assert "<!" not in html and "<?" not in html
    assert {t.lower() for t in TAG.findall(html)} <= ALLOWED_TAGS, html
    assert set(ATTRIBUTE.findall(html)) <= {"href", "src", "alt", "linktype", "id", "data-block-key"}, html
    for url in re.findall(r'(?:href|src)="([^"]*)"', html):
        assert link_url_is_safe(url.replace("&amp;", "&"), image=True), url
        assert not url.startswith("//") and "\\" not in url


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_payload_is_inert_after_sanitizing(name):
    clean = html_sanitize(PAYLOADS[name])
    assert_inert(clean)
    assert html_sanitize(clean) == clean  # stable


def test_comment_that_closes_early_keeps_text_and_drops_the_handler():
    assert (
        html_sanitize("<p>正文<!--x--><img src=x onerror=alert(1)>--></p>")
        == '<p>正文<img src="x">--&gt;</p>'
    )


def test_cdata_and_comments_never_survive():
    # HTML has no CDATA outside svg/math: "<![CDATA[b]]" is a bogus comment, the ">" after it text.
    assert html_sanitize("<p>a<![CDATA[b]]>c<!--d-->e</p>") == "<p>ace</p>"
    assert "<!" not in html_sanitize("<li><!--[if IE]>x<![endif]--></li><![CDATA[y]]>")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)", " JAVASCRIPT:alert(1)", "java\tscript:alert(1)", "java\nscript:x",
        "\x01javascript:x", "vbscript:x", "data:text/html,x", "//evil.example/x", "/\\evil.example/",
        "\\\\evil.example", "http:\\\\evil.example", "file:///etc/passwd", "relative/path", "",
    ],
)  # fmt: skip
def test_refused_link_targets(url):
    assert not link_url_is_safe(url)
    assert html_sanitize(f'<p><a href="{url}">链接</a></p>') == "<p>链接</p>"


@pytest.mark.parametrize(
    "url",
    ["https://www.mem.gov.cn/", "http://x.cn/a?b=1", "mailto:a@b.cn", "tel:12345", "/articles/x/", "#top"],
)
def test_allowed_link_targets(url):
    assert html_sanitize(f'<a href="{url}">链接</a>') == f'<a href="{url}">链接</a>'


def test_encoded_javascript_is_refused_after_entity_decoding():
    for href in (
        "&#106;avascript:x",
        "&#x6A;avascript:x",
        "javascript&colon;x",
        "java&#9;script:x",
        "&NewLine;javascript:x",
    ):
        assert html_sanitize(f'<a href="{href}">k</a>') == "k"


def test_images_keep_src_and_alt_only():
    out = html_sanitize('<img src="images/a.png" alt="图" style="x" srcset="b 2x" onload="y" width="9">')
    assert out == '<img src="images/a.png" alt="图">'
    assert html_sanitize('<img src="data:image/png;base64,AAAA">') == "<img>"
    assert html_sanitize('<img src="//evil.example/a.png">') == "<img>"


def test_wagtail_rich_text_format_survives():
    stored = (
        '<p data-block-key="a1b2c">x<b>粗</b><i>斜</i><sup>2</sup><sub>2</sub><br></p>'
        '<ul data-block-key="d"><li data-block-key="e"><a linktype="page" id="12">站内</a></li></ul>'
    )
    assert html_sanitize(stored) == stored
    assert html_sanitize('<a linktype="document" id="3">文档</a>') == "文档"
    assert html_sanitize('<a linktype="page" id="3 onclick=x">页</a>') == '<a linktype="page">页</a>'


@pytest.mark.parametrize(
    "tag", ["svg", "math", "style", "iframe", "object", "script", "template", "noscript"]
)
def test_dangerous_containers_go_with_their_content(tag):
    assert html_sanitize(f"<{tag}>秘密</{tag}><p>留下</p>") == "<p>留下</p>"


@pytest.mark.parametrize("tag", ["form", "base", "meta", "link", "div", "span", "table", "button", "input"])
def test_other_unknown_tags_are_unwrapped_or_dropped(tag):
    out = html_sanitize(f'<{tag} href="//x" action="//x" content="x">文字</{tag}>')
    assert "<" + tag not in out and "//x" not in out

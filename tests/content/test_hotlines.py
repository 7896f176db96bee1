"""Tap-to-call: which numbers become ``tel:`` links, and that nothing else changes."""

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString, mark_safe

from content.hotlines import hotlines_linkify


def tel(number: str, digits: str | None = None) -> str:
    return f'<a class="tel" href="tel:{digits or number}">{number}</a>'


@pytest.mark.parametrize(
    "number",
    ["110", "119", "120", "122", "12110", "12119", "12315", "12320", "12345", "12350", "12369", "12395"],
)
def test_national_hotlines_become_tel_links(number):
    assert hotlines_linkify(f"请拨打{number}。") == f"请拨打{tel(number)}。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("值班电话027-12345678", "值班电话" + tel("027-12345678", "02712345678")),
        ("0711-1234567。", tel("0711-1234567", "07111234567") + "。"),
        ("手机13912345678", "手机" + tel("13912345678")),
        ("客服400-123-4567", "客服" + tel("400-123-4567", "4001234567")),
        ("110/119/120", f"{tel('110')}/{tel('119')}/{tel('120')}"),
        ("拨打 110 或 120", f"拨打 {tel('110')} 或 {tel('120')}"),
        ("接到96110的电话一定要接", f"接到{tel('96110')}的电话一定要接"),
    ],
)
def test_phone_numbers_and_lists_of_hotlines_are_linked(text, expected):
    assert hotlines_linkify(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026年7月1日",  # a year
        "1200元",  # a hotline inside a longer number
        "12345678",
        "1101",
        "911",  # not a hotline here
        "降雨量达120毫米",  # quantities: a unit follows
        "风速110 km/h",
        "每分钟100～120次",
        "血压超过180/110毫米汞柱",
        "第120条",
        "1.120",
        "120.5",
        "1,120",
        "A110",
        "110B",
        "2026-07-01 12:00",
        "027-1234",  # too short for a landline
    ],
)
def test_other_numbers_are_left_alone(text):
    assert hotlines_linkify(text) == text


def test_hostile_text_is_escaped_before_linking():
    out = hotlines_linkify('<script>alert("110")</script><img src=x onerror=alert(120)>')
    assert isinstance(out, SafeString)
    assert "<script>" not in out and "<img" not in out
    assert out.startswith("&lt;script&gt;alert(&quot;")
    assert tel("110") in out  # still linked, as text


def test_numbers_inside_links_attributes_and_references_are_not_linked_again():
    html = mark_safe('<p title="拨打110">拨打<a href="tel:110">110</a>或120 &#12345;</p>')
    assert hotlines_linkify(html) == (
        f'<p title="拨打110">拨打<a href="tel:110">110</a>或{tel("120")} &#12345;</p>'
    )


def test_linking_twice_changes_nothing():
    once = hotlines_linkify("立即拨打119或12119报告")
    assert hotlines_linkify(once) == once


def test_trusted_html_keeps_its_markup():
    html = mark_safe("<ul><li><strong>立即拨打120</strong></li><li>降雨120毫米</li></ul>")
    assert (
        hotlines_linkify(html)
        == f"<ul><li><strong>立即拨打{tel('120')}</strong></li><li>降雨120毫米</li></ul>"
    )


def test_empty_and_none():
    assert hotlines_linkify("") == ""
    assert hotlines_linkify(None) == ""


def test_template_filter_escapes_plain_values():
    out = Template("{% load portal_tags %}{{ text|hotlines }}").render(Context({"text": "<b>拨打120</b>"}))
    assert out == f"&lt;b&gt;拨打{tel('120')}&lt;/b&gt;"

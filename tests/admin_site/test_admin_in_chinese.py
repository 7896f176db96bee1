"""The admin screens editors use render in Chinese (issue 15): Wagtail's missing zh_Hans strings come
from locale/, 帮助 opens our own guide (docs/editors.md), and the admin carries 科普鄂州's name and logo."""

import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from admin_site.selectors import editors_guide_render
from tests.factories import ArticlePageFactory, ImageFactory

pytestmark = pytest.mark.django_db

LOGO = "/static/img/kepu-ezhou-logo.svg"
# Names that stay as they are in a Chinese interface: key caps in the shortcuts dialog, product names;
# and "None", which Wagtail prints for a missing user (pages created by migrations) and in a hidden
# side-panel counter: not a translatable string.
ALLOWED_WORDS = {
    "Ctrl",
    "Alt",
    "Shift",
    "Esc",
    "Enter",
    "Tab",
    "Wagtail",
    "JavaScript",
    "API",
    "SEO",
    "URL",
    "HTML",
}
ALLOWED_WORDS |= {"None"}
ALLOWED_WORDS |= {"CSV", "XLSX"}  # file formats, as on the export buttons (下载CSV)
ALLOWED_WORDS |= {"python"}  # a command to type (python manage.py create_screen), shown as code


class _VisibleText(HTMLParser):
    """What an editor reads or a screen reader announces: text nodes and labelling attributes, and
    the string values of JSON islands (the sidebar and the editor's panels are drawn from them)."""

    ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-w-tooltip-content-value")

    def __init__(self):
        super().__init__()
        self.texts, self._hidden, self._json = [], 0, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._json = tag == "script" and attrs.get("type") == "application/json"
        if tag == "style" or (tag == "script" and not self._json):
            self._hidden += 1
        self.texts += [attrs[name] for name in self.ATTRIBUTES if attrs.get(name)]

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1
        self._json = False

    def handle_data(self, data):
        if self._json:
            strings = (
                unescape(re.sub(r"<[^>]*>", " ", text)).strip() for text in _json_strings(json.loads(data))
            )
            self.texts += [text for text in strings if _is_label(text)]
        elif not self._hidden and data.strip():
            self.texts.append(data.strip())


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _is_label(text: str) -> bool:
    """JSON islands also carry class paths, URLs, tokens, controller names and widget HTML: keep
    what reads as a label, Chinese or an English phrase ("Help", "Search all pages…")."""
    return bool(re.search(r"[一-鿿]", text) or re.fullmatch(r"[A-Z][a-z’']+(?: [A-Za-z’']+)*[.…]?", text))


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return "\n".join(parser.texts)


def english_words(text: str) -> set[str]:
    """Latin words of three or more letters, other than the allowed names."""
    # Not words: placeholders in strings handed to scripts, example addresses in help texts, model
    # labels (content.articlepage) under the page types' names.
    text = re.sub(r"%\(\w+\)[sd]|\{\w+\}|https?://\S+|\b[a-z_]+\.[a-z_]+\b", "", text)
    words = set(re.findall(r"(?<![\w/])[A-Za-z][A-Za-z’']{2,}(?![\w/])", text))
    return words - ALLOWED_WORDS


@pytest.fixture
def editor_client(client, article_index):
    user = get_user_model().objects.create_superuser("zhubian", "zhubian@example.cn", "pw", first_name="主编")
    client.force_login(user)
    return client


@pytest.fixture
def article(article_index, editor_client):
    owner = get_user_model().objects.get(username="zhubian")
    page = ArticlePageFactory(parent=article_index, owner=owner, title="夏季防溺水")
    page.save_revision(user=owner)
    return page


def _get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# (url, English strings from issue 15 and beside them, their Chinese translations)
SCREENS = {
    "dashboard": (
        "/admin/",
        ["Pages", "Images", "Documents", "Search all pages", "editor guide"],
        ["个页面", "张图片", "个文档", "搜索所有页面…", "编辑指南"],
    ),
    "explorer": ("/admin/pages/", ["Exploring", "Root"], ["正在浏览", "全部站点"]),
    "section listing with filters": (
        "/admin/pages/{section}/?has_child_pages=false",
        ["Date updated", "Edited by", "Has child pages", "Page type", "Any"],
        ["更新日期", "编辑者", "有子页面", "页面类型"],
    ),
    "editor": (
        "/admin/pages/{article}/edit/",
        [
            "Checks",
            "Content metrics",
            "This data explained",
            "Reading time",
            "Readability",
            "Privacy and access",
        ],
        ["检查", "内容指标", "数据说明", "阅读时间", "可读性", "我们如何计算这些指标"],
    ),
    "page types usage": ("/admin/reports/page-types-usage/", ["Page types usage"], ["页面类型使用情况"]),
    "site history": ("/admin/reports/site-history/", ["Site history"], ["网站历史"]),
    "aging pages": ("/admin/reports/aging-pages/", ["Aging pages"], ["较早的页面"]),
    "locked pages": ("/admin/reports/locked/", ["Locked pages", "Locked by"], ["已锁定的页面"]),
    "workflows": ("/admin/reports/workflow/", ["By task", "By workflow"], ["按任务"]),
    "workflow tasks": ("/admin/reports/workflow_tasks/", ["By task", "By workflow"], ["按工作流"]),
    "account": ("/admin/account/", ["Theme preferences", "Shortcuts"], ["主题偏好"]),
    # the project's own listings and reports (issue 17)
    "wechat push log": ("/admin/wechat/", ["Download CSV", "Status"], ["公众号推送记录", "下载CSV", "状态"]),
    "screen monitor": ("/admin/screen-monitor/", ["Download XLSX"], ["大屏监控", "播放统计（播放证明）"]),
    "plays report": ("/admin/screen-monitor/plays/", ["Filter"], ["播放记录", "开始日期", "应急接管"]),
    "plays per item": ("/admin/screen-monitor/plays/items/", ["Filter"], ["播放统计（按内容）"]),
    "search statistics": ("/admin/snippets/search/searchquerystat/", ["Download CSV"], ["搜索词统计"]),
}


@pytest.mark.parametrize("screen", SCREENS)
def test_admin_screen_shows_no_english(screen, editor_client, article, article_index):
    url, english, chinese = SCREENS[screen]
    ImageFactory()  # the dashboard counts images ("1 Image" before)
    html = _get(editor_client, url.format(section=article_index.id, article=article.id))
    # The account's time-zone menu lists IANA names (Asia/Shanghai, Japan): names, not strings.
    text = visible_text(re.sub(r'<select name="locale-current_time_zone".*?</select>', "", html, flags=re.S))
    for phrase in english:
        assert not re.search(rf"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z])", text), (screen, phrase)
    for phrase in chinese:
        assert phrase in text, (screen, phrase)
    assert english_words(text) == set(), screen


def test_keyboard_shortcuts_dialog_is_chinese(editor_client, article):
    html = _get(editor_client, f"/admin/pages/{article.id}/edit/")
    dialog = html[html.index('id="keyboard-shortcuts-dialog"') :]
    dialog = visible_text(dialog[: dialog.index("</template>")] if "</template>" in dialog else dialog)
    for phrase in ("Show keyboard shortcuts", "Text formatting", "Save changes", "Paste without formatting"):
        assert phrase not in dialog
    for phrase in ("键盘快捷键", "显示键盘快捷键", "文本格式", "保存更改", "粘贴为纯文本"):
        assert phrase in dialog


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/password_reset/"])
def test_login_and_password_reset_are_chinese(client, url):
    text = visible_text(_get(client, url))
    assert not re.search(r"\bPassword\b|\bSign in\b|\bReset\b", text)
    assert english_words(text) == set()
    assert "密码" in text


def test_login_page_carries_the_brand(client):
    html = _get(client, "/admin/login/")
    assert "登录科普鄂州内容管理系统" in html
    assert f'<img src="{LOGO}"' in html
    assert "<title>" in html and "科普鄂州 · 内容管理</title>" in html
    assert f'<link rel="icon" type="image/svg+xml" href="{LOGO}">' in html


def test_sidebar_carries_the_brand(editor_client):
    html = _get(editor_client, "/admin/")
    logo = re.search(r"<template data-wagtail-sidebar-branding-logo>(.*?)</template>", html, re.S).group(1)
    assert f'src="{LOGO}"' in logo and 'alt="科普鄂州"' in logo


def test_logo_is_a_small_svg():
    svg = (settings.BASE_DIR / "static" / "img" / "kepu-ezhou-logo.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "<title" in svg and "科普鄂州" in svg
    assert "<script" not in svg and "href" not in svg and len(svg) < 2048


def test_javascript_catalogue_has_the_missing_strings(editor_client):
    script = _get(editor_client, "/admin/jsi18n/")
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    assert catalogue["Autosave in progress…"] == "正在自动保存…"
    assert catalogue["Write something or type ‘/’ to insert a block"] == "输入内容，或键入“/”插入块"
    assert catalogue["%(num)s error"] == ["%(num)s 个错误"]


def _help_menu(html: str) -> list:
    """The items of the sidebar's 帮助 submenu, from the props the sidebar is drawn from."""
    props = json.loads(
        re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    )
    found = [
        item["_args"][1]
        for item in _json_dicts(props)
        if item.get("_type") == "wagtail.sidebar.SubMenuItem" and item["_args"][0]["name"] == "help"
    ]
    assert len(found) == 1
    return found[0]


def _json_dicts(value):
    if isinstance(value, dict):
        yield value
        yield from (d for item in value.values() for d in _json_dicts(item))
    elif isinstance(value, list):
        yield from (d for item in value for d in _json_dicts(item))


def test_help_menu_opens_our_guide_not_the_internet(editor_client):
    html = _get(editor_client, "/admin/")
    items = {item["_args"][0]["label"]: item["_args"][0] for item in _help_menu(html)}
    assert items["编辑指南"]["url"] == "/admin/guide/"
    assert "target" not in items["编辑指南"]["attrs"]  # opens in the admin, not a new tab
    assert set(items) == {"编辑指南", "快捷键"}  # Wagtail's online guide and "What's new" are gone
    assert "guide.wagtail.org" not in html


def test_guide_renders_docs_editors_md_in_the_admin(editor_client):
    source = (settings.BASE_DIR / "docs" / "editors.md").read_text(encoding="utf-8")
    headings = re.findall(r"^#{2,3} (.+)$", source, re.M)
    assert headings
    html = _get(editor_client, "/admin/guide/")
    assert 'id="wagtail-sidebar"' in html  # inside the admin layout
    for heading in headings:
        plain = re.sub(r"[*`]", "", heading).strip()
        assert plain in html, plain
    assert 'class="toc"' in html


def test_guide_needs_a_login(client):
    response = client.get("/admin/guide/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_guide_shows_raw_html_as_text_and_drops_unsafe_links():
    guide = editors_guide_render(
        "# 指南\n\n<script>alert(1)</script>\n\n<b>粗</b> [坏](javascript:alert(1)) [好](https://kepu.example.cn/)\n"
    )
    assert guide.title == "指南"
    assert "<script>" not in guide.html and "&lt;script&gt;" in guide.html
    assert "<b>" not in guide.html
    assert "javascript:" not in guide.html and 'href="https://kepu.example.cn/"' in guide.html

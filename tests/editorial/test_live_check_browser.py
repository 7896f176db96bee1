# ruff: noqa: F811 (pytest fixtures imported from the shared browser harness)
"""In a real browser: typing a 禁用 expression into the editor shows it in the 错敏词检查 panel within
seconds, with its place, before anything is saved. Skipped locally without Chromium, failing under CI."""

import pytest
from django.contrib.auth.models import User

from tests.factories import ArticlePageFactory
from tests.feeds.screens.browser import chromium, live_server_ctl  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_typing_a_blocked_expression_shows_it_in_the_panel(chromium, live_server_ctl, article_index):
    with live_server_ctl.lock:
        User.objects.create_superuser("chief", password="pw-chief-2026")
        page = ArticlePageFactory(parent=article_index, title="夏季防溺水")
        page.save_revision()
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    try:
        tab.goto(live_server_ctl.url + "/admin/login/", wait_until="load")
        tab.fill("input[name=username]", "chief")
        tab.fill("input[name=password]", "pw-chief-2026")
        tab.click("button[type=submit]")
        tab.wait_for_url("**/admin/")
        tab.goto(f"{live_server_ctl.url}/admin/pages/{page.pk}/edit/", wait_until="load")
        panel = "[data-word-check]"
        assert "未发现错敏词" in tab.inner_text(panel)

        tab.fill("#id_title", "夏季防溺水：祖傳秘方不可信")
        tab.wait_for_function(
            "() => document.querySelector('[data-word-check]').innerText.includes('祖傳秘方')", timeout=15000
        )
        text = tab.inner_text(panel)
        assert "禁用" in text and "标题第 7 字" in text
    finally:
        context.close()

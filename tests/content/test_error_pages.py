"""Errors are Chinese pages, not tracebacks (the test settings keep DEBUG off)."""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_debug_is_off_in_tests():
    assert settings.DEBUG is False


def test_404_is_a_chinese_page(client, home):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and "返回首页" in html
    assert "Traceback" not in html and "Page not found" not in html


def test_500_is_a_chinese_page(home, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("content.selectors.content_latest", explode)
    response = Client(raise_request_exception=False).get("/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错了" in html
    assert "boom" not in html and "Traceback" not in html

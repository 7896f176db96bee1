"""JS-SDK share signatures, share tags on portal pages, and the admin push flow."""

import pytest

from feeds.wechat import crypto
from feeds.wechat.models import WeChatPush
from tests.factories import ArticlePageFactory, ImageFactory

TICKET_PATH = "/cgi-bin/ticket/getticket"


def test_jssdk_config_signs_the_url_with_the_cached_ticket(client, fake_wechat):
    url = "http://testserver/articles/item-1/?from=timeline#top"
    first = client.get("/api/v1/wechat/jssdk-config", {"url": url}).json()
    assert first["appId"] == "wx_test_app" and first["jsApiList"]
    (ticket_call,) = fake_wechat.calls(TICKET_PATH)
    ticket = fake_wechat._ticket[0]
    assert first["signature"] == crypto.jssdk_signature(ticket, first["nonceStr"], first["timestamp"], url)
    client.get("/api/v1/wechat/jssdk-config", {"url": url})
    assert len(fake_wechat.calls(TICKET_PATH)) == 1  # cached


@pytest.mark.parametrize(
    ("url", "status"),
    [("", 400), ("not a url", 400), ("https://evil.example/page", 400), ("javascript:alert(1)", 400)],
)
def test_jssdk_config_refuses_bad_or_foreign_urls(client, fake_wechat, url, status):
    response = client.get("/api/v1/wechat/jssdk-config", {"url": url})
    assert response.status_code == status and response.json()["error"]


def test_jssdk_config_explains_missing_configuration(client, settings, db):
    settings.WECHAT_APP_ID = ""
    response = client.get("/api/v1/wechat/jssdk-config", {"url": "http://testserver/"})
    assert response.status_code == 503 and "WECHAT_APP_ID" in response.json()["error"]


def test_detail_pages_carry_share_tags_and_load_the_share_script_only_when_configured(
    client, article_index, settings
):
    page = ArticlePageFactory(parent=article_index, cover_image=ImageFactory(), summary="台风天注意安全")
    html = client.get(page.url).content.decode()
    assert '<meta property="og:description" content="台风天注意安全">' in html
    assert 'itemprop="image"' in html
    assert "wechat-share.js" not in html
    settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET = "wx", "secret"
    assert "wechat-share.js" in client.get(page.url).content.decode()


@pytest.fixture
def published(article_index, django_capture_on_commit_callbacks):
    page = ArticlePageFactory(
        parent=article_index, title="防范电信诈骗", live=False, cover_image=ImageFactory()
    )
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    return page


def test_editor_pushes_from_the_admin_and_sees_it_published(
    admin_client, fake_wechat, published, django_capture_on_commit_callbacks
):
    url = f"/admin/wechat/pages/{published.pk}/push/"
    page_html = admin_client.get(url).content.decode()
    assert "推送并发布" in page_html and f"/admin/wechat/pages/{published.pk}/preview/" in page_html
    with django_capture_on_commit_callbacks(execute=True):  # the task runs after the request commits
        response = admin_client.post(url, {"action": "publish"})
    assert response.status_code == 302
    html = admin_client.get(url).content.decode()
    assert "推送记录" in html and "已发布" in html and "查看文章" in html
    assert WeChatPush.objects.get().status == WeChatPush.PUBLISHED
    log = admin_client.get("/admin/wechat/").content.decode()
    assert "防范电信诈骗" in log


def test_admin_push_page_explains_missing_configuration(admin_client, published, settings):
    settings.WECHAT_APP_ID = ""
    settings.WECHAT_APP_SECRET = ""
    html = admin_client.get(f"/admin/wechat/pages/{published.pk}/push/").content.decode()
    assert "公众号尚未配置" in html and "WECHAT_APP_ID" in html and "WECHAT_APP_SECRET" in html
    assert "推送并发布" not in html
    response = admin_client.post(
        f"/admin/wechat/pages/{published.pk}/push/", {"action": "draft"}, follow=True
    )
    assert "未配置公众号" in response.content.decode()
    assert not WeChatPush.objects.exists()


def test_admin_preview_shows_the_packaged_article(admin_client, published):
    html = admin_client.get(f"/admin/wechat/pages/{published.pk}/preview/").content.decode()
    assert 'id="preview-title">防范电信诈骗<' in html and "fill-900x383" in html


def test_push_button_appears_on_content_pages(admin_client, published):
    html = admin_client.get(f"/admin/pages/{published.pk}/edit/").content.decode()
    assert f"/admin/wechat/pages/{published.pk}/push/" in html


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example\\@127.0.0.1/",  # urlsplit says 127.0.0.1, a browser says evil.example
        "https://evil.example\\@testserver/",
        "http://testserver\\@evil.example/",
        "https://user@testserver/",
        "https://evil.example@testserver/",
        "https://testserver:pw@evil.example/",
        "http://testserver/\\evil.example",
        "http:\\\\testserver/",
        "http:/testserver/",
        "//testserver/",
        "ftp://testserver/",
        "javascript://testserver/%0aalert(1)",
        "data:text/html,testserver",
        "http://test\tserver/",
        "http://testserver\n.evil.example/",
        "http://testserver /",
        "http://testserver\x00.evil.example/",
        "http://testserver:99999/",
        "http://testserver:port/",
        "http://ｔｅｓｔｓｅｒｖｅｒ/",
        "http://testserver%2eevil.example/",
        "http://testserver.evil.example/",
        "http://evil.example/?next=http://testserver/",
        "http://[::1/",
        "http:///testserver/",
        "http://" + "a" * 3000 + "/",
    ],
)
def test_jssdk_config_parses_the_url_strictly(client, fake_wechat, url):
    response = client.get("/api/v1/wechat/jssdk-config", {"url": url})
    assert response.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["error"])
    assert not fake_wechat.calls(TICKET_PATH)


@pytest.mark.parametrize(
    "url",
    [
        "http://testserver/",
        "HTTPS://TESTSERVER/articles/?a=1#x",
        "http://127.0.0.1:8000/p/",
        "http://localhost",
    ],
)
def test_jssdk_config_accepts_this_sites_pages(client, fake_wechat, url):
    assert client.get("/api/v1/wechat/jssdk-config", {"url": url}).status_code == 200


def test_jssdk_config_with_a_wildcard_allowed_hosts_only_signs_the_requests_own_host(
    client, fake_wechat, settings
):
    settings.ALLOWED_HOSTS = ["*"]
    assert client.get("/api/v1/wechat/jssdk-config", {"url": "http://testserver/a/"}).status_code == 200
    assert client.get("/api/v1/wechat/jssdk-config", {"url": "http://evil.example/"}).status_code == 400

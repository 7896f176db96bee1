"""公众号推送记录 as a Wagtail model viewset: filters, details, CSV/XLSX export, read-only for everyone."""

import io
import os

import openpyxl
import pytest
from django.contrib.auth.models import User

from feeds.wechat.models import WeChatPush
from tests.factories import ArticlePageFactory, user_in_group

LOG = "/admin/wechat/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def pushes(article_index):
    page = ArticlePageFactory(parent=article_index, title="防范电信诈骗")
    other = ArticlePageFactory(parent=article_index, title="科学补钙")
    editor = User.objects.create_user("bianji", password="pw")
    return {
        "published": WeChatPush.objects.create(
            page=page, title=page.title, status=WeChatPush.PUBLISHED, publish=True, requested_by=editor,
            article_url="https://mp.weixin.qq.com/s/abc", attempts=1,
        ),
        "failed": WeChatPush.objects.create(
            page=other, title=other.title, status=WeChatPush.FAILED, error="封面图片过大", attempts=3
        ),
    }  # fmt: skip


def _html(client, url, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    html = response.content.decode()
    if os.environ.get("KEPU_DUMP_ADMIN_HTML"):  # look at the pages while changing them
        name = url.strip("/").replace("/", "_")
        with open(f"{os.environ['KEPU_DUMP_ADMIN_HTML']}/{name}.html", "w", encoding="utf-8") as out:
            out.write(html)
    return html


def _table(html: str) -> str:
    return html.split('id="listing-results"')[1].split("</table>")[0]


def test_log_lists_pushes_and_filters_by_status_and_title(admin_client, pushes):
    table = _table(_html(admin_client, LOG))
    assert "防范电信诈骗" in table and "科学补钙" in table
    assert "封面图片过大" in table and "查看文章" in table and "kepu-status--bad" in table
    assert f"/admin/wechat/pages/{pushes['failed'].page_id}/push/" in table  # 推送页面 (重新推送)
    failed = _table(_html(admin_client, LOG, {"status": "failed"}))
    assert "科学补钙" in failed and "防范电信诈骗" not in failed
    assert "科学补钙" not in _table(_html(admin_client, LOG, {"q": "诈骗"}))


def test_log_shows_one_push_in_detail(admin_client, pushes):
    html = _html(admin_client, f"{LOG}inspect/{pushes['failed'].pk}/")
    assert "封面图片过大" in html and "尝试次数" in html


def test_log_exports_csv_and_xlsx_in_chinese(admin_client, pushes):
    response = admin_client.get(LOG, {"export": "csv", "status": "failed"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    header, row = body.lstrip("\ufeff").splitlines()
    assert header.startswith("提交时间,标题,页面ID,状态,同时发布,操作人,尝试次数")
    assert ",科学补钙," in row and ",失败,否,," in row and "封面图片过大" in row
    xlsx = admin_client.get(LOG, {"export": "xlsx"})
    assert xlsx["Content-Disposition"].endswith('filename="wechat-pushes.xlsx"')
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.values)
    assert rows[0][:4] == ("提交时间", "标题", "页面ID", "状态") and len(rows) == 3


def test_every_admin_user_reads_the_log_and_nobody_edits_it(client, pushes):
    client.force_login(user_in_group("bianji-2", "科普编辑"))
    html = _html(client, LOG)
    assert "防范电信诈骗" in html and f"{LOG}inspect/{pushes['published'].pk}/" in html
    assert LOG in _html(client, "/admin/")  # the menu item (the sidebar's JSON escapes its label)
    client.force_login(User.objects.create_superuser("root", password="pw"))
    for url in (
        f"{LOG}new/",
        f"{LOG}edit/{pushes['published'].pk}/",
        f"{LOG}delete/{pushes['published'].pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert f"{LOG}edit/" not in _html(client, LOG)


def test_log_needs_admin_access(client, pushes):
    client.force_login(User.objects.create_user("reader", password="pw"))
    assert client.get(LOG).status_code in (302, 403)


def test_push_page_shows_the_pages_history_as_on_the_log(admin_client, pushes):
    html = _html(admin_client, f"/admin/wechat/pages/{pushes['failed'].page_id}/push/")
    history = html.split('id="wechat-push-history"')[1].split("</table>")[0]
    assert "封面图片过大" in history and "kepu-status--bad" in history and "防范电信诈骗" not in history
    assert f'href="{LOG}"' in html and "<style" not in html and 'style="' not in html

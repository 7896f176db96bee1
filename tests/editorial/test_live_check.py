"""The 错敏词检查 panel re-checks the form as the author types: the check view answers for the unsaved
form (edit and create), saves nothing, and refuses users who may not edit the page."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from content.models import ArticlePage
from editorial.services import CONFIRM_FIELD
from tests.content.test_admin_pages import _form
from tests.editorial.test_editor import _article
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_edit_form_is_checked_as_typed_and_nothing_is_saved(admin_client, article_index, audiences):
    page = ArticlePageFactory(parent=article_index, title="多喝水", slug="water")
    page.save_revision()
    typed = _form(_article(audiences, "此方包治百病", title="多喝水", slug="water"))

    response = admin_client.post(reverse("editorial_check_edit", args=(page.pk,)), typed)

    html = response.content.decode()
    assert response.status_code == 200
    assert "禁用" in html and "“包治百病”" in html and "正文第 2 块（正文段落）第 3 字" in html
    assert "包治百病" not in str(ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().body)


def test_new_page_is_checked_before_its_first_save(admin_client, article_index, audiences):
    url = reverse("editorial_check_add", args=("content", "articlepage", article_index.pk))
    response = admin_client.post(url, _form(_article(audiences, "效果最佳")))
    html = response.content.decode()
    assert "警告" in html and f'name="{CONFIRM_FIELD}"' in html
    assert not ArticlePage.objects.filter(slug="drowning-safety").exists()


def test_confirmation_stays_ticked_while_the_warnings_are_the_same(admin_client, article_index, audiences):
    url = reverse("editorial_check_add", args=("content", "articlepage", article_index.pk))
    first = admin_client.post(url, _form(_article(audiences, "效果最佳")))
    key = first.context["result"].warning_key
    again = admin_client.post(url, {**_form(_article(audiences, "效果真的最佳")), CONFIRM_FIELD: key})
    assert f'value="{key}" checked' in again.content.decode()


def test_users_who_cannot_edit_the_page_are_refused(client, article_index):
    page = ArticlePageFactory(parent=article_index)
    outsider = User.objects.create_user("outsider", password="pw")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    response = client.post(reverse("editorial_check_edit", args=(page.pk,)), {"title": "x"})
    assert response.status_code in (302, 403)


def test_a_truncated_form_is_a_clear_400_not_a_server_error(admin_client, article_index):
    page = ArticlePageFactory(parent=article_index)
    response = admin_client.post(reverse("editorial_check_edit", args=(page.pk,)), {"title": "x"})
    assert response.status_code == 400 and "表单数据不完整" in response.content.decode()


def test_the_editor_loads_the_live_check(admin_client, article_index):
    page = ArticlePageFactory(parent=article_index)
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert reverse("editorial_check_edit", args=(page.pk,)) in html
    assert "editorial/js/word-check" in html and "立即检查" in html

"""The report of published content that hits the list as it is now (lists change), with export;
the word list's admin refuses bad entries in Chinese and says when the list is broken."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from editorial.engine import current_list
from editorial.models import PublishedCheck, WordEntry
from tests.factories import ArticlePageFactory, user_in_group

pytestmark = pytest.mark.django_db


def test_a_word_added_later_shows_the_published_pages_that_now_hit_it(admin_client, article_index, committed):
    hit = ArticlePageFactory(parent=article_index, title="网红减肥茶真相")
    ArticlePageFactory(parent=article_index, title="多喝白开水")
    report = reverse("editorial_report")
    assert "网红减肥茶真相" not in admin_client.get(report).content.decode()

    with committed():  # the re-check runs after the commit (a task in production)
        response = admin_client.post(
            reverse("wagtailsnippets_editorial_wordentry:add"),
            {
                "phrase": "减肥茶",
                "level": "warn",
                "category": "health_claim",
                "suggestion": "",
                "exceptions": "",
                "note": "",
                "enabled": "on",
            },
        )
    assert response.status_code == 302
    html = admin_client.get(report).content.decode()
    assert "网红减肥茶真相" in html and "多喝白开水" not in html
    assert "标题第 3 字" in html

    csv = admin_client.get(report + "?export=csv")
    body = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert csv.status_code == 200 and "网红减肥茶真相" in body and "减肥茶" in body
    assert hit.pk


def test_recheck_now_button(admin_client, article_index):
    ArticlePageFactory(parent=article_index, title="祖传秘方不可信")
    response = admin_client.post(reverse("editorial_recheck"), follow=True)
    assert "复查完成" in response.content.decode()
    assert "祖传秘方不可信" in response.content.decode()


@pytest.mark.parametrize(
    ("phrase", "message"),
    [("", "不能为空"), ("最", "至少 2 个字"), ("根治", "词库中已有"), ("根治", "级别：禁用")],
)
def test_admin_refuses_bad_entries_in_chinese(admin_client, phrase, message):
    response = admin_client.post(
        reverse("wagtailsnippets_editorial_wordentry:add"),
        {"phrase": phrase, "level": "warn", "category": "other", "enabled": "on"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_broken_rows_are_reported_on_the_list_page(admin_client):
    entry = WordEntry.objects.create(phrase="好的词语", level="warn")
    WordEntry.objects.filter(pk=entry.pk).update(level="strange")
    html = admin_client.get(reverse("wagtailsnippets_editorial_wordentry:list")).content.decode()
    assert "无法使用" in html and "级别“strange”无效" in html


def test_editors_can_read_the_list_but_not_change_it(client):
    client.force_login(user_in_group("editor", "科普编辑"))
    assert client.get(reverse("wagtailsnippets_editorial_wordentry:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_editorial_wordentry:add")).status_code in (302, 403)
    client.force_login(user_in_group("final", "终审员"))
    assert client.get(reverse("wagtailsnippets_editorial_wordentry:add")).status_code == 200


def test_recheck_command(article_index):
    page = ArticlePageFactory(parent=article_index, title="药到病除的说法不可信")
    call_command("editorial_recheck")
    assert PublishedCheck.objects.get(page=page).blocked == 1


def test_publishing_keeps_the_report_current_without_a_recheck(article_index, committed):
    with committed():
        page = ArticlePageFactory(parent=article_index, title="据说能根治近视")
        page.save_revision().publish()
    check = PublishedCheck.objects.get(page=page)
    assert check.blocked == 1 and check.list_version == current_list().version

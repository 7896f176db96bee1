"""错敏词 in the page editor: 禁用 blocks submit and publish (drafts always save), 警告 needs a recorded
confirmation, 纠错 is offered; the emergency fast path and bulk publishing are checked too."""

import pytest
from django.db import DatabaseError
from django.urls import reverse
from wagtail.models import Page, PageLogEntry
from wagtail.test.utils.form_data import rich_text, streamfield

from content.models import ArticlePage, EmergencyPage
from editorial import engine
from editorial.models import PageCheck, WordEntry
from editorial.services import CONFIRM_FIELD, CONFIRM_LOG_ACTION
from tests.content.test_admin_pages import _common, _emergency_data, _form
from tests.factories import ArticlePageFactory, user_in_group

pytestmark = pytest.mark.django_db


def _article(audiences, body_text, **extra):
    data = _common("夏季防溺水须知", "drowning-safety", [audiences["youth"]])
    data["body"] = streamfield(
        [
            ("heading", {"text": "注意事项", "level": "h2"}),
            ("paragraph", rich_text(f"<p>{body_text}</p>")),
        ]
    )
    data.update(extra)
    return data


def _add(client, parent, data, action=None, model_name="articlepage"):
    form = _form(data)
    if action:
        form[action] = action
    return client.post(reverse("wagtailadmin_pages:add", args=("content", model_name, parent.pk)), form)


def _errors(response) -> str:
    return " ".join(str(e) for e in response.context["form"].non_field_errors())


@pytest.mark.parametrize("action", ["action-publish", "action-submit"])
def test_blocked_word_stops_submit_and_publish_and_says_where_and_what_instead(
    admin_client, article_index, audiences, action
):
    response = _add(admin_client, article_index, _article(audiences, "这种偏方包治百病，大家快试试"), action)

    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="drowning-safety").exists()
    errors = _errors(response)
    assert "禁用词" in errors and "“包治百病”" in errors
    assert "正文第 2 块（正文段落）第 5 字" in errors
    assert "建议" in errors
    html = response.content.decode()
    assert "错敏词检查" in html and "包治百病" in html  # the panel lists the hit beside the form


def test_draft_with_a_blocked_word_still_saves_and_is_recorded(admin_client, article_index, audiences):
    response = _add(admin_client, article_index, _article(audiences, "这种偏方包治百病"))

    assert response.status_code == 302
    page = ArticlePage.objects.get(slug="drowning-safety")
    assert not page.live
    check = PageCheck.objects.get(page=page)
    assert check.blocked == 1 and check.hits[0]["phrase"] == "包治百病"


def test_traditional_and_full_width_spellings_are_blocked_too(admin_client, article_index, audiences):
    response = _add(
        admin_client, article_index, _article(audiences, "祖傳秘方，号称１００％治愈"), "action-publish"
    )
    errors = _errors(response)
    assert "“祖傳秘方”" in errors and "“１００％治愈”" in errors


def test_blocked_word_in_title_summary_or_share_title_is_found(admin_client, article_index, audiences):
    data = _article(
        audiences, "正常内容", title="根治失眠的办法", summary="无任何副作用", og_title="祖传秘方大公开"
    )
    errors = _errors(_add(admin_client, article_index, data, "action-publish"))
    for expected in ("标题第 1 字", "摘要第 1 字", "分享标题第 1 字"):
        assert expected in errors


def test_warning_needs_confirmation_which_is_recorded_with_who(
    admin_client, admin_user, article_index, audiences
):
    data = _article(audiences, "这是效果最佳的防护方法")
    refused = _add(admin_client, article_index, data, "action-publish")
    assert refused.status_code == 200
    assert "警告词" in _errors(refused) and "“最佳”" in _errors(refused)
    key = refused.context["form"].instance.wordcheck.warning_key
    assert f'name="{CONFIRM_FIELD}" value="{key}"' in refused.content.decode()

    published = _add(admin_client, article_index, {**data, CONFIRM_FIELD: key}, "action-publish")

    assert published.status_code == 302
    page = ArticlePage.objects.get(slug="drowning-safety")
    assert page.live
    entry = PageLogEntry.objects.get(page=page, action=CONFIRM_LOG_ACTION)
    assert entry.user == admin_user and entry.data["terms"] == ["最佳"] and entry.data["action"] == "发布"
    history = admin_client.get(reverse("wagtailadmin_pages:history", args=(page.pk,))).content.decode()
    assert "确认错敏词警告" in history
    assert not PageCheck.objects.get(page=page).awaiting_confirmation


def test_confirmation_covers_only_the_warnings_seen(admin_client, article_index, audiences):
    seen = _add(admin_client, article_index, _article(audiences, "效果最佳"), "action-publish")
    key = seen.context["form"].instance.wordcheck.warning_key
    # A new warning typed after confirming asks again.
    again = _add(
        admin_client,
        article_index,
        {**_article(audiences, "效果最佳，销量第一"), CONFIRM_FIELD: key},
        "action-publish",
    )
    assert again.status_code == 200 and "“第一”" in _errors(again)


def test_corrections_are_offered_but_do_not_block(admin_client, article_index, audiences):
    response = _add(
        admin_client, article_index, _article(audiences, "据国家卫生计生委统计"), "action-publish"
    )
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug="drowning-safety")
    assert page.live and "国家卫生计生委" in str(page.body)  # checking never changes the text
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert "纠错" in edit and "国家卫生健康委员会" in edit


def test_editor_submitting_to_review_is_checked(client, article_index, audiences):
    editor = user_in_group("editor", "科普编辑")
    client.force_login(editor)
    refused = _add(client, article_index, _article(audiences, "药到病除"), "action-submit")
    assert refused.status_code == 200 and "禁用词" in _errors(refused)

    submitted = _add(client, article_index, _article(audiences, "多喝水"), "action-submit")
    assert submitted.status_code == 302
    page = ArticlePage.objects.get(slug="drowning-safety")
    assert page.current_workflow_state is not None


def test_emergency_fast_path_blocks_and_needs_the_one_click(client, emergency_index, audiences, regions):
    officer = user_in_group("officer", "应急管理审核")
    client.force_login(officer)
    data = _emergency_data([audiences["elderly"]], regions)

    blocked = _add(
        client,
        emergency_index,
        {**data, "instructions": "服用祖传秘方可防中暑"},
        "action-publish",
        "emergencypage",
    )
    assert blocked.status_code == 200 and "防范指引第 3 字" in _errors(blocked)
    assert not EmergencyPage.objects.filter(slug=data["slug"]).exists()

    warned = {**data, "instructions": "第一，立即转移到安全地带"}
    needs_click = _add(client, emergency_index, warned, "action-publish", "emergencypage")
    assert needs_click.status_code == 200
    key = needs_click.context["form"].instance.wordcheck.warning_key
    published = _add(
        client, emergency_index, {**warned, CONFIRM_FIELD: key}, "action-publish", "emergencypage"
    )
    assert published.status_code == 302
    page = EmergencyPage.objects.get(slug=data["slug"])
    assert page.live
    assert PageLogEntry.objects.filter(page=page, action=CONFIRM_LOG_ACTION, user=officer).exists()


def test_edit_form_shows_the_panel_with_places(admin_client, article_index):
    page = ArticlePageFactory(parent=article_index, title="据國家衛生計生委消息")
    page.save_revision()
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert "错敏词检查" in html
    assert "標題" not in html and "标题第 2 字" in html
    assert "國家衛生計生委" in html and "国家卫生健康委员会" in html


def test_bulk_publish_refuses_pages_with_blocked_words(admin_client, article_index):
    page = ArticlePageFactory(parent=article_index, live=False, title="包治百病的神奇疗法")
    page.save_revision()
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + f"?id={page.pk}"
    response = admin_client.post(url, {"include_descendants": False}, follow=True)
    assert not Page.objects.get(pk=page.pk).live
    assert "含禁用词" in response.content.decode()


def test_the_panel_says_when_checking_runs_on_a_fallback_list(admin_client, article_index, monkeypatch):
    page = ArticlePageFactory(parent=article_index, title="包治百病？")
    engine.current_list()  # a good list kept by this process

    def broken():
        raise DatabaseError("locked")

    monkeypatch.setattr(engine, "list_version", broken)
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert "上次可用的词库" in html and "包治百病" in html


def test_approving_from_the_review_dialog_is_refused_when_the_list_now_blocks_it(client, article_index):
    editor = user_in_group("editor", "科普编辑")
    first = user_in_group("first", "初审员")
    page = ArticlePageFactory(parent=article_index, live=False, title="网红减肥茶真相")
    page.save_revision(user=editor)
    workflow_state = page.get_workflow().start(page, editor)
    WordEntry.objects.create(phrase="减肥茶", level="block")  # added after the submission

    client.force_login(first)
    task_state = workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    response = client.post(url, {"comment": ""}, follow=True)

    task_state.refresh_from_db()
    assert task_state.status == "in_progress"
    assert "不能审核通过" in response.content.decode() and "减肥茶" in response.content.decode()

    WordEntry.objects.filter(phrase="减肥茶").delete()
    client.post(url, {"comment": ""})
    task_state.refresh_from_db()
    assert task_state.status == "approved"

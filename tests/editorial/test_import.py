"""错敏词 in ``import_content``: a 禁用 hit rejects its line with the place, 警告 and 纠错 are reported,
``--submit`` sends pages to review instead of publishing, and who imported is recorded."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import PageLogEntry

from content.importing import ImportFailed, content_import_file
from content.models import ArticlePage, EmergencyPage
from editorial.models import PageCheck
from editorial.selectors import pages_awaiting_confirmation
from tests.factories import user_in_group

pytestmark = pytest.mark.django_db


def _article(slug, body, **extra):
    return {
        "type": "article",
        "slug": slug,
        "title": "科普文章",
        "summary": "",
        "body": body,
        "audiences": ["youth"],
        **extra,
    }


def _write(tmp_path, *items):
    path = tmp_path / "items.jsonl"
    path.write_text(
        "\n".join(json.dumps(item, ensure_ascii=False) for item in items) + "\n", encoding="utf-8"
    )
    return path


def test_blocked_word_rejects_the_line_with_place_and_nothing_is_imported(tmp_path, home):
    path = _write(
        tmp_path,
        _article("fine", "<p>多喝水</p>"),
        _article("bad", "<h2>小标题</h2><p>这种药包治百病</p>"),
        _article("bad-title", "<p>正文</p>", title="祖傳秘方"),
    )
    with pytest.raises(ImportFailed) as failed:
        content_import_file(path, label="items.jsonl")
    assert failed.value.errors == [
        "items.jsonl:2: 禁用词 “包治百病”（body 第 2 块第 4 字）",
        "items.jsonl:3: 禁用词 “祖傳秘方”（title 第 1 字）",
    ]
    assert not ArticlePage.objects.filter(slug__in=["fine", "bad", "bad-title"]).exists()


def test_warnings_and_corrections_are_reported_and_imported(tmp_path, home, capsys):
    path = _write(tmp_path, _article("warned", "<p>效果最佳。据国家卫生计生委通报</p>"))
    call_command("import_content", str(path))
    err = capsys.readouterr().err
    assert ":1: 警告词 “最佳”（body 第 1 块第 3 字）" in err
    assert ":1: 纠错 “国家卫生计生委” → “国家卫生健康委员会”（body 第 1 块第 7 字）" in err
    page = ArticlePage.objects.get(slug="warned")
    assert page.live and "国家卫生计生委" in str(page.body)  # never rewritten
    assert PageCheck.objects.get(page=page).awaiting_confirmation


def test_submit_sends_to_review_instead_of_publishing_and_records_who(tmp_path, home):
    editor = user_in_group("zhang", "科普编辑")
    now = "2026-12-01T08:00:00+08:00"
    warning = {
        "type": "emergency",
        "slug": "heat-red",
        "title": "高温红色预警",
        "summary": "",
        "body": "<p>注意防暑</p>",
        "audiences": ["elderly"],
        "hazard": "heatwave",
        "severity": "red",
        "regions": ["鄂城区"],
        "effective_from": now,
        "expires_at": "2026-12-31T08:00:00+08:00",
        "instructions": "减少外出",
    }
    path = _write(tmp_path, _article("to-review", "<p>多喝水</p>"), warning)

    call_command("import_content", str(path), "--submit", "--user", "zhang")

    article = ArticlePage.objects.get(slug="to-review")
    assert not article.live and article.owner == editor
    assert article.current_workflow_state.workflow.name.startswith("三审")
    assert article.current_workflow_state.requested_by == editor
    emergency = EmergencyPage.objects.get(slug="heat-red")
    assert not emergency.live and emergency.current_workflow_state.workflow.name.startswith("应急快速发布")
    entry = PageLogEntry.objects.get(page=article, action="content.import")
    assert entry.user == editor and entry.data["by"] == "zhang" and entry.data["line"] == 1
    assert article.latest_revision.user == editor


def test_without_user_the_system_account_is_recorded(tmp_path, home):
    call_command("import_content", str(_write(tmp_path, _article("by-system", "<p>多喝水</p>"))))
    entry = PageLogEntry.objects.get(page__slug="by-system", action="content.import")
    assert entry.user is None and "系统账户" in entry.data["by"]


def test_unknown_user_is_refused_before_anything_is_written(tmp_path, home):
    with pytest.raises(CommandError, match="后台用户“nobody”不存在"):
        call_command(
            "import_content", str(_write(tmp_path, _article("x", "<p>多喝水</p>"))), "--user", "nobody"
        )
    assert not ArticlePage.objects.filter(slug="x").exists()


def test_unconfirmed_warnings_are_listed_for_the_dashboard(tmp_path, home):
    call_command("import_content", str(_write(tmp_path, _article("warned", "<p>顶级专家说效果最佳</p>"))))
    total, found = pages_awaiting_confirmation()
    assert total == 1
    assert found[0].page.slug == "warned" and found[0].terms == ["顶级", "最佳"]


def test_the_full_list_of_unconfirmed_warnings_is_one_click_from_the_dashboard(tmp_path, home, admin_client):
    call_command("import_content", str(_write(tmp_path, _article("warned", "<p>顶级专家说效果最佳</p>"))))
    dashboard = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("editorial_awaiting") in dashboard
    listing = admin_client.get(reverse("editorial_awaiting")).content.decode()
    assert "科普文章" in listing and "顶级、最佳" in listing

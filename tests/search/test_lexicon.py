"""The shipped everyday ↔ formal lexicon: its file, its loading and its effect on search."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from search.analysis import text_normalise
from search.lexicon.loader import lexicon_groups, lexicon_groups_add, terms_split
from search.models import SynonymGroup
from tests.factories import ArticlePageFactory

SHIPPED = lexicon_groups()


def term_set(terms: str) -> frozenset:
    return frozenset(text_normalise(t) for t in terms_split(terms))


def stored_term_sets() -> list[frozenset]:
    return [term_set(terms) for terms in SynonymGroup.objects.values_list("terms", flat=True)]


def test_shipped_lexicon_is_well_formed():
    assert len(SHIPPED) >= 220
    for terms, note in SHIPPED:
        words = terms_split(terms)
        assert 2 <= len(words) <= 6, terms
        assert all(len(w) >= 2 for w in words), terms
        assert len(set(words)) == len(words), terms
        assert note.startswith("日常用语："), note


def test_lexicon_notes_carry_category_and_line_note():
    notes = dict(SHIPPED)
    assert notes["拉肚子，腹泻，拉稀"] == "日常用语：常见症状"
    assert notes["渍水，内涝，城市内涝"] == "日常用语：天气与灾害；武汉、鄂州一带把城市内涝叫渍水"


@pytest.mark.django_db
def test_migrations_load_lexicon_and_keep_default_groups():
    stored = stored_term_sets()
    assert all(term_set(terms) in stored for terms, _ in SHIPPED)
    assert term_set("老人，老年人，长者，银发族，老年朋友") in stored  # search/0002
    assert term_set("中风，脑卒中，脑梗") in stored
    assert len(stored) == 18 + len(SHIPPED)
    assert SynonymGroup.objects.get(terms="打药，喷药，施药，打农药，喷洒农药，喷施农药").enabled


@pytest.mark.django_db
def test_load_command_is_idempotent_and_keeps_editors_changes():
    disabled = SynonymGroup.objects.get(terms="拉肚子，腹泻，拉稀")
    disabled.enabled = False
    disabled.save()
    reworded = SynonymGroup.objects.get(terms="打药，喷药，施药，打农药，喷洒农药，喷施农药")
    reworded.terms = "喷洒农药、施药 打药；喷药，打农药 喷施农药"  # same terms, editor's order and separators
    reworded.save()
    trimmed = SynonymGroup.objects.get(terms="心口疼，心口痛，胸口疼，胸口痛，胸痛")
    trimmed.terms = "心口疼，胸痛"  # an editor narrowed a shipped group; its key stays
    trimmed.save()
    before = SynonymGroup.objects.count()

    out = _command()
    assert f"新增 0 组同义词，{len(SHIPPED)} 组已存在" in out
    assert _command().startswith("新增 0 组")
    assert SynonymGroup.objects.count() == before
    disabled.refresh_from_db()
    reworded.refresh_from_db()
    assert not disabled.enabled
    assert reworded.terms == "喷洒农药、施药 打药；喷药，打农药 喷施农药"


@pytest.mark.django_db
def test_load_command_re_adds_a_deleted_group():
    # Documented: a deletion leaves no record, so editors disable groups instead.
    SynonymGroup.objects.filter(terms="脑溢血，脑出血").delete()
    assert _command().startswith("新增 1 组同义词")
    assert SynonymGroup.objects.filter(terms="脑溢血，脑出血", note="日常用语：慢性病").exists()


@pytest.mark.django_db
def test_check_only_validates_the_file():
    SynonymGroup.objects.all().delete()
    assert _command("--check") == f"词库文件无误：共 {len(SHIPPED)} 组同义词\n"
    assert not SynonymGroup.objects.exists()


@pytest.mark.django_db
def test_loader_works_on_an_empty_table_and_counts_what_it_adds():
    SynonymGroup.objects.all().delete()
    assert lexicon_groups_add(SynonymGroup) == len(SHIPPED)
    assert lexicon_groups_add(SynonymGroup) == 0


@pytest.mark.parametrize(
    "line, message",
    [
        ("拉肚子，泻", "“泻”只有一个字"),
        ("，，", "同义词组为空"),
        ("拉肚子 # 只有一个词", "只有一个词"),
        ("拉肚子，腹泻，拉肚子", "组内重复：拉肚子"),
        ("腹泻，水泻", "不能再出现在其他组"),  # "腹泻" is in the group above
    ],
)
def test_malformed_line_reports_file_and_line(tmp_path, line, message):
    path = tmp_path / "bad.txt"
    path.write_text(f"# 说明\n## 症状\n拉稀，腹泻\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"^{re.escape(str(path))}:4: .*{re.escape(message)}"):
        lexicon_groups(path)


def test_group_before_any_category_is_rejected(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("拉肚子，腹泻\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.txt:1: 同义词组前缺少“## 分类名”标题行"):
        lexicon_groups(path)


@pytest.mark.django_db
def test_command_reports_malformed_file(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("## 症状\n拉肚子，泻\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad.txt:2: “泻”只有一个字"):
        call_command("search_lexicon_load", "--check", "--path", str(path))


@pytest.mark.parametrize(
    "title, query",
    [
        ("秋季腹泻的家庭护理", "拉肚子"),
        ("水稻施药时间与剂量", "打药"),
        ("脑卒中的早期识别", "中风"),
        ("阿尔茨海默病早发现", "老年痴呆"),
        ("中华鳖的池塘养殖技术", "甲鱼"),
        ("电动自行车充电安全", "电瓶车"),
    ],
)
def test_everyday_word_finds_page_using_the_formal_word(
    search_backend, client, article_index, index_pages, title, query
):
    index_pages(ArticlePageFactory(parent=article_index, title=title))
    results = client.get("/api/v1/search/", {"q": query}).json()["results"]
    assert [re.sub(r"</?mark>", "", r["title"]) for r in results] == [title]

    SynonymGroup.objects.update(enabled=False)  # the groups, not the analysis, find it
    assert client.get("/api/v1/search/", {"q": query}).json()["count"] == 0


def _command(*args) -> str:
    out = StringIO()
    call_command("search_lexicon_load", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_editors_find_the_lexicon_groups_in_the_admin(admin_client):
    html = admin_client.get("/admin/snippets/search/synonymgroup/", {"q": "日常用语"}).content.decode()
    assert "血糖高、高血糖" in html and "日常用语：慢性病" in html
    assert "老人、老年人" not in html

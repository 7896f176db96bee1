"""The 错敏词 engine: folding like search, positions in the author's own text, exceptions, the list's
health (a broken list never blocks anyone), and edits seen by every process."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone

from editorial import engine
from editorial.engine import Place, Term, WordList
from editorial.models import WordEntry

LIST = WordList(
    [
        Term("包治百病", "block", suggestion="删除"),
        Term("国家卫生计生委", "correct", suggestion="国家卫生健康委员会"),
        Term("100%治愈", "block"),
        Term("第一", "warn", exceptions=("第一时间",)),
        Term("covid", "warn"),
    ]
)


def hits(text):
    return [(hit.term.phrase, hit.matched, hit.start) for hit in LIST.find(Place("body", "正文", text))]


def test_plain_hit_with_position():
    assert hits("这种药包治百病。") == [("包治百病", "包治百病", 3)]


def test_traditional_full_width_and_case_variants_are_caught_in_the_authors_own_characters():
    assert hits("據國家衛生計生委通報") == [("国家卫生计生委", "國家衛生計生委", 1)]
    assert hits("号称１００％治愈") == [("100%治愈", "１００％治愈", 2)]
    assert hits("关于COVID的说明") == [("covid", "COVID", 2)]


def test_position_survives_characters_that_fold_to_several():
    # "㎡" folds to "m2": the hit must still point at the author's characters after it.
    [(phrase, matched, start)] = hits("每㎡包治百病")
    assert (matched, start) == ("包治百病", 2)


def test_exceptions_suppress_only_the_covered_occurrence():
    assert hits("请第一时间撤离") == []
    assert [h[2] for h in hits("第一时间撤离，效果第一")] == [9]


def test_check_orders_block_then_warn_then_correct_and_keys_the_warning_set():
    result = LIST.check([Place("title", "标题", "第一：国家卫生计生委说包治百病")])
    assert [hit.term.level for hit in result.hits] == ["block", "warn", "correct"]
    assert result.warning_terms == ["第一"]
    assert result.warning_key and result.warning_key != LIST.check([]).warning_key


def test_hit_describes_its_place_and_context():
    [hit] = LIST.find(Place("body.2", "正文第 2 块（正文段落）", "专家提醒：此药包治百病是假的"))
    assert hit.position == "正文第 2 块（正文段落）第 8 字"
    assert "【包治百病】" in hit.context


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("phrase", "message"),
    [("", "不能为空"), ("  ", "不能为空"), ("最", "至少 2 个字"), ("包治百病", "词库中已有")],
)
def test_bad_entries_are_refused_in_chinese(phrase, message):
    entry = WordEntry(phrase=phrase, level="warn")
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert message in str(error.value.message_dict["phrase"])


@pytest.mark.django_db
def test_traditional_spelling_of_an_existing_entry_is_a_duplicate():
    entry = WordEntry(phrase="國家衛生計生委", level="warn")
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "繁简" in str(error.value.message_dict["phrase"])


@pytest.mark.django_db
def test_correction_needs_its_correct_form():
    with pytest.raises(ValidationError) as error:
        WordEntry(phrase="按裝工具", level="correct").full_clean()
    assert "建议写法" in str(error.value.message_dict["suggestion"])


@pytest.mark.django_db
def test_shipped_list_is_loaded_with_the_required_expressions():
    levels = dict(WordEntry.objects.values_list("phrase", "level"))
    for phrase in ("包治百病", "根治", "无任何副作用", "祖传秘方"):
        assert levels[phrase] == "block"
    for phrase in ("最佳", "第一"):
        assert levels[phrase] == "warn"
    suggestions = dict(WordEntry.objects.values_list("phrase", "suggestion"))
    assert suggestions["国家卫生计生委"] == "国家卫生健康委员会"
    assert suggestions["国家安全监管总局"] == "应急管理部"
    assert suggestions["农业部"] == "农业农村部"
    assert suggestions["中华人民共合国"] == "中华人民共和国"
    assert suggestions["再接再励"] == "再接再厉"
    assert suggestions["按装"] == "安装"


@pytest.mark.django_db
def test_an_edit_made_elsewhere_is_used_on_the_next_check():
    """Another process writes the row; this process sees the version move and rebuilds."""
    place = [Place("body", "正文", "本品疗效显著")]
    assert not engine.current_list().check(place).hits
    WordEntry.objects.create(phrase="疗效显著", level="warn")
    assert [h.term.phrase for h in engine.current_list().check(place).hits] == ["疗效显著"]
    WordEntry.objects.filter(phrase="疗效显著").update(level="block", updated_at=timezone.now())
    assert engine.current_list().check(place).blocked
    WordEntry.objects.filter(phrase="疗效显著").delete()
    assert not engine.current_list().check(place).hits


@pytest.mark.django_db
def test_a_broken_list_falls_back_to_the_last_good_one_and_says_so(monkeypatch):
    assert engine.current_list().check([Place("t", "标题", "包治百病")]).blocked

    def broken():
        raise DatabaseError("no such table")

    monkeypatch.setattr(engine, "list_version", broken)
    fallback = engine.current_list()
    assert "上次可用的词库" in fallback.problem
    assert fallback.check([Place("t", "标题", "包治百病")]).blocked


@pytest.mark.django_db
def test_with_nothing_kept_the_fallback_is_the_shipped_list(monkeypatch):
    monkeypatch.setitem(engine._process, "list", None)
    monkeypatch.setattr(engine.cache, "get", lambda key: None)
    monkeypatch.setattr(engine, "list_version", lambda: (_ for _ in ()).throw(DatabaseError("down")))
    fallback = engine.current_list()
    assert "内置初始词库" in fallback.problem
    assert fallback.check([Place("t", "标题", "祖传秘方")]).blocked


@pytest.mark.django_db
def test_unusable_rows_are_skipped_and_reported():
    WordEntry.objects.create(phrase="好的词语", level="warn")
    WordEntry.objects.filter(phrase="好的词语").update(phrase="好", folded="好", updated_at=timezone.now())
    word_list = engine.current_list()
    assert ("好", "词语至少 2 个字") in word_list.skipped
    assert word_list.check([Place("t", "标题", "包治百病")]).blocked  # the rest still works

"""The analysis pipeline both backends share."""

from search.analysis import index_text, query_analyse, text_normalise
from search.highlight import snippet_build


def test_normalise_folds_width_script_and_case():
    assert text_normalise("ＡＩ換臉　颱風") == "ai换脸 台风"


def test_index_text_has_words_and_bigrams():
    tokens = index_text("预防溺水").split()
    assert "预防" in tokens and "溺水" in tokens  # words
    assert "防溺" in tokens  # bigram across the word boundary


def test_query_drops_stop_words_and_lone_characters():
    clauses = query_analyse("孩子游泳要注意什么").clauses
    assert [(c.word, c.role) for c in clauses if c.homophone_of is None] == [
        ("孩子", "context"),
        ("游泳", "core"),
    ]


def test_fillers_go_and_a_known_word_gets_its_homophones_as_a_separate_clause():
    clauses = query_analyse("我家孩子想去河里有用咋整").clauses
    words = [c.word for c in clauses if c.homophone_of is None]
    assert "咋整" not in words and "有用" in words
    homophone = next(c for c in clauses if c.homophone_of == words.index("有用"))
    assert (
        homophone.alternatives == ["pyyouyong"] and homophone.role == "context"
    )  # 游泳, when 有用 is on no page


def test_query_expands_synonyms_and_spells_long_words_as_bigram_phrases():
    clause = query_analyse("银发族", {"银发族": ["老人", "老年人", "夕阳红族"]}).clauses[0]
    # A synonym term is no typo: no pinyin alternative (its homophones are other words).
    assert clause.alternatives == ["银发族", "老人", "老年人", "夕阳红族"]
    # The typed word and synonyms unknown to the dictionary are also spelled as bigram phrases.
    assert ["银发", "发族"] in clause.phrases and ["夕阳", "阳红", "红族"] in clause.phrases
    assert ["老年", "年人"] not in clause.phrases  # a dictionary word is one index token already


def test_traditional_and_full_width_queries_analyse_like_simplified():
    assert query_analyse("颱風　來了").clauses == query_analyse("台风来了").clauses
    assert query_analyse("ＣＰＲ").clauses[0].word == "cpr"


def test_snippet_escapes_everything_but_mark():
    snippet = snippet_build('<script>alert("x")</script> 防溺水 <b>要点</b>', ["溺水"])
    assert "<script" not in snippet and "&lt;/script&gt;" in snippet
    assert "<mark>溺水</mark>" in snippet and "<b>" not in snippet


def test_homophone_typos_share_a_pinyin_token():
    assert query_analyse("中署").clauses[0].pinyin == "pyzhongshu"
    # A dictionary word is not a typo: 编程 must not find 变成, nor 地陷 find 底线.
    assert query_analyse("编程").clauses[0].pinyin is None
    assert query_analyse("地陷").clauses[0].pinyin is None
    assert "pyzhongshu" in index_text("预防中暑").split()
    assert "pyzhongshu" not in query_analyse("中署").highlight_terms

"""The search analyzer (catalog.fulltext.analyzer): pure Python, no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.fulltext.analyzer import (
    SearchQuery,
    analyze,
    highlight_spans,
    parse_query,
    render_fts5,
    render_fts5_excluded,
    render_tsquery,
    render_tsquery_excluded,
    title_words,
    tokens,
)


def marked(text, q):
    return [text[start:end] for start, end in highlight_spans(text, q)]


class AnalyzeTests:
    def test_cjk_runs_become_overlapping_pairs(self):
        assert analyze("目标检测") == "目标 标检 检测"
        assert analyze("卷积") == "卷积"

    def test_single_cjk_character_stays_itself(self):
        assert analyze("卷") == "卷"
        assert analyze("图 与 网络") == "图 与 网络"

    def test_latin_words_are_lowercased_and_split_at_punctuation(self):
        assert analyze("AWD-LSTM: Regularizing, word2vec!") == (
            "awd lstm regularizing word2vec"
        )

    def test_full_width_ascii_is_normalised(self):
        assert analyze("ＢＥＲＴ－ｂａｓｅ １２３") == "bert base 123"

    def test_mixed_scripts_are_cut_where_they_meet(self):
        assert analyze("BERT预训练模型") == "bert 预训 训练 练模 模型"
        assert analyze("基于LSTM的模型") == "基于 lstm 的模 模型"

    def test_cjk_punctuation_separates_runs(self):
        assert analyze("生成对抗网络：综述") == "生成 成对 对抗 抗网 网络 综述"
        assert analyze("ニューラル・ネットワーク") == (
            "ニュ ュー ーラ ラル ネッ ット トワ ワー ーク"
        )

    def test_kana_and_hangul_are_cjk(self):
        assert tokens("ひらがな") == ["ひら", "らが", "がな"]
        assert tokens("한국어") == ["한국", "국어"]

    def test_empty_and_missing_text(self):
        assert analyze("") == ""
        assert analyze(None) == ""
        assert analyze("!!! ・ ？") == ""

    def test_diacritics_are_removed_from_words_but_not_from_kana(self):
        assert analyze("Naïve Schrödinger İstanbul") == "naive schrodinger istanbul"
        assert analyze("がくしゅう") == "がく くし しゅ ゅう"

    def test_overlong_tokens_are_dropped(self):
        assert analyze("a" * 101 + " ok") == "ok"

    def test_title_words_are_latin_words_of_three_or_more_letters(self):
        assert title_words(analyze("The R2D2 of GANs: 生成对抗网络 at ICLR")) == {
            "the",
            "gans",
            "iclr",
        }


class ParseQueryTests:
    def test_words_are_terms(self):
        assert parse_query("LSTM language") == SearchQuery(terms=("lstm", "language"))

    def test_quoted_text_is_a_phrase(self):
        query = parse_query('"language model" lstm')

        assert query.phrases == ("language model",)
        assert query.terms == ("lstm",)

    def test_minus_excludes_a_word_or_a_phrase(self):
        query = parse_query('lstm -awd -"language model"')

        assert query.terms == ("lstm",)
        assert query.excluded == ("awd", "language model")

    def test_cjk_run_is_a_phrase_of_its_pairs(self):
        query = parse_query("生成对抗网络")

        assert query.phrases == ("生成对抗网络",)
        assert render_tsquery(query) == (
            "('生成' <-> '成对' <-> '对抗' <-> '抗网' <-> '网络')"
        )

    def test_two_character_cjk_word_is_a_single_pair(self):
        assert parse_query("卷积") == SearchQuery(terms=("卷积",))

    def test_mixed_chunk_is_split_into_separate_words(self):
        assert parse_query("BERT预训练") == SearchQuery(
            terms=("bert",), phrases=("预训练",)
        )

    def test_punctuated_word_is_a_phrase(self):
        assert parse_query("AWD-LSTM") == SearchQuery(phrases=("awd-lstm",))

    def test_curly_and_full_width_quotes_work(self):
        assert parse_query("“神经网络”").phrases == ("神经网络",)
        assert parse_query("＂language model＂").phrases == ("language model",)

    def test_unbalanced_quote_runs_to_the_end(self):
        assert parse_query('lstm "language model').phrases == ("language model",)

    def test_stop_words_are_dropped_from_words_but_kept_in_phrases(self):
        assert parse_query("the transformer OR an lstm") == SearchQuery(
            terms=("transformer", "lstm")
        )
        assert parse_query('"all you need"').phrases == ("all you need",)
        assert parse_query('"the a"').is_empty

    def test_duplicates_are_dropped(self):
        assert parse_query("lstm LSTM lstm").terms == ("lstm",)

    def test_str_gives_the_normalised_query(self):
        assert str(parse_query('LSTM  "Language Model" -AWD 神经网络')) == (
            'lstm "language model" 神经网络 -awd'
        )

    @pytest.mark.parametrize(
        "q", ["", None, "   ", '"', '""', "-", "--", "*", ":", "OR", "&|!", "・"]
    )
    def test_junk_is_an_empty_query(self, q):
        query = parse_query(q)

        assert query.is_empty
        assert not query
        assert render_tsquery(query) == render_fts5(query) == ""

    def test_very_long_queries_are_bounded(self):
        query = parse_query(" ".join(f"word{i}" for i in range(1000)))

        assert len(query.terms) <= 24


class RenderTests:
    def test_tsquery_ands_terms_chains_phrases_and_negates_exclusions(self):
        query = parse_query('lstm "language model" -awd')

        assert render_tsquery(query) == ("'lstm' & ('language' <-> 'model') & !'awd'")

    def test_fts5_quotes_every_token_and_uses_not(self):
        query = parse_query('lstm "language model" -awd 神经网络')

        assert render_fts5(query) == (
            '("lstm" AND "language model" AND "神经 经网 网络") NOT ("awd")'
        )

    def test_single_cjk_character_is_a_prefix(self):
        query = parse_query("卷")

        assert render_tsquery(query) == "'卷':*"
        assert render_fts5(query) == '"卷" *'

    def test_exclusion_only_query_renders_the_exclusions_apart(self):
        query = parse_query("-lstm -awd")

        assert render_tsquery(query) == render_fts5(query) == ""
        assert render_tsquery_excluded(query) == "'lstm' | 'awd'"
        assert render_fts5_excluded(query) == '"lstm" OR "awd"'

    @given(st.text(max_size=200))
    def test_any_text_renders_safely(self, q):
        query = parse_query(q)
        tsquery = render_tsquery(query) + render_tsquery_excluded(query)
        fts5 = render_fts5(query) + render_fts5_excluded(query)

        # No token holds a quote, backslash or space: quotes delimit operands.
        items = query.positive + query.excluded
        for token in (t for item in items for t in tokens(item)):
            assert not set(token) & set("'\"\\ ")
        assert tsquery.count("'") % 2 == 0
        assert fts5.count('"') % 2 == 0

    @given(st.text(max_size=200))
    def test_documents_and_queries_tokenize_alike(self, text):
        # A text searched for as a phrase is found in its own document.
        assert " ".join(tokens(text)) in analyze(text)


class HighlightSpansTests:
    def test_marks_words_case_insensitively(self):
        assert marked("LSTM and lstm", "Lstm") == ["LSTM", "lstm"]

    def test_long_words_match_by_their_first_letters(self):
        assert marked("Regularization, regularizing, regular", "regularizing") == [
            "Regularization",
            "regularizing",
        ]

    def test_short_words_match_whole_words_and_plurals(self):
        assert marked("GANs and GAN, not gang", "gan") == ["GANs", "GAN"]

    def test_cjk_runs_match_as_written(self):
        assert marked("卷积神经网络和神经系统", "神经网络") == ["神经网络"]
        assert marked("BERT预训练", "bert 预训练") == ["BERT", "预训练"]

    def test_phrases_match_across_punctuation(self):
        assert marked("Short-term memory and short memory", '"short term"') == [
            "Short-term"
        ]

    def test_excluded_words_and_stop_words_are_not_marked(self):
        assert marked("The LSTM and the AWD", "the lstm -awd") == ["LSTM"]

    def test_full_width_letters_and_accents_are_marked_too(self):
        assert marked("ＢＥＲＴ and naïve Bayes", "bert naive") == ["ＢＥＲＴ", "naïve"]
        assert marked("nai\u0308ve", "naive") == ["nai\u0308ve"]

    def test_nothing_to_mark(self):
        assert highlight_spans("", "lstm") == []
        assert highlight_spans("lstm", "") == []
        assert highlight_spans("lstm", '"') == []

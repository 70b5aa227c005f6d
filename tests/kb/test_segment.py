"""Segmentation: the words the index stores and a query looks for."""

from __future__ import annotations

import pytest

from hotline.kb import EmptyQueryError, index_text, query_terms, words


def test_a_question_in_plain_words_keeps_only_its_meaningful_word():
    assert words("我家停电了怎么办？") == ["停电"]


def test_search_mode_adds_the_words_inside_a_compound():
    assert words("故障报修") == ["故障", "报修", "故障报修"]


@pytest.mark.parametrize("term", ["95598", "峰谷电价", "停复电", "户号", "预付费", "阶梯电价"])
def test_hotline_terms_stay_whole(term):
    assert term in words(f"请问{term}怎么办理")


def test_punctuation_and_spaces_are_dropped_and_ascii_lowercased():
    assert index_text("APP（电费）， E-mail!") == "app 电费 e mail"


def test_query_terms_are_distinct_and_in_order():
    assert query_terms("停电 停电 报修") == ["停电", "报修"]


@pytest.mark.parametrize("query", ["，。！？", "   ", "...!!!", "怎么办？", "的了吗"])
def test_a_query_with_no_words_is_refused(query):
    with pytest.raises(EmptyQueryError, match="no words to look for"):
        query_terms(query)

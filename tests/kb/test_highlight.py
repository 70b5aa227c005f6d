"""Highlights: escaped text, <mark> around the words searched for."""

from __future__ import annotations

from hotline.kb import mark, snippet


def test_everything_but_the_marks_is_escaped():
    html = mark('<script>alert("停电")</script> 停电 & 报修', ["停电"])
    assert html == (
        "&lt;script&gt;alert(&quot;<mark>停电</mark>&quot;)&lt;/script&gt; "
        "<mark>停电</mark> &amp; 报修"
    )


def test_the_whole_word_wins_over_the_words_inside_it():
    assert mark("故障报修和报修", ["故障", "报修", "故障报修"]) == (
        "<mark>故障报修</mark>和<mark>报修</mark>"
    )


def test_ascii_is_matched_regardless_of_case():
    assert mark("下载 APP", ["app"]) == "下载 <mark>APP</mark>"


def test_a_snippet_shows_the_text_around_the_first_found_word():
    text = "甲" * 100 + "停电" + "乙" * 100
    html = snippet(text, ["停电"], chars=40)
    assert html == "…" + "甲" * 16 + "<mark>停电</mark>" + "乙" * 22 + "…"


def test_a_snippet_without_a_found_word_starts_at_the_beginning():
    assert snippet("第一行\n第二行<b>", ["停电"], chars=80) == "第一行 第二行&lt;b&gt;"

"""Phrase rules: 服务禁语 found on characters and on homophones but not in unrelated
text, 规范用语 only inside their window, the suggestions per form question, and the
95598 example section."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from hotline.core.config import ConfigError, parse_yaml, validate
from hotline.quality.rules import (
    GAP,
    PhraseRules,
    PhraseRulesModel,
    find_phrase,
    normalise,
)
from hotline.quality.transcripts import Channel, Segment

EXAMPLE_95598 = """\
# 95598: 服务忌语 (《供电服务规范》第十一条) and 规范用语 — hotline.quality.rules
pinyin: true
same_chars: 0.5
rules:
  - id: forbidden
    kind: forbidden
    title: 服务忌语
    question: forbidden
    phrases: [喂喂, 你找谁, 你叫什么, 说大点声, 什么事呀, 在听吗, 这我怎么知道,
              不可能, 这是我们的规定, 我也没办法, 不知道, 我们做不了, 没办法, 这个您不懂,
              别再来电话了, 快点儿, 这不归我们管, 你自己去问]
    unless: [不知道您是否, 不知道您方不方便]
  - id: greeting
    kind: required
    title: 开头语
    question: greeting
    within_first_s: 15
    phrases: [您好…请问有什么可以帮您, 早上好…请问需要什么帮助, 中午好…请问需要什么帮助,
              晚上好…请问需要什么帮助]
  - id: more_help
    kind: required
    title: 询问是否还有其他需要
    question: more_help
    within_last_s: 60
    phrases: [请问还有什么可以帮您, 请问还需要什么帮助]
  - id: goodbye
    kind: required
    title: 结束语
    within_last_s: 20
    phrases: [再见]
"""


def rules(*items: dict[str, Any], **options: Any) -> PhraseRules:
    return PhraseRules(PhraseRulesModel.model_validate({"rules": list(items), **options}))


FORBIDDEN = {"id": "forbidden", "kind": "forbidden", "question": "forbidden",
             "phrases": ["不知道", "这不归我们管", "你自己去问"]}  # fmt: skip


def agent(start: float, end: float, text: str) -> Segment:
    return Segment(start, end, text, "agent")


def said(text: str, channel: Channel = "agent") -> list[Segment]:
    return [Segment(1.0, 3.0, text, channel)]


# --- matching --------------------------------------------------------------------------


def test_text_is_matched_without_punctuation_spaces_case_or_full_width() -> None:
    assert normalise("Ａ，b 不！知道") == ("ab不知道", (0, 2, 4, 6, 7))
    assert [f.text for f in find_phrase("这，不归 我们管！", "这不归我们管")] == ["这，不归 我们管"]
    assert find_phrase("ＡＢＣ不知道", "abc不知道")[0].by == "characters"


def test_a_forbidden_phrase_is_found_on_characters_with_its_time() -> None:
    report = rules(FORBIDDEN).check([agent(0.0, 2.0, "您好"), agent(5.5, 8.0, "这个我也不知道。")])
    (hit,) = report.hits
    assert (hit.rule, hit.phrase, hit.text, hit.by) == (
        "forbidden",
        "不知道",
        "不知道",
        "characters",
    )
    assert (hit.start, hit.end) == (5.5, 8.0)
    assert report.suggestions == {"forbidden": "no"}
    assert [o.rule for o in report.failed] == ["forbidden"]


@pytest.mark.parametrize(
    ("text", "phrase", "heard"),
    [
        ("这个我也不知到", "不知道", "不知到"),
        ("这不归我们馆，您找物业", "这不归我们管", "这不归我们馆"),
        ("那你自己去闻吧", "你自己去问", "你自己去闻"),
        ("部知道啊", "不知道", "部知道"),
    ],
)
def test_a_recognizers_homophone_slip_still_matches_by_pinyin(
    text: str, phrase: str, heard: str
) -> None:
    (hit,) = rules(FORBIDDEN).check(said(text)).hits
    assert (hit.phrase, hit.text, hit.by) == (phrase, heard, "pinyin")


@pytest.mark.parametrize(
    "text",
    [
        "好的，我知道了",  # 知道 without 不
        "您知道户号吗",
        "我们已经布置到各个供电所了",  # bu zhi dao, but no character the same
        "这我怎么说呢",
        "不止到这里",  # bu zhi dao again, one character of three the same
        "这归我们管，您放心",  # the 不 is what makes it forbidden
    ],
)
def test_unrelated_text_is_no_hit(text: str) -> None:
    report = rules(FORBIDDEN).check(said(text))
    assert report.hits == []
    assert report.suggestions == {"forbidden": "yes"}


def test_the_caller_saying_a_forbidden_phrase_is_not_the_agents_fault() -> None:
    segments = [Segment(1, 2, "我不知道户号", "caller"), agent(2, 4, "没关系，我帮您查")]
    report = rules(FORBIDDEN).check(segments)
    assert report.hits == []
    assert report.suggestions == {"forbidden": "yes"}


def test_pinyin_matching_can_be_turned_off_or_made_strict() -> None:
    assert rules(FORBIDDEN, pinyin=False).check(said("我不知到")).hits == []
    assert rules(FORBIDDEN, same_chars=1.0).check(said("我不知到")).hits == []
    assert len(rules(FORBIDDEN, same_chars=0.6).check(said("我不知到")).hits) == 1  # 2 of 3
    assert rules(FORBIDDEN, same_chars=0.7).check(said("我不知到")).hits == []


def test_an_unless_phrase_spares_a_polite_use_and_only_that() -> None:
    rule = FORBIDDEN | {"unless": ["不知道您是否"]}
    report = rules(rule).check(
        [agent(0, 3, "不知道您是否方便留个电话？"), agent(10, 12, "这个我真不知道")]
    )
    assert [(h.text, h.start) for h in report.hits] == [("不知道", 10)]


def test_a_phrase_split_across_segments_is_found_with_the_time_of_both() -> None:
    rule = {"id": "more_help", "kind": "required", "phrases": ["请问还有什么可以帮您"]}
    report = rules(rule).check([agent(30, 31.5, "请问还有什么"), agent(31.6, 33, "可以帮您？")])
    (hit,) = report.hits
    assert (hit.text, hit.start, hit.end) == ("请问还有什么可以帮您", 30, 33)


def test_an_ellipsis_stands_for_up_to_gap_characters() -> None:
    greeting = "您好…请问有什么可以帮您"
    assert find_phrase("您好，国家电网，工号1234，请问有什么可以帮您？", greeting)
    assert find_phrase("您好" + "啊" * GAP + "请问有什么可以帮您", greeting)
    assert not find_phrase("您好" + "啊" * (GAP + 1) + "请问有什么可以帮您", greeting)
    assert not find_phrase("请问有什么可以帮您，您好", greeting)  # in that order only


def test_a_longer_phrase_and_the_shorter_one_inside_it_are_one_hit() -> None:
    rule = {"id": "f", "kind": "forbidden", "phrases": ["没办法", "我也没办法"]}
    report = rules(rule).check(said("这是规定，我也没办法。真没办法"))
    assert [(h.phrase, h.text) for h in report.hits] == [("我也没办法", "我也没办法"),
                                                         ("没办法", "没办法")]  # fmt: skip


# --- windows and suggestions -------------------------------------------------------------

GREETING = {"id": "greeting", "kind": "required", "question": "greeting", "within_first_s": 15,
            "phrases": ["您好…请问有什么可以帮您"]}  # fmt: skip
MORE_HELP = {"id": "more_help", "kind": "required", "question": "more_help",
             "within_last_s": 60, "phrases": ["请问还有什么可以帮您"]}  # fmt: skip


def test_a_required_phrase_counts_only_inside_its_window() -> None:
    on_time = [agent(1.0, 4.0, "您好，工号1001，请问有什么可以帮您"), agent(20, 25, "好的")]
    late = [agent(1.0, 4.0, "喂，哪位"), agent(16.0, 19.0, "您好，请问有什么可以帮您")]
    check = rules(GREETING).check
    assert check(on_time).suggestions == {"greeting": "yes"}
    assert check(late).suggestions == {"greeting": "no"}
    assert check(late).hits == []
    straddling = [agent(14.9, 18.0, "您好，请问有什么可以帮您")]  # begun inside the window
    assert check(straddling).suggestions == {"greeting": "yes"}


def test_the_last_seconds_count_back_from_the_recordings_end() -> None:
    segments = [
        agent(0, 3, "您好"),
        agent(100, 103, "请问还有什么可以帮您？"),
        agent(110, 111, "再见"),
    ]
    check = rules(MORE_HELP).check
    assert check(segments).suggestions == {"more_help": "yes"}  # 111 - 60 = 51 < 103
    assert check(segments, duration=160).suggestions == {"more_help": "yes"}  # ends 103 > 100
    assert check(segments, duration=163.5).suggestions == {"more_help": "no"}  # 103 < 103.5


def test_a_question_answered_by_several_rules_is_no_when_any_fails() -> None:
    extra = {"id": "blame", "kind": "forbidden", "question": "forbidden", "phrases": ["你自己去问"]}
    both = rules(FORBIDDEN, extra)
    assert both.questions == {"forbidden": ["forbidden", "blame"]}
    assert both.check(said("您好，请稍等")).suggestions == {"forbidden": "yes"}
    assert both.check(said("你自己去问供电所")).suggestions == {"forbidden": "no"}
    report = rules(GREETING, MORE_HELP, FORBIDDEN).check(
        [agent(0.5, 3, "您好，请问有什么可以帮您"), agent(40, 44, "这个不归我们管")]
    )
    assert report.suggestions == {"greeting": "yes", "more_help": "no", "forbidden": "yes"}


def test_a_silent_channel_suggests_nothing() -> None:
    report = rules(GREETING, FORBIDDEN).check([Segment(0, 5, "喂？有人吗", "caller")])
    assert report.suggestions == {}
    assert report.failed == []
    assert [o.heard for o in report.outcomes] == [False, False]
    assert rules(GREETING).check([agent(0, 1, "……")]).suggestions == {}


# --- the section as configured -----------------------------------------------------------


def test_the_95598_example_flags_a_realistic_call() -> None:
    model = validate(parse_yaml(EXAMPLE_95598, file="qa.yaml"), PhraseRulesModel)
    report = PhraseRules(model).check(
        [
            agent(0.8, 4.2, "您好，国家电网，工号一零零一，请问有什么可以帮您？"),
            Segment(4.5, 9.0, "我家停电了，物业说找你们", "caller"),
            agent(9.5, 14.0, "不知道您是否方便提供户号？"),
            agent(30.0, 35.0, "小区里面的线路这不归我们馆，你自己去问物业吧"),
            agent(80.0, 83.0, "请问还有什么可以帮您？"),
            agent(84.0, 85.0, "感谢来电，再见。"),
        ],
        duration=86.0,
    )
    assert [(h.rule, h.text, h.by) for h in report.hits] == [
        ("greeting", "您好，国家电网，工号一零零一，请问有什么可以帮您", "characters"),
        ("forbidden", "这不归我们馆", "pinyin"),
        ("forbidden", "你自己去问", "characters"),
        ("more_help", "请问还有什么可以帮您", "characters"),
        ("goodbye", "再见", "characters"),
    ]
    assert report.suggestions == {"forbidden": "no", "greeting": "yes", "more_help": "yes"}


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("rules:\n  - {id: a, kind: forbidden, phrases: []}\n", "qa.yaml:2:30: rules.0.phrases"),
        ("rules:\n  - {id: a, kind: banned, phrases: [x]}\n", "qa.yaml:2:13: rules.0.kind"),
        ("rules:\n  - {id: a, kind: forbidden, phrases: ['，！']}\n", "nothing to match"),
        ("rules:\n  - {id: a, kind: required, phrases: ['您好…']}\n", "an empty side of …"),
        ("rules:\n  - {id: a, kind: required, phrases: [x], within_first_s: 5,"
         " within_last_s: 5}\n", "within_first_s or within_last_s, not both"),
        ("rules:\n  - {id: a, kind: forbidden, phrases: [x]}\n"
         "  - {id: a, kind: forbidden, phrases: [y]}\n", "rule a is given twice"),
        ("rules:\n  - {id: a, kind: forbidden, phrases: [x], chanel: agent}\n", "rules.0.chanel"),
        ("same_chars: 2\nrules: []\n", "qa.yaml:1:1: same_chars"),
    ],
)  # fmt: skip
def test_a_wrong_section_is_refused_naming_the_place(section: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        validate(parse_yaml(section, file="qa.yaml"), PhraseRulesModel)
    assert message in str(caught.value)


def test_a_rule_defaults_to_the_agents_channel_and_no_window() -> None:
    rule = PhraseRulesModel.model_validate({"rules": [FORBIDDEN]}).rules[0]
    assert (rule.channel, rule.within_first_s, rule.within_last_s) == ("agent", None, None)
    with pytest.raises(ValidationError):
        PhraseRulesModel.model_validate({"rules": [FORBIDDEN | {"channel": "customer"}]})

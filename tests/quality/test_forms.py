"""Evaluation forms (质检评分表): the example loads, scores add up as a person would add
them, fatal and critical items, N/A and conditions, versions, and bad files named by
file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.core.config import ConfigError
from hotline.quality.forms import AnswerError, Form, load_forms, parse_forms

EXAMPLE = Path(__file__).parents[2] / "examples" / "95598" / "qa.yaml"


def best(form: Form) -> dict[str, str | int]:
    """Every question answered as well as it can be."""
    return {q.id: "yes" if q.kind == "yes_no" else q.steps for q in form.questions}


def test_the_example_form_has_weights_adding_up_to_100_and_scores_100_at_best() -> None:
    form = load_forms(EXAMPLE).get("95598")
    assert form.version == 1
    assert sum(q.weight for q in form.questions) == pytest.approx(100.0)
    assert {q.id for q in form.questions if q.fatal} == {"forbidden", "disconnect"}
    score = form.score(best(form))
    assert score.value == 100.0
    assert score.fatal == ()
    assert score.critical == ()


def test_a_score_is_the_points_earned_over_the_weights_that_apply_by_hand() -> None:
    form = load_forms(EXAMPLE).get("95598")
    answers = best(form) | {
        "identity": "na",  # 10 out of the form
        "listening": 4,  # 12 × 3/4 = 9
        "accuracy": "no",  # 0 of 20, critical
        "order_needed": "no",  # so order_correct (15) is not asked
        "courtesy": 3,  # 10 × 2/4 = 5
        "more_help": "no",  # 0 of 4
    }
    del answers["order_correct"]
    score = form.score(answers)
    possible = 100 - 10 - 15
    earned = 8 + 9 + 0 + 12 + 5 + 5 + 0 + 4
    assert score.value == pytest.approx(round(100 * earned / possible, 2))
    assert score.critical == ("accuracy",)
    assert score.fatal == ()
    assert score.sections["opening"] == 100.0  # greeting 8 of 8, identity N/A
    assert score.sections["handling"] == pytest.approx(round(100 * 21 / 44, 2))


def test_a_fatal_item_failed_scores_the_call_zero_and_keeps_what_was_earned() -> None:
    form = load_forms(EXAMPLE).get("95598")
    score = form.score(best(form) | {"forbidden": "no"})
    assert score.value == 0.0
    assert score.earned == 100.0
    assert score.fatal == ("forbidden",)


def test_answers_the_form_cannot_take_are_refused_naming_the_question() -> None:
    form = load_forms(EXAMPLE).get("95598")
    answers = best(form)
    del answers["accuracy"]
    with pytest.raises(AnswerError, match="accuracy: no answer"):
        form.score(answers)
    with pytest.raises(AnswerError, match="'maybe' is not one of yes / no"):
        form.score(best(form) | {"greeting": "maybe"})
    with pytest.raises(AnswerError, match="greeting: 'na'"):  # N/A only where allowed
        form.score(best(form) | {"greeting": "na"})
    with pytest.raises(AnswerError, match="6 is not one of 1 / 2 / 3 / 4 / 5"):
        form.score(best(form) | {"courtesy": 6})
    with pytest.raises(AnswerError, match="'mood' is not a question of form 95598 v1"):
        form.score(best(form) | {"mood": "yes"})


FORM = """\
forms:
  - id: f
    version: 1
    title: T
    sections:
      - id: s
        title: S
        questions:
          - {id: a, text: A, weight: 60}
          - {id: b, text: B, weight: 40, answer: scale, scale: 3}
  - id: f
    version: 2
    title: T2
    sections:
      - id: s
        title: S
        questions:
          - {id: a, text: A, weight: 100}
"""


def test_every_version_is_kept_and_the_newest_is_current() -> None:
    forms = parse_forms(FORM)
    assert forms.get("f").version == 2
    assert forms.get("f", 1).score({"a": "yes", "b": 2}).value == 80.0  # 60 + 40 × 1/2
    assert [f.key for f in forms.current()] == ["f v2"]
    with pytest.raises(KeyError):
        forms.get("f", 3)


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("weight: 40, answer", "weight: 30, answer", 5, "add up to 90, not 100"),
        ("version: 2", "version: 1", 12, "form f version 1 is given twice"),
        ("answer: scale, scale: 3", "answer: scale", 10, "needs scale: N steps"),
        (
            "{id: b, text: B, weight: 40",
            "{id: b, text: B, weight: 40, fatal: true",
            10,
            "a fatal item is a yes/no question",
        ),
        (
            "{id: a, text: A, weight: 60}",
            "{id: a, text: A, weight: 60, when: {question: b, answer: 1}}",
            9,
            "'b' is no question before this one",
        ),
        (
            "{id: b, text: B, weight: 40",
            "{id: b, text: B, weight: 40, when: {question: a, answer: 2}",
            10,
            "a is answered yes / no",
        ),
        ("weight: 60", "weight: lots", 9, "valid number"),
    ],
)
def test_a_bad_form_file_is_refused_naming_file_and_line(old, new, line, message) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_forms(FORM.replace(old, new, 1), file="qa.yaml")
    text = str(caught.value)
    assert message in text
    assert f"qa.yaml:{line}" in text, text


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_valid_answers_score_between_0_and_100_and_a_fatal_no_scores_0(data) -> None:
    form = load_forms(EXAMPLE).get("95598")
    answers = {q.id: data.draw(st.sampled_from(q.allowed()), label=q.id) for q in form.questions}
    score = form.score(answers)
    assert 0.0 <= score.value <= 100.0
    assert 0.0 <= score.earned <= 100.0
    failed_fatal = [q.id for q in form.questions if q.fatal and answers[q.id] == "no"]
    assert (score.value == 0.0) or not failed_fatal
    assert list(score.fatal) == failed_fatal

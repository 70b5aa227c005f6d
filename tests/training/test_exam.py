"""Exam papers: drawn the same for the same attempt, scored as a person marks them by hand
(single choice exact, multiple choice all or nothing, true/false), bad answers refused."""

from __future__ import annotations

import pytest

from hotline.training.config import parse_training
from hotline.training.exam import AnswerError, draw, normal_answer, score
from tests.training.conftest import RIGHT, SMALL

CONFIG = parse_training(SMALL)
PAPER = CONFIG.banks["b"].questions  # q1 single B, q2 multiple A+C, q3 true, q4 false


def test_every_question_right_scores_100() -> None:
    result = score(PAPER, RIGHT)
    assert (result.score, result.right, result.total, result.wrong) == (100.0, 4, 4, ())


def test_multiple_choice_is_all_or_nothing_and_blank_is_wrong() -> None:
    answers = {
        "b.q1": "b",  # right (letters in any case)
        "b.q2": ["A"],  # one of the two right letters: wrong, no part marks
        "b.q3": True,  # right
    }  # q4 not answered: wrong
    result = score(PAPER, answers)
    # by hand: 2 right of 4 → 50
    assert (result.score, result.right, result.wrong) == (50.0, 2, ("b.q2", "b.q4"))
    assert result.answers == {"b.q1": ["B"], "b.q2": ["A"], "b.q3": ["true"], "b.q4": []}


def test_a_wrong_letter_beside_the_right_ones_fails_a_multiple_choice() -> None:
    result = score(PAPER, RIGHT | {"b.q2": ["C", "A", "D"], "b.q3": "false"})
    assert (result.score, result.wrong) == (50.0, ("b.q2", "b.q3"))
    assert score(PAPER, RIGHT | {"b.q2": ["C", "A"]}).score == 100.0  # order does not matter


def test_scores_are_rounded_to_two_decimals() -> None:
    config = parse_training(
        SMALL.replace(
            "questions: 4, minutes: 30, pass_score: 75", "questions: 3, minutes: 30, pass_score: 75"
        )
    )
    paper = draw(config, config.exams["e1"], "seed")
    right = {q.key: RIGHT[q.key] for q in paper[:2]}
    assert score(paper, right).score == 66.67  # 2 of 3


@pytest.mark.parametrize(
    ("key", "given", "words"),
    [
        ("b.q1", ["A", "B"], "a single choice question takes one option"),
        ("b.q1", "D", "'D' is not one of A, B, C"),
        ("b.q3", "A", "answer true or false"),
        ("b.q2", True, "answer an option letter"),
    ],
)
def test_an_answer_a_question_cannot_take_is_refused_naming_it(key, given, words) -> None:
    question = next(q for q in PAPER if q.key == key)
    with pytest.raises(AnswerError) as caught:
        normal_answer(question, given)
    assert words in caught.value.message
    assert caught.value.details["question"] == key


def test_a_key_not_on_the_paper_is_refused() -> None:
    with pytest.raises(AnswerError, match=r"'b\.q9' is not a question of this paper"):
        score(PAPER, {"b.q9": "A"})


def test_the_same_seed_draws_the_same_paper_and_others_differ() -> None:
    from hotline.training.config import load_training
    from tests.training.conftest import EXAMPLE

    config = load_training(EXAMPLE / "training.yaml")
    exam = config.exams["certify"]  # 15 of 36
    first = draw(config, exam, "certify:9001:1")
    assert first == draw(config, exam, "certify:9001:1")
    assert len(first) == 15 == len({q.key for q in first})
    papers = {tuple(q.key for q in draw(config, exam, f"certify:9001:{n}")) for n in range(1, 6)}
    assert len(papers) == 5

"""An exam paper: drawing its questions and scoring the answers (pure, no storage).

The questions are drawn at random from the exam's banks with a generator seeded by the
attempt (``exam:agent:number``), and the paper is kept with the attempt, so reloading the
page shows the same paper and a later edit of the bank does not change a paper already
given. Every question weighs the same: the score is 100 × right / drawn, to two
decimals. A single choice question is right when the one letter given is the right one;
a multiple choice question only when exactly the right letters are given (all or
nothing); a true/false question when the answer matches. An unanswered question is wrong.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hotline.core.errors import HotlineError
from hotline.training.config import Exam, Question, TrainingConfig

__all__ = [
    "AnswerError",
    "Given",
    "Result",
    "draw",
    "normal_answer",
    "paper_question",
    "score",
]

Given = bool | str | Sequence[str] | None
"""An answer as sent: ``"B"``, ``["A", "C"]``, ``true`` / ``false``, or none."""


class AnswerError(HotlineError):
    """An answer a question cannot take (the message names the question)."""

    error_id = "invalid-answer"


def draw(config: TrainingConfig, exam: Exam, seed: str) -> tuple[Question, ...]:
    """`exam.questions` distinct questions of the exam's banks, in drawn order; the same
    `seed` draws the same paper."""
    pool = config.pool(exam)
    return tuple(random.Random(seed).sample(pool, exam.questions))


def normal_answer(question: Question, given: Given) -> tuple[str, ...]:
    """An answer as the paper keeps it (letters upper case and in order; ``("true",)``);
    ``()`` for no answer. Raises `AnswerError` for a letter the question has not, two
    letters to a single choice question, or a letter to a true/false one."""
    if given is None or given == "" or (not isinstance(given, str | bool) and not given):
        return ()
    if question.type == "true_false":
        if isinstance(given, bool):
            return ("true" if given else "false",)
        if isinstance(given, str) and given.strip().lower() in ("true", "false"):
            return (given.strip().lower(),)
        raise AnswerError(f"{question.key}: answer true or false", question=question.key)
    if isinstance(given, bool):
        raise AnswerError(f"{question.key}: answer an option letter", question=question.key)
    letters = [given] if isinstance(given, str) else list(given)
    picked = sorted({str(letter).strip().upper() for letter in letters})
    for letter in picked:
        if letter not in question.letters:
            options = ", ".join(question.letters)
            raise AnswerError(
                f"{question.key}: {letter!r} is not one of {options}", question=question.key
            )
    if question.type == "single" and len(picked) > 1:
        raise AnswerError(
            f"{question.key}: a single choice question takes one option", question=question.key
        )
    return tuple(picked)


@dataclass(frozen=True, slots=True)
class Result:
    """A scored paper: `score` out of 100, `right` of `total`, the keys answered wrong
    (or not at all) in paper order, and the answers as kept."""

    score: float
    right: int
    total: int
    wrong: tuple[str, ...]
    answers: dict[str, list[str]]


def score(paper: Sequence[Question], answers: Mapping[str, Given]) -> Result:
    """Score `answers` against the paper; raises `AnswerError` for a key not on the paper
    or an answer a question cannot take."""
    keys = {q.key for q in paper}
    for key in answers:
        if key not in keys:
            raise AnswerError(f"{key!r} is not a question of this paper", question=key)
    kept: dict[str, list[str]] = {}
    wrong: list[str] = []
    for question in paper:
        answer = normal_answer(question, answers.get(question.key))
        kept[question.key] = list(answer)
        if answer != question.answer:
            wrong.append(question.key)
    total = len(paper)
    right = total - len(wrong)
    value = round(100.0 * right / total, 2) if total else 0.0
    return Result(value, right, total, tuple(wrong), kept)


def paper_question(question: Question, *, reveal: bool) -> dict[str, Any]:
    """A paper's question as stored with the attempt and shown on the page; the answer,
    explanation and KB topic only with `reveal` (after the paper is handed in)."""
    shown: dict[str, Any] = {
        "key": question.key,
        "type": question.type,
        "text": question.text,
        "options": list(question.options),
    }
    if reveal:
        shown |= {
            "answer": list(question.answer),
            "explanation": question.explanation,
            "kb": question.kb,
        }
    return shown


def stored_question(data: Mapping[str, Any]) -> Question:
    """A paper's question read back from the attempt (as `paper_question` with reveal)."""
    return Question(
        key=str(data["key"]),
        type=str(data["type"]),
        text=str(data["text"]),
        options=tuple(str(o) for o in data.get("options", ())),
        answer=tuple(str(a) for a in data.get("answer", ())),
        explanation=str(data.get("explanation", "")),
        kb=str(data.get("kb", "")),
    )

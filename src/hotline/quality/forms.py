"""Evaluation forms (质检评分表) from configuration, and scoring an evaluation against one.

A form (``qa.yaml`` beside hotline.yaml) has sections of questions. Each question has a
weight; a form's weights add up to 100, so a score is points out of 100. Answers:

- ``yes_no``: yes earns the weight, no earns nothing;
- ``scale`` of N steps (1 … N): step k earns weight × (k − 1) / (N − 1);
- any question with ``na: true`` may be answered N/A: its weight leaves the form, and the
  points earned are rescaled to 100 over the weights that remain.

A question ``when: {question: q, answer: a}`` applies only when question q (earlier in the
form) was answered a; otherwise it counts as N/A. A **fatal** item (yes/no: a 服务禁语, a
wrong disconnect) answered no fails the whole evaluation: its score is 0, whatever the
rest earned. A **critical** item answered no (or at the lowest step) is flagged, and the
score stands. Forms are versioned: one file keeps every version of a form (``id`` and
``version``), so a score made on an old version is read with that version.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from hotline.core.config import ConfigError, ConfigProblem, YamlDocument, load_model, parse_yaml
from hotline.core.config import validate as validate_model
from hotline.core.errors import HotlineError

__all__ = [
    "Answer",
    "AnswerError",
    "Form",
    "Forms",
    "Question",
    "Score",
    "Section",
    "load_forms",
    "normal_answer",
    "parse_forms",
]

Answer = str | int
"""``"yes"``, ``"no"``, ``"na"``, or a scale step 1 … N."""

Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WhenModel(_Model):
    question: Name
    answer: str | int


class QuestionModel(_Model):
    id: Name
    text: str = Field(min_length=1, max_length=500)
    weight: Annotated[float, Field(ge=0, le=100)]
    answer: Literal["yes_no", "scale"] = "yes_no"
    scale: Annotated[int, Field(ge=2, le=10)] | None = None  # steps, with answer: scale
    na: bool = False
    fatal: bool = False
    critical: bool = False
    when: WhenModel | None = None
    help: str = ""


class SectionModel(_Model):
    id: Name
    title: str = Field(min_length=1, max_length=200)
    questions: list[QuestionModel] = Field(min_length=1)


class FormModel(_Model):
    id: Name
    version: Annotated[int, Field(ge=1)]
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    sections: list[SectionModel] = Field(min_length=1)


class FormsFile(_Model):
    forms: list[FormModel] = Field(min_length=1)
    # the policies around the forms, checked by `hotline.quality.config.QaFile`
    sampling: dict[str, object] | None = None
    speech: dict[str, object] | None = None
    phrases: dict[str, object] | None = None


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    weight: float
    kind: Literal["yes_no", "scale"]
    steps: int  # 2 for yes/no
    na: bool
    fatal: bool
    critical: bool
    when: tuple[str, Answer] | None
    help: str

    def allowed(self) -> tuple[Answer, ...]:
        base: tuple[Answer, ...] = (
            ("yes", "no") if self.kind == "yes_no" else tuple(range(1, self.steps + 1))
        )
        return (*base, "na") if self.na else base

    def points(self, answer: Answer) -> float:
        """Points earned by `answer` (not N/A)."""
        if self.kind == "yes_no":
            return self.weight if answer == "yes" else 0.0
        assert isinstance(answer, int)
        return self.weight * (answer - 1) / (self.steps - 1)

    def failed(self, answer: Answer) -> bool:
        """No, or the lowest step of a scale."""
        return answer == "no" or (answer == 1 and self.kind == "scale")


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class Form:
    id: str
    version: int
    title: str
    description: str
    sections: tuple[Section, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def applies(self, question: Question, answers: Mapping[str, Answer]) -> bool:
        """Whether `question` is asked, given the answers to the questions before it."""
        if question.when is None:
            return True
        other, expected = question.when
        return _same(answers.get(other), expected)

    def score(self, answers: Mapping[str, Answer]) -> Score:
        """The evaluation's score; raises `AnswerError` naming the question for an
        unknown question, an answer the question does not take, or a missing answer."""
        known = {q.id for q in self.questions}
        for question_id in answers:
            if question_id not in known:
                raise AnswerError(f"{question_id!r} is not a question of form {self.key}",
                                  question=question_id)  # fmt: skip
        earned = possible = 0.0
        fatal: list[str] = []
        critical: list[str] = []
        sections: dict[str, tuple[float, float]] = {}
        for section in self.sections:
            got = out_of = 0.0
            for q in section.questions:
                answer = answers.get(q.id)
                if not self.applies(q, answers):
                    continue  # not asked: N/A
                if answer is None:
                    raise AnswerError(f"{q.id}: no answer ({q.text})", question=q.id)
                answer = normal_answer(answer)
                if answer not in q.allowed():
                    choices = " / ".join(str(a) for a in q.allowed())
                    raise AnswerError(f"{q.id}: {answer!r} is not one of {choices}", question=q.id)
                if answer == "na":
                    continue
                got += q.points(answer)
                out_of += q.weight
                if q.failed(answer):
                    if q.fatal:
                        fatal.append(q.id)
                    if q.critical:
                        critical.append(q.id)
            sections[section.id] = (got, out_of)
            earned += got
            possible += out_of
        value = 100.0 * earned / possible if possible > 0 else 100.0
        return Score(
            form=self.id,
            version=self.version,
            value=0.0 if fatal else round(value, 2),
            earned=round(value, 2),
            fatal=tuple(fatal),
            critical=tuple(critical),
            sections={
                sid: (round(100.0 * g / o, 2) if o > 0 else None)
                for sid, (g, o) in sections.items()
            },
        )

    @property
    def key(self) -> str:
        return f"{self.id} v{self.version}"


@dataclass(frozen=True, slots=True)
class Score:
    """An evaluation's result: `value` out of 100 (0 when a fatal item failed),
    `earned` what the answers earned before the fatal rule, the fatal and critical items
    failed, and each section's points out of 100 (None: all of it N/A)."""

    form: str
    version: int
    value: float
    earned: float
    fatal: tuple[str, ...]
    critical: tuple[str, ...]
    sections: Mapping[str, float | None]


class AnswerError(HotlineError):
    """An answer the form cannot take (the message names the question)."""

    error_id = "invalid-answer"


@dataclass(frozen=True, slots=True)
class Forms:
    """Every version of every form in a file."""

    forms: tuple[Form, ...]

    def get(self, form_id: str, version: int | None = None) -> Form:
        """A form's `version`, or its newest; raises KeyError."""
        found = [f for f in self.forms if f.id == form_id]
        if version is not None:
            found = [f for f in found if f.version == version]
        if not found:
            raise KeyError(form_id if version is None else f"{form_id} v{version}")
        return max(found, key=lambda f: f.version)

    def current(self) -> list[Form]:
        """The newest version of each form, in file order of first appearance."""
        seen: list[str] = []
        for f in self.forms:
            if f.id not in seen:
                seen.append(f.id)
        return [self.get(form_id) for form_id in seen]


def normal_answer(answer: Answer) -> Answer:
    """Answers as the form keeps them: words lower case, digits as steps."""
    if isinstance(answer, bool):  # YAML or JSON true/false: yes/no
        return "yes" if answer else "no"
    if isinstance(answer, str):
        text = answer.strip().lower()
        return int(text) if text.isascii() and text.isdigit() else text
    return answer


def _same(answer: Answer | None, expected: Answer) -> bool:
    return answer is not None and normal_answer(answer) == normal_answer(expected)


def load_forms(path: str | os.PathLike[str]) -> Forms:
    """Read and check a ``qa.yaml``; raises `ConfigError` listing every problem."""
    model, document = load_model(path, FormsFile)
    return build_forms(document, model)


def parse_forms(text: str, *, file: str = "<string>") -> Forms:
    """As `load_forms`, from text."""
    document = parse_yaml(text, file=file)
    return build_forms(document, validate_model(document, FormsFile))


def build_forms(document: YamlDocument, model: FormsFile) -> Forms:
    """The checked forms; raises `ConfigError` for what one key alone cannot say: weights
    not adding up to 100, a duplicate form version or question, a condition on a later
    or unknown question or on an answer it cannot take, a fatal item that is not yes/no,
    a scale without its steps."""
    problems: list[ConfigProblem] = []

    def bad(path: tuple[str | int, ...], message: str) -> None:
        problems.append(document.problem(path, message))

    forms: list[Form] = []
    versions: set[tuple[str, int]] = set()
    for fi, f in enumerate(model.forms):
        at: tuple[str | int, ...] = ("forms", fi)
        if (f.id, f.version) in versions:
            bad((*at, "version"), f"form {f.id} version {f.version} is given twice")
        versions.add((f.id, f.version))
        total = sum(q.weight for s in f.sections for q in s.questions)
        if abs(total - 100.0) > 1e-6:
            bad((*at, "sections"), f"the weights of form {f.id} v{f.version} add up to "
                                   f"{total:g}, not 100")  # fmt: skip
        earlier: dict[str, Question] = {}
        sections: list[Section] = []
        for si, s in enumerate(f.sections):
            questions: list[Question] = []
            for qi, q in enumerate(s.questions):
                where = (*at, "sections", si, "questions", qi)
                if q.id in earlier:
                    bad((*where, "id"), f"question {q.id} is given twice")
                steps = 2
                if q.answer == "scale":
                    if q.scale is None:
                        bad(where, "a scale question needs scale: N steps")
                    steps = q.scale or 2
                elif q.scale is not None:
                    bad((*where, "scale"), "scale: is for answer: scale")
                if q.fatal and q.answer != "yes_no":
                    bad((*where, "fatal"), "a fatal item is a yes/no question")
                when: tuple[str, Answer] | None = None
                if q.when is not None:
                    other = earlier.get(q.when.question)
                    if other is None:
                        missing = f"{q.when.question!r} is no question before this one"
                        bad((*where, "when", "question"), missing)
                    elif normal_answer(q.when.answer) not in other.allowed():
                        choices = " / ".join(str(a) for a in other.allowed())
                        bad((*where, "when", "answer"), f"{q.when.question} is answered {choices}")
                    when = (q.when.question, normal_answer(q.when.answer))
                question = Question(q.id, q.text, q.weight, q.answer, steps, q.na, q.fatal,
                                    q.critical, when, q.help)  # fmt: skip
                earlier[q.id] = question
                questions.append(question)
            sections.append(Section(s.id, s.title, tuple(questions)))
        forms.append(Form(f.id, f.version, f.title, f.description, tuple(sections)))
    if problems:
        raise ConfigError(problems)
    return Forms(tuple(forms))

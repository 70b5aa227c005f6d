"""The training file (``training.yaml`` beside hotline.yaml): stages, question banks, exams,
the targeted-training rule and the role checklists (KBI), checked whole.

- **stages** (新员工培训阶段): ordered, each with the exam that ends it, its pass score
  (default: the exam's) and the least days an agent spends in it (``min_days``);
- **banks** (题库): questions of three types — ``single`` (单选: one letter), ``multiple``
  (多选: every right letter, no wrong one) and ``true_false`` (判断: true / false) — each
  with its answer, an explanation shown after the exam and the KB topic it comes from;
- **exams** (考试): drawn from one or more banks (``questions`` of them at random), with a
  time limit in minutes and a pass score out of 100; ``open: true`` makes an exam open to
  every agent at any time (月度考试), else it is taken as a stage's or a task's exam;
- **targeted** (针对性培训): an agent whose average QA score over ``lookback_days`` is under
  ``threshold`` gets a task: study the KB topics and case-library calls named, then pass
  ``exam``;
- **checklists** (现场运营关键行为 KBI 检查表): per post (运营主管, 信息员, 班长, 客服专员),
  items with their requirement and time limit (``daily``, ``weekly``, ``monthly``,
  ``per_shift`` — the shifts named in ``shifts``).

A wrong file is refused whole: every problem as ``file:line:column: key: message``.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from hotline.core.config import ConfigError, ConfigProblem, YamlDocument, load_model, parse_yaml
from hotline.core.config import validate as validate_model

__all__ = [
    "LIMITS",
    "QUESTION_TYPES",
    "Bank",
    "Checklist",
    "ChecklistItem",
    "Exam",
    "Question",
    "Stage",
    "Targeted",
    "TrainingConfig",
    "load_training",
    "parse_training",
]

Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Text = Annotated[str, Field(min_length=1, max_length=500)]
Score = Annotated[float, Field(ge=0, le=100)]
QuestionType = Literal["single", "multiple", "true_false"]
Limit = Literal["daily", "weekly", "monthly", "per_shift"]
QUESTION_TYPES: tuple[str, ...] = ("single", "multiple", "true_false")
LIMITS: tuple[str, ...] = ("daily", "weekly", "monthly", "per_shift")
LETTERS = string.ascii_uppercase


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StageModel(_Model):
    id: Name
    title: Text
    order: Annotated[int, Field(ge=1, le=99)]
    exam: Name | None = None
    pass_score: Score | None = None
    min_days: Annotated[float, Field(ge=0, le=365)] = 0
    description: str = Field(default="", max_length=1000)


class QuestionModel(_Model):
    id: Name
    type: QuestionType
    text: Text
    options: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=26
    )
    answer: bool | str | list[str]
    explanation: str = Field(default="", max_length=1000)
    kb: str = Field(default="", max_length=200)


class BankModel(_Model):
    id: Name
    title: Text
    questions: list[QuestionModel] = Field(min_length=1)


class ExamModel(_Model):
    id: Name
    title: Text
    banks: list[Name] = Field(min_length=1)
    questions: Annotated[int, Field(ge=1, le=500)]
    minutes: Annotated[int, Field(ge=1, le=600)]
    pass_score: Score = 60
    open: bool = False
    description: str = Field(default="", max_length=1000)


class StudyModel(_Model):
    kb: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default_factory=list)
    cases: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default_factory=list)


class TargetedModel(_Model):
    threshold: Score
    lookback_days: Annotated[int, Field(ge=1, le=366)] = 30
    min_evaluations: Annotated[int, Field(ge=1, le=1000)] = 1
    exam: Name
    study: StudyModel = StudyModel()
    due_days: Annotated[int, Field(ge=1, le=366)] = 7


class ItemModel(_Model):
    id: Name
    category: str = Field(default="", max_length=100)
    text: Text
    requirement: Text
    limit: Limit


class ChecklistModel(_Model):
    role: Name
    title: Text
    user_role: Literal["agent", "shift_lead", "supervisor", "qa", "planner", "admin"] | None = None
    description: str = Field(default="", max_length=1000)
    items: list[ItemModel] = Field(min_length=1)


class TrainingFile(_Model):
    stages: list[StageModel] = Field(min_length=1)
    banks: list[BankModel] = Field(min_length=1)
    exams: list[ExamModel] = Field(min_length=1)
    targeted: TargetedModel | None = None
    shifts: list[Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[^/]+$")]] = Field(
        default_factory=lambda: ["白班", "夜班"], min_length=1
    )
    checklists: list[ChecklistModel] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Question:
    """One bank question; `key` is ``bank.id``; `answer` the right letters in order
    (``("B",)``, ``("A", "C")``) or ``("true",)`` / ``("false",)`` for true/false."""

    key: str
    type: str
    text: str
    options: tuple[str, ...]
    answer: tuple[str, ...]
    explanation: str
    kb: str

    @property
    def letters(self) -> tuple[str, ...]:
        """The answers it takes: the options' letters, or true and false."""
        if self.type == "true_false":
            return ("true", "false")
        return tuple(LETTERS[: len(self.options)])


@dataclass(frozen=True, slots=True)
class Bank:
    id: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class Exam:
    id: str
    title: str
    banks: tuple[str, ...]
    questions: int
    minutes: int
    pass_score: float
    open: bool
    description: str


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    title: str
    order: int
    exam: str | None
    pass_score: float | None
    min_days: float
    description: str


@dataclass(frozen=True, slots=True)
class Targeted:
    threshold: float
    lookback_days: int
    min_evaluations: int
    exam: str
    kb: tuple[str, ...]
    cases: tuple[str, ...]
    due_days: int


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: str
    category: str
    text: str
    requirement: str
    limit: str


@dataclass(frozen=True, slots=True)
class Checklist:
    """One post's KBI checklist; `user_role` the console role whose users hold the post
    (None: a post no console role stands for, e.g. 信息员)."""

    role: str
    title: str
    user_role: str | None
    description: str
    items: tuple[ChecklistItem, ...]

    def item(self, item_id: str) -> ChecklistItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


@dataclass(frozen=True, slots=True)
class TrainingConfig:
    """The checked file; `stages` in their order."""

    stages: tuple[Stage, ...]
    banks: dict[str, Bank]
    exams: dict[str, Exam]
    targeted: Targeted | None
    shifts: tuple[str, ...]
    checklists: dict[str, Checklist]

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def next_stage(self, stage_id: str) -> Stage | None:
        """The stage after `stage_id` (None after the last)."""
        ids = [s.id for s in self.stages]
        at = ids.index(stage_id)
        return self.stages[at + 1] if at + 1 < len(self.stages) else None

    def pool(self, exam: Exam) -> tuple[Question, ...]:
        """Every question an exam may draw, bank by bank in file order."""
        return tuple(q for bank in exam.banks for q in self.banks[bank].questions)

    def pass_score(self, exam_id: str, stage_id: str | None = None) -> float:
        """The score that passes `exam_id`: the stage's own when taken for `stage_id`."""
        if stage_id is not None:
            own = self.stage(stage_id).pass_score
            if own is not None:
                return own
        return self.exams[exam_id].pass_score


def load_training(path: str | os.PathLike[str]) -> TrainingConfig:
    """Read and check a ``training.yaml``; raises `ConfigError` listing every problem."""
    model, document = load_model(path, TrainingFile)
    return build_training(document, model)


def parse_training(text: str, *, file: str = "<string>") -> TrainingConfig:
    """As `load_training`, from text."""
    document = parse_yaml(text, file=file)
    return build_training(document, validate_model(document, TrainingFile))


def _answer(q: QuestionModel, bad: _Bad, at: tuple[str | int, ...]) -> tuple[str, ...]:
    """A question's right answer as kept, after checking it fits the question's type."""
    where = (*at, "answer")
    if q.type == "true_false":
        if q.options:
            bad((*at, "options"), "a true/false question has no options")
        if not isinstance(q.answer, bool):
            bad(where, "a true/false question is answered true or false")
            return ("true",)
        return ("true" if q.answer else "false",)
    letters = LETTERS[: len(q.options)]
    if len(q.options) < 2:
        bad((*at, "options"), f"a {q.type} choice question needs at least 2 options")
    given = [q.answer] if isinstance(q.answer, str) else q.answer
    if isinstance(given, bool) or not given:
        bad(where, f"the answer is option letters ({', '.join(letters) or 'A, B …'})")
        return ("A",)
    picked = [str(g).strip().upper() for g in given]
    if q.type == "single" and len(picked) != 1:
        bad(where, "a single choice question has exactly one right option")
    if len(set(picked)) != len(picked):
        bad(where, "an option is given twice")
    for letter in picked:
        if len(letter) != 1 or letter not in letters:
            bad(where, f"{letter!r} is no option of this question (options {', '.join(letters)})")
    return tuple(sorted(set(picked)))


class _Bad:
    """Collects located problems."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.problems: list[ConfigProblem] = []

    def __call__(self, path: tuple[str | int, ...], message: str) -> None:
        self.problems.append(self.document.problem(path, message))


def build_training(document: YamlDocument, model: TrainingFile) -> TrainingConfig:
    """The checked configuration; raises `ConfigError` for what one key alone cannot say:
    a duplicate id, a stage order given twice, an exam or bank named but not defined, an
    exam drawing more questions than its banks hold, an answer that does not fit its
    question, a duplicate shift name."""
    bad = _Bad(document)
    banks: dict[str, Bank] = {}
    for bi, b in enumerate(model.banks):
        if b.id in banks:
            bad(("banks", bi, "id"), f"bank {b.id} is given twice")
        questions: list[Question] = []
        seen: set[str] = set()
        for qi, q in enumerate(b.questions):
            at: tuple[str | int, ...] = ("banks", bi, "questions", qi)
            if q.id in seen:
                bad((*at, "id"), f"question {q.id} is given twice in bank {b.id}")
            seen.add(q.id)
            answer = _answer(q, bad, at)
            questions.append(
                Question(
                    f"{b.id}.{q.id}", q.type, q.text, tuple(q.options), answer, q.explanation, q.kb
                )
            )
        banks[b.id] = Bank(b.id, b.title, tuple(questions))

    exams: dict[str, Exam] = {}
    for ei, e in enumerate(model.exams):
        at = ("exams", ei)
        if e.id in exams:
            bad((*at, "id"), f"exam {e.id} is given twice")
        pool = 0
        for ni, name in enumerate(e.banks):
            if name not in banks:
                bad((*at, "banks", ni), f"no bank {name!r} (banks: {', '.join(banks)})")
            else:
                pool += len(banks[name].questions)
        if len(set(e.banks)) != len(e.banks):
            bad((*at, "banks"), "a bank is named twice")
        if pool and e.questions > pool:
            bad((*at, "questions"), f"draws {e.questions} questions but its banks hold {pool}")
        exams[e.id] = Exam(
            e.id,
            e.title,
            tuple(e.banks),
            e.questions,
            e.minutes,
            e.pass_score,
            e.open,
            e.description,
        )

    def known_exam(path: tuple[str | int, ...], exam_id: str) -> None:
        if exam_id not in exams:
            bad(path, f"no exam {exam_id!r} (exams: {', '.join(exams)})")

    stages: list[Stage] = []
    orders: set[int] = set()
    ids: set[str] = set()
    for si, s in enumerate(model.stages):
        at = ("stages", si)
        if s.id in ids:
            bad((*at, "id"), f"stage {s.id} is given twice")
        if s.order in orders:
            bad((*at, "order"), f"order {s.order} is given to two stages")
        ids.add(s.id)
        orders.add(s.order)
        if s.exam is not None:
            known_exam((*at, "exam"), s.exam)
        elif s.pass_score is not None:
            bad((*at, "pass_score"), "a stage without an exam has no pass score")
        stages.append(
            Stage(s.id, s.title, s.order, s.exam, s.pass_score, s.min_days, s.description)
        )

    targeted = None
    if model.targeted is not None:
        t = model.targeted
        known_exam(("targeted", "exam"), t.exam)
        targeted = Targeted(
            t.threshold,
            t.lookback_days,
            t.min_evaluations,
            t.exam,
            tuple(t.study.kb),
            tuple(t.study.cases),
            t.due_days,
        )

    if len(set(model.shifts)) != len(model.shifts):
        bad(("shifts",), "a shift is named twice")
    checklists: dict[str, Checklist] = {}
    for ci, c in enumerate(model.checklists):
        at = ("checklists", ci)
        if c.role in checklists:
            bad((*at, "role"), f"checklist {c.role} is given twice")
        items: list[ChecklistItem] = []
        for ii, i in enumerate(c.items):
            if any(other.id == i.id for other in items):
                bad((*at, "items", ii, "id"), f"item {i.id} is given twice in checklist {c.role}")
            items.append(ChecklistItem(i.id, i.category, i.text, i.requirement, i.limit))
        checklists[c.role] = Checklist(c.role, c.title, c.user_role, c.description, tuple(items))

    if bad.problems:
        raise ConfigError(bad.problems)
    return TrainingConfig(
        stages=tuple(sorted(stages, key=lambda s: s.order)),
        banks=banks,
        exams=exams,
        targeted=targeted,
        shifts=tuple(model.shifts),
        checklists=checklists,
    )

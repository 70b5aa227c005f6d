"""training.yaml: the example loads as the seeds describe it; a wrong file is refused whole,
every problem with its file:line:column and key."""

from __future__ import annotations

import pytest

from hotline.core.config import ConfigError
from hotline.training.config import load_training, parse_training
from tests.training.conftest import EXAMPLE, SMALL


def test_the_example_is_the_four_stage_programme_with_its_exams_and_checklists() -> None:
    config = load_training(EXAMPLE / "training.yaml")
    assert [(s.order, s.title, s.exam) for s in config.stages] == [
        (1, "岗前理论培训", "theory"),
        (2, "跟听实训", "business"),
        (3, "上线试岗", "trial"),
        (4, "独立上岗", "certify"),
    ]
    assert config.pass_score("theory", "theory") == 80
    assert config.pass_score("certify", "independent") == 90  # the exam's own
    assert [e.id for e in config.exams.values() if e.open] == ["monthly"]
    for exam in config.exams.values():
        assert exam.questions <= len(config.pool(exam))
    assert set(config.checklists) == {"agent", "team_lead", "supervisor", "info_officer"}
    assert config.checklists["team_lead"].user_role == "shift_lead"
    assert config.checklists["info_officer"].user_role is None
    assert config.targeted is not None
    assert config.targeted.exam == "refresher"
    types = {q.type for b in config.banks.values() for q in b.questions}
    assert types == {"single", "multiple", "true_false"}


def test_answers_are_kept_as_letters_in_order() -> None:
    config = parse_training(SMALL)
    q = {q.key: q for q in config.banks["b"].questions}
    assert q["b.q1"].answer == ("B",)
    assert q["b.q2"].answer == ("A", "C")
    assert q["b.q3"].answer == ("true",)
    assert q["b.q4"].answer == ("false",)
    assert q["b.q2"].letters == ("A", "B", "C", "D")


BAD = """\
stages:
  - {id: one, title: 一, order: 1, exam: nope}
  - {id: two, title: 二, order: 1, exam: e1}
banks:
  - id: b
    title: 题库
    questions:
      - {id: q1, type: single, text: 单选, options: [甲, 乙], answer: C}
      - {id: q2, type: single, text: 单选二, options: [甲, 乙], answer: [A, B]}
      - {id: q3, type: true_false, text: 判断, answer: A}
      - {id: q1, type: multiple, text: 多选, options: [甲], answer: [A]}
exams:
  - {id: e1, title: 考试, banks: [b, missing], questions: 9, minutes: 30}
  - {id: e2, title: 考试, banks: [b], questions: 2, minutes: 0}
targeted: {threshold: 80, exam: e9}
checklists:
  - role: agent
    title: 坐席
    items:
      - {id: a, text: 项, requirement: 要求, limit: hourly}
"""


def test_a_wrong_file_is_refused_with_every_problem_located() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_training(BAD, file="training.yaml")
    lines = str(caught.value).splitlines()
    assert lines == [
        "training.yaml:14:51: exams.1.minutes: Input should be greater than or equal to 1",
        "training.yaml:20:43: checklists.0.items.0.limit: Input should be 'daily', 'weekly', "
        "'monthly' or 'per_shift'",
    ]  # the file is refused before the checks across keys
    fixed = BAD.replace("minutes: 0", "minutes: 5").replace("hourly", "daily")
    with pytest.raises(ConfigError) as caught:
        parse_training(fixed, file="training.yaml")
    assert str(caught.value).splitlines() == [
        "training.yaml:8:59: banks.0.questions.0.answer: 'C' is no option of this question "
        "(options A, B)",
        "training.yaml:9:60: banks.0.questions.1.answer: a single choice question has exactly "
        "one right option",
        "training.yaml:10:46: banks.0.questions.2.answer: a true/false question is answered "
        "true or false",
        "training.yaml:11:10: banks.0.questions.3.id: question q1 is given twice in bank b",
        "training.yaml:11:44: banks.0.questions.3.options: a multiple choice question needs "
        "at least 2 options",
        "training.yaml:13:36: exams.0.banks.1: no bank 'missing' (banks: b)",
        "training.yaml:13:46: exams.0.questions: draws 9 questions but its banks hold 4",
        "training.yaml:2:35: stages.0.exam: no exam 'nope' (exams: e1, e2)",
        "training.yaml:3:25: stages.1.order: order 1 is given to two stages",
        "training.yaml:15:27: targeted.exam: no exam 'e9' (exams: e1, e2)",
    ]


def test_the_example_file_is_checked_by_its_loader_from_disk(tmp_path) -> None:
    path = tmp_path / "training.yaml"
    path.write_text(SMALL.replace("answer: B", "answer: Z"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_training(path)
    assert str(caught.value) == (
        f"{path}:9:62: banks.0.questions.0.answer: 'Z' is no option of this question "
        "(options A, B, C)"
    )

"""A training desk on a copy of the example site (its training.yaml replaced when a test
says so) and a fresh SQLite database."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hotline.site.config import Site
from hotline.store.db.database import Database
from hotline.training.service import TrainingDesk

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "95598"

SMALL = """\
stages:
  - {id: one, title: 岗前理论, order: 1, exam: e1, min_days: 5}
  - {id: two, title: 跟听实训, order: 2, exam: e2, pass_score: 90, min_days: 2}
  - {id: three, title: 独立上岗, order: 3, exam: e2, min_days: 0}
banks:
  - id: b
    title: 题库
    questions:
      - {id: q1, type: single, text: 单选, options: [甲, 乙, 丙], answer: B}
      - {id: q2, type: multiple, text: 多选, options: [甲, 乙, 丙, 丁], answer: [A, C]}
      - {id: q3, type: true_false, text: 判断, answer: true}
      - {id: q4, type: true_false, text: 判断二, answer: false, explanation: 因为, kb: 停电报修}
exams:
  - {id: e1, title: 考试一, banks: [b], questions: 4, minutes: 30, pass_score: 75}
  - {id: e2, title: 考试二, banks: [b], questions: 4, minutes: 30, pass_score: 50}
  - {id: open, title: 月考, banks: [b], questions: 2, minutes: 10, open: true}
targeted:
  threshold: 80
  lookback_days: 30
  min_evaluations: 2
  exam: e2
  study: {kb: [服务话术], cases: [案例一]}
checklists:
  - role: agent
    title: 客服专员
    user_role: agent
    items:
      - {id: d, text: 每日, requirement: 要求, limit: daily}
      - {id: w, text: 每周, requirement: 要求, limit: weekly}
      - {id: s, text: 每班, requirement: 要求, limit: per_shift}
"""

RIGHT = {"b.q1": "B", "b.q2": ["A", "C"], "b.q3": True, "b.q4": False}
"""Every question of the small bank answered right."""


@pytest.fixture
def make_desk(tmp_path: Path) -> Iterator[Callable[[str | None], TrainingDesk]]:
    opened: list[Database] = []

    def make(training: str | None = SMALL) -> TrainingDesk:
        folder = tmp_path / f"site{len(opened)}"
        shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("history.csv"))
        if training is not None:
            (folder / "training.yaml").write_text(training, encoding="utf-8")
        db = Database.open(f"sqlite:///{tmp_path / f'training{len(opened)}.db'}")
        opened.append(db)
        return TrainingDesk(Site.load(folder / "hotline.yaml"), db)

    yield make
    for db in opened:
        db.close()


@pytest.fixture
def desk(make_desk: Callable[[str | None], TrainingDesk]) -> TrainingDesk:
    return make_desk(SMALL)

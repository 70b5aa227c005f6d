"""The point rules of 激励积分, from ``incentives.yaml`` beside hotline.yaml.

Every section is optional; a section left out earns nothing. Points are whole numbers.

- ``qa``: per scored evaluation (质检评分), its latest score (after a dispute's review)
  falls in one band — ``{min: 95, points: 10}`` is a score of 95 or more, ``{below: 60,
  points: -5}`` a score under 60; a score in no band earns nothing. The ``min`` bands
  are written highest first and may not overlap a ``below`` band. An evaluation failed
  on a fatal item (致命项) earns ``fatal`` instead of its band.
- ``satisfaction``: per survey score (满意度评价) 1 … 5 of a call the agent answered, the
  points of that score (a score not listed earns nothing).
- ``attendance``: per shift of the published schedule (排班) that has ended: ``on_time``
  when the agent logged in within the grace, ``late`` when later, ``absent`` when never.
- ``cases``: when a call of the agent goes into the case library (案例库) as a ``good``
  (优秀案例) or ``bad`` (警示案例) case.
- ``manual``: how many points one grant by a lead (表扬信 …) may give or take at most.
- ``awards``: monthly titles (服务之星 …) for the first ``top`` places of each team, ranked
  by points or by average QA score, among agents with at least ``min_evaluations``
  scored evaluations that month (and, by points, at least ``min_points`` points).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from hotline.core.config import ConfigError, ConfigProblem, YamlDocument, load_model, parse_yaml
from hotline.core.config import validate as validate_model

__all__ = [
    "Award",
    "Band",
    "IncentiveRules",
    "load_rules",
    "parse_rules",
]

Points = Annotated[int, Field(ge=-1000, le=1000)]
Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BandModel(_Model):
    min: Annotated[float, Field(ge=0, le=100)] | None = None
    below: Annotated[float, Field(gt=0, le=100)] | None = None
    points: Points


class QaModel(_Model):
    bands: list[BandModel] = Field(min_length=1)
    fatal: Points = 0


class SatisfactionModel(_Model):
    points: dict[Annotated[int, Field(ge=1, le=5)], Points] = Field(min_length=1)


class AttendanceModel(_Model):
    on_time: Points = 0
    late: Points = 0
    absent: Points = 0


class CasesModel(_Model):
    good: Points = 0
    bad: Points = 0


class ManualModel(_Model):
    limit: Annotated[int, Field(ge=1, le=1000)] = 50


class AwardModel(_Model):
    id: Name
    title: str = Field(min_length=1, max_length=50)
    title_en: str = Field(default="", max_length=80)
    by: Literal["points", "qa_average"] = "points"
    top: Annotated[int, Field(ge=1, le=10)] = 1
    min_evaluations: Annotated[int, Field(ge=0, le=1000)] = 0
    min_points: Annotated[int, Field(ge=-1000, le=100000)] = 1


class RulesFile(_Model):
    qa: QaModel | None = None
    satisfaction: SatisfactionModel | None = None
    attendance: AttendanceModel | None = None
    cases: CasesModel | None = None
    manual: ManualModel = ManualModel()
    awards: list[AwardModel] = Field(default_factory=list, max_length=20)


@dataclass(frozen=True, slots=True)
class Band:
    """A score band: ``min`` or more, or under ``below`` (exactly one of them)."""

    min: float | None
    below: float | None
    points: int

    def holds(self, score: float) -> bool:
        if self.min is not None:
            return score >= self.min
        assert self.below is not None
        return score < self.below

    @property
    def label(self) -> str:
        """How the band reads on an item line: ``≥ 95`` or ``< 60``."""
        return f"≥ {self.min:g}" if self.min is not None else f"< {self.below:g}"


@dataclass(frozen=True, slots=True)
class Award:
    """A monthly title for the first `top` places of each team (see the module doc)."""

    id: str
    title: str
    title_en: str
    by: Literal["points", "qa_average"]
    top: int
    min_evaluations: int
    min_points: int


@dataclass(frozen=True, slots=True)
class IncentiveRules:
    """A site's point rules; a section that is None earns nothing."""

    bands: tuple[Band, ...] | None
    fatal: int
    satisfaction: dict[int, int] | None
    attendance: tuple[int, int, int] | None
    """(on time, late, absent) points per shift."""
    cases: dict[str, int] | None
    manual_limit: int
    awards: tuple[Award, ...]

    def qa_points(self, score: float, fatal: bool) -> tuple[int, str] | None:
        """The points of one evaluation and why (``fatal`` or the band's label); None when
        QA earns nothing or the score is in no band."""
        if self.bands is None:
            return None
        if fatal:
            return self.fatal, "fatal"
        # ``min`` bands come highest first; of the ``below`` bands the tightest holds
        for band in self.bands:
            if band.min is not None and band.holds(score):
                return band.points, band.label
        under = [b for b in self.bands if b.below is not None and b.holds(score)]
        if under:
            band = min(under, key=lambda b: b.below or 0.0)
            return band.points, band.label
        return None

    def survey_points(self, score: int) -> int | None:
        if self.satisfaction is None:
            return None
        return self.satisfaction.get(score)

    def as_json(self) -> dict[str, object]:
        """The rules as the page shows them (the legend of where points come from)."""
        return {
            "qa": None
            if self.bands is None
            else {
                "bands": [{"band": b.label, "points": b.points} for b in self.bands],
                "fatal": self.fatal,
            },
            "satisfaction": None
            if self.satisfaction is None
            else {str(k): v for k, v in sorted(self.satisfaction.items(), reverse=True)},
            "attendance": None
            if self.attendance is None
            else dict(zip(("on_time", "late", "absent"), self.attendance, strict=True)),
            "cases": self.cases,
            "manual_limit": self.manual_limit,
            "awards": [
                {
                    "id": a.id,
                    "title": a.title,
                    "title_en": a.title_en,
                    "by": a.by,
                    "top": a.top,
                    "min_evaluations": a.min_evaluations,
                    "min_points": a.min_points,
                }
                for a in self.awards
            ],
        }


def load_rules(path: str | os.PathLike[str]) -> IncentiveRules:
    """Read and check an ``incentives.yaml``; raises `ConfigError` listing every problem."""
    model, document = load_model(path, RulesFile)
    return build_rules(document, model)


def parse_rules(text: str, *, file: str = "<string>") -> IncentiveRules:
    """`load_rules` for text (tests, the configuration editor)."""
    document = parse_yaml(text, file=file)
    return build_rules(document, validate_model(document, RulesFile))


def build_rules(document: YamlDocument, model: RulesFile) -> IncentiveRules:
    """The checked rules; the checks pydantic cannot make are located like its own."""
    problems: list[ConfigProblem] = []

    def bad(path: tuple[str | int, ...], message: str) -> None:
        problems.append(document.problem(path, message))

    bands: tuple[Band, ...] | None = None
    if model.qa is not None:
        bands = tuple(Band(b.min, b.below, b.points) for b in model.qa.bands)
        for i, band in enumerate(bands):
            if (band.min is None) == (band.below is None):
                bad(("qa", "bands", i), "a band has either min or below, not both or neither")
        lows = [(i, b.min) for i, b in enumerate(bands) if b.min is not None]
        for (_, high), (i, low) in itertools.pairwise(lows):
            if not low < high:
                bad(
                    ("qa", "bands", i, "min"), f"min bands go highest first: {low:g} after {high:g}"
                )
        floor = min((m for _, m in lows), default=None)
        for i, band in enumerate(bands):
            if band.below is not None and floor is not None and band.below > floor:
                bad(
                    ("qa", "bands", i, "below"),
                    f"below {band.below:g} overlaps the band min {floor:g}",
                )
    awards = tuple(
        Award(a.id, a.title, a.title_en, a.by, a.top, a.min_evaluations, a.min_points)
        for a in model.awards
    )
    seen: set[str] = set()
    for i, award in enumerate(awards):
        if award.id in seen:
            bad(("awards", i, "id"), f"award {award.id!r} is named twice")
        seen.add(award.id)
        if award.by == "qa_average" and award.min_evaluations < 1:
            bad(
                ("awards", i, "min_evaluations"),
                "an award by average QA score needs min_evaluations of 1 or more",
            )
    if problems:
        raise ConfigError(problems)
    a = model.attendance
    return IncentiveRules(
        bands=bands,
        fatal=model.qa.fatal if model.qa is not None else 0,
        satisfaction=dict(model.satisfaction.points) if model.satisfaction is not None else None,
        attendance=(a.on_time, a.late, a.absent) if a is not None else None,
        cases={"good": model.cases.good, "bad": model.cases.bad}
        if model.cases is not None
        else None,
        manual_limit=model.manual.limit,
        awards=awards,
    )

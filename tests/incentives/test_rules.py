"""incentives.yaml (hotline.incentives.rules): the example loads with the seeds' rules; a
wrong file is refused with file:line:column, the key and a plain message; a score takes
its band (highest ``min`` first, the tightest ``below``), a fatal item its own points."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.core.config import ConfigError
from hotline.incentives.rules import load_rules, parse_rules

EXAMPLE = Path(__file__).parents[2] / "examples" / "95598" / "incentives.yaml"


def test_the_example_has_the_seeds_rules() -> None:
    rules = load_rules(EXAMPLE)
    assert [(b.label, b.points) for b in rules.bands or ()] == [
        ("≥ 95", 10),
        ("≥ 90", 6),
        ("≥ 80", 2),
        ("< 60", -5),
    ]
    assert rules.fatal == -20
    assert rules.satisfaction == {5: 2, 4: 1, 2: -3, 1: -3}
    assert rules.attendance == (1, 0, -5)
    assert rules.cases == {"good": 8, "bad": 0}
    assert [(a.title, a.by, a.top, a.min_evaluations) for a in rules.awards] == [
        ("服务之星", "points", 1, 3),
        ("质量标兵", "qa_average", 1, 3),
    ]


@pytest.mark.parametrize(
    ("score", "fatal", "expected"),
    [
        (100.0, False, (10, "≥ 95")),
        (95.0, False, (10, "≥ 95")),
        (94.99, False, (6, "≥ 90")),
        (80.0, False, (2, "≥ 80")),
        (79.9, False, None),  # 60 … 80: no band, no points
        (60.0, False, None),
        (59.5, False, (-5, "< 60")),
        (0.0, True, (-20, "fatal")),  # a fatal item: its own points, not the < 60 band
    ],
)
def test_a_score_takes_its_band(score: float, fatal: bool, expected: object) -> None:
    assert load_rules(EXAMPLE).qa_points(score, fatal) == expected


def test_of_two_below_bands_the_tightest_holds() -> None:
    rules = parse_rules(
        "qa:\n  bands:\n    - {min: 90, points: 5}\n    - {below: 60, points: -5}\n"
        "    - {below: 40, points: -10}\n"
    )
    assert rules.qa_points(50, False) == (-5, "< 60")
    assert rules.qa_points(30, False) == (-10, "< 40")


def _problems(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_rules(text, file="incentives.yaml")
    return str(caught.value)


def test_an_unknown_key_is_named_with_its_line() -> None:
    text = "satisfaction:\n  points: {5: 2}\ncases:\n  good: 8\n  excellent: 12\n"
    assert "incentives.yaml:5:3: cases.excellent: unknown key 'excellent'" in _problems(text)


def test_a_survey_score_outside_one_to_five_is_refused_with_its_line() -> None:
    found = _problems("satisfaction:\n  points: {5: 2, 6: 3}\n")
    assert found.startswith("incentives.yaml:2:")
    assert "satisfaction.points" in found
    assert "less than or equal to 5" in found


def test_min_bands_out_of_order_and_overlapping_bands_are_refused_with_their_lines() -> None:
    text = (
        "qa:\n"
        "  bands:\n"
        "    - {min: 90, points: 6}\n"
        "    - {min: 95, points: 10}\n"  # line 4: not highest first
        "    - {below: 92, points: -5}\n"  # line 5: a 91 would be in two bands
        "    - {min: 50, below: 60, points: 1}\n"  # line 6: both
    )
    found = _problems(text).splitlines()
    assert any(
        p.startswith("incentives.yaml:4:") and "qa.bands.1.min: min bands go highest first" in p
        for p in found
    ), found
    assert any(p.startswith("incentives.yaml:5:") and "overlaps" in p for p in found), found
    assert any(p.startswith("incentives.yaml:6:") and "either min or below" in p for p in found), (
        found
    )


def test_an_award_by_average_needs_evaluations_and_award_ids_are_unique() -> None:
    text = (
        "awards:\n"
        "  - {id: star, title: 服务之星}\n"
        "  - {id: star, title: 质量标兵, by: qa_average, min_evaluations: 0}\n"
    )
    found = _problems(text)
    assert "incentives.yaml:3:" in found
    assert "awards.1.id: award 'star' is named twice" in found
    assert "awards.1.min_evaluations: an award by average QA score needs" in found


def test_a_wrong_type_in_the_example_file_is_located(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("  fatal: -20", "  fatal: lots")
    path = tmp_path / "incentives.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_rules(path)
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "fatal: lots" in x)
    assert f"incentives.yaml:{line}:3: qa.fatal:" in str(caught.value)

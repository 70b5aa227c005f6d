"""Shift rules from YAML and the weeks they allow: checked against hand counts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.calls.config import load_hotline
from hotline.core.config import ConfigError
from hotline.wfm.schedule_tours import enumerate_tours
from hotline.wfm.shifts import SLOTS_PER_DAY, WEEK, Rules, load_wfm, parse_wfm, slot_label

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "95598"

BASE = """
shifts:
  day: {start: "09:00", hours: 7.5}
  late: {start: "14:00", hours: 7.5}
  night: {start: "23:30", hours: 8.5, meal: {window: ["03:00", "05:00"]}}
patterns:
  p: {shifts: [day], work_days: 5}
contracts:
  ft: {max_hours: 60}
"""


def test_the_95598_rules_load_with_the_hotlines_queues() -> None:
    hotline = load_hotline(EXAMPLE / "hotline.yaml")
    queues = {spec.name for spec in hotline.queues}
    config = load_wfm(EXAMPLE / "wfm.yaml", queues=queues)
    night = config.shifts["night"]
    # 夜班 23:30 + 8.5 h ends 08:00 the next day
    begin, end = night.span(0)
    assert (begin, end) == (47, SLOTS_PER_DAY + 16)
    assert slot_label(end) == "Tue 08:00"
    assert night.paid_hours == 8.0
    assert {"5d3s", "4d2s", "7d5s", "6d5s"} <= set(config.patterns)
    assert len(config.agents) == 3 + 49 + 35  # seats, the scenario's agents, its reserve


def test_meal_places_are_every_half_hour_of_the_window() -> None:
    config = parse_wfm(
        BASE.replace(
            'day: {start: "09:00", hours: 7.5}',
            'day: {start: "08:00", hours: 8.5, meal: {window: ["11:00", "13:30"]}}',
        )
    )
    early = config.shifts["day"]
    # a 30-minute meal starting 11:00, 11:30, …, 13:00 (ending by 13:30): offsets 6..10
    assert early.meal_starts == (6, 7, 8, 9, 10)
    assert early.paid_hours == 8.0
    assert len(early.duty(0, 6)) == early.length - 1
    # the night shift's window wraps past midnight with the shift: 03:00..04:30 starts
    assert config.shifts["night"].meal_starts == (7, 8, 9, 10)


@pytest.mark.parametrize(
    ("change", "line", "path", "words"),
    [
        (("shifts: [day]", "shifts: [dya]"), 7, "patterns.p.shifts.0", "unknown shift 'dya'"),
        (('"09:00", hours: 7.5', '"09:15", hours: 7.5'), 3, "shifts.day.start", "half hour"),
        (('"09:00", hours: 7.5', '"09:00", hours: 9'), 3, "shifts.day", "meal break"),
        (('["03:00", "05:00"]', '["10:00", "11:00"]'), 5, "shifts.night.meal.window", "no 30"),
        (("ft: {max_hours: 60}", "ft: {hours: 40, max_hours: 60}"), 9, "contracts.ft", "either"),
        (("work_days: 5", "work_days: 8"), 7, "patterns.p.work_days", "within"),
    ],
)
def test_a_wrong_rule_names_file_line_and_key(
    change: tuple[str, str], line: int, path: str, words: str
) -> None:
    text = BASE.replace(*change)
    assert text != BASE
    with pytest.raises(ConfigError) as caught:
        parse_wfm(text + "agents: []\n", file="wfm.yaml")
    message = str(caught.value)
    assert f"wfm.yaml:{line}:" in message
    assert path in message
    assert words in message


def test_agents_name_known_queues_patterns_and_contracts() -> None:
    text = BASE + (
        "agents:\n"
        '  - {id: "1", skills: [english], pattern: p, contract: ft}\n'
        '  - {id: "1", skills: [query], pattern: q, contract: pt}\n'
    )
    with pytest.raises(ConfigError) as caught:
        parse_wfm(text, file="wfm.yaml", queues={"query"})
    message = str(caught.value)
    assert "wfm.yaml:11:" in message
    assert "unknown queue 'english'" in message
    assert "wfm.yaml:12:" in message
    assert "duplicate agent id '1'" in message
    assert "unknown pattern 'q'" in message
    assert "unknown contract 'pt'" in message


def _tours(extra: str = "", **pattern: object) -> list[tuple[str | None, ...]]:
    config = parse_wfm(BASE + extra)
    p = config.patterns["p"]

    return enumerate_tours(
        config.shifts,
        replace(p, **pattern),  # type: ignore[arg-type]
        config.rules,
        min_hours=0,
        max_hours=60,
    )


def test_work_days_and_consecutive_days_by_hand() -> None:
    # 5 working days of 7: C(7, 5) = 21 weeks; any 2 rest days keep runs <= 5 around the week
    assert len(_tours(max_consecutive_days=5)) == 21
    # at most 4 in a row: the 7 weeks whose 2 rest days are adjacent (a run of 5) go
    assert len(_tours(max_consecutive_days=4)) == 14
    # 3 to 4 days: C(7,3) + C(7,4) = 70
    assert len(_tours(min_work_days=3, max_work_days=4)) == 70


def test_rest_between_shifts_forbids_night_then_early() -> None:
    config = parse_wfm(BASE)

    pattern = replace(config.patterns["p"], shifts=("day", "night"), min_work_days=2,
                      max_work_days=2)  # fmt: skip
    tours = enumerate_tours(config.shifts, pattern, Rules(22, 6), min_hours=0, max_hours=60)
    for tour in tours:
        for day, name in enumerate(tour):
            following = tour[(day + 1) % 7]
            # night ends 08:00, the day shift starts 09:00: 1 h of rest, not 11
            assert not (name == "night" and following == "day")
    relaxed = enumerate_tours(config.shifts, pattern, Rules(0, 6), min_hours=0, max_hours=60)
    assert len(relaxed) > len(tours)


def test_leave_keeps_the_whole_day_free_even_of_a_night_shift() -> None:
    config = parse_wfm(BASE)

    pattern = replace(config.patterns["p"], shifts=("night",), min_work_days=1, max_work_days=1)
    tours = enumerate_tours(
        config.shifts, pattern, config.rules, min_hours=0, max_hours=60, leave=frozenset({2})
    )
    # Wednesday off: no night starting Wednesday, nor Tuesday's (it ends Wednesday 08:00)
    assert sorted(tour.index("night") for tour in tours) == [0, 3, 4, 5, 6]


@settings(max_examples=40, deadline=None)
@given(
    shifts=st.lists(st.sampled_from(["day", "late", "night"]), min_size=1, unique=True),
    low=st.integers(0, 7),
    span=st.integers(0, 7),
    consecutive=st.integers(1, 7),
    rest=st.integers(0, 30),
    leave=st.frozensets(st.integers(0, 6), max_size=3),
    hours=st.tuples(st.integers(0, 50), st.integers(0, 50)),
)
def test_every_tour_keeps_every_rule(
    shifts: list[str],
    low: int,
    span: int,
    consecutive: int,
    rest: int,
    leave: frozenset[int],
    hours: tuple[int, int],
) -> None:
    config = parse_wfm(BASE)

    high = min(7, low + span)
    pattern = replace(
        config.patterns["p"],
        shifts=tuple(shifts),
        min_work_days=low,
        max_work_days=high,
        max_consecutive_days=consecutive,
    )
    least, most = min(hours), max(hours)
    tours = enumerate_tours(
        config.shifts, pattern, Rules(rest, consecutive), min_hours=least, max_hours=most,
        leave=leave,
    )  # fmt: skip
    assert len(set(tours)) == len(tours)
    for tour in tours:
        worked = [(d, config.shifts[s]) for d, s in enumerate(tour) if s is not None]
        assert low <= len(worked) <= high
        assert least <= sum(s.paid_hours for _, s in worked) <= most
        spans = [s.span(d) for d, s in worked]
        following = [*spans[1:], (spans[0][0] + WEEK, 0)] if spans else []
        for (_, end), (start, _) in zip(spans, following, strict=True):
            assert start - end >= rest
        touched = {t // SLOTS_PER_DAY % 7 for a, b in spans for t in range(a, b)}
        assert not touched & leave
        run = best = 0
        for name in tour + tour:
            run = run + 1 if name is not None else 0
            best = max(best, run)
        assert min(best, 7) <= consecutive

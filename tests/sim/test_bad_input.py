"""A wrong scenario or hotline file is refused with the place and the reason, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[2] / "examples" / "95598"


@pytest.fixture
def hotline_copy(tmp_path: Path) -> Path:
    target = tmp_path / "95598"
    shutil.copytree(EXAMPLE, target)
    return target


def simulate(scenario: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hotline.cli", "simulate", str(scenario), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` by `new` in the file; returns the 1-based line of the change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("scenarios/weekday.yaml", "per_day: 4500", "per_day: -4500", "greater than 0"),
        ("scenarios/weekday.yaml", "per_day: 4500", "per_day: lots", "valid number"),
        ("scenarios/weekday.yaml", "seed: 20260715", "sead: 20260715", "sead"),
        (
            "scenarios/weekday.yaml",
            "skills: {fault: 6, query: 3}, main: fault, shift: day}",
            "skills: {faults: 6, query: 3}, main: faults, shift: day}",
            "unknown skill 'faults'",
        ),
        ("scenarios/weekday.yaml", "shift: night}", "shift: nights}", "unknown shift 'nights'"),
        (
            "scenarios/weekday.yaml",
            "main: english, reserve: true}",
            "main: english, reserve: true, shift: day}",
            "a reserve team works the published schedule",
        ),
        (
            "hotline.yaml",
            "    ring_timeout: 12          # 4 rings",
            "    ring_timeout: -12",
            "greater than 0",
        ),
        ("hotline.yaml", "overflow_to: query", "overflow_to: queries", "unknown queue 'queries'"),
        (
            "hotline.yaml",
            "    skill: complaint\n",
            "    skill: complaints\n",
            "unknown skill 'complaints'",
        ),
        ("ivr/main.yaml", "queue: fault", "queue: faults", "unknown queue 'faults'"),
    ],
)
def test_wrong_file_names_file_line_and_problem(hotline_copy, file, old, new, message):
    line = edit(hotline_copy / file, old, new)
    result = simulate(hotline_copy / "scenarios" / "weekday.yaml")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert message in result.stderr
    located = [ln for ln in result.stderr.splitlines() if message in ln]
    assert any(f"{file.split('/')[-1]}:{line}" in ln for ln in located), result.stderr


def test_missing_scenario_file_is_named(tmp_path):
    result = simulate(tmp_path / "nowhere.yaml")
    assert result.returncode == 2
    assert "nowhere.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_events_file_of_unknown_type_is_refused(tmp_path):
    scenario = Path(__file__).parent / "mm_n" / "scenario.yaml"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "hotline.cli",
            "simulate",
            str(scenario),
            "--events",
            str(tmp_path / "e.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "use .parquet or .csv" in result.stderr


def test_check_accepts_the_example_and_locates_a_broken_flow(hotline_copy):
    files = [
        hotline_copy / "hotline.yaml",
        hotline_copy / "ivr" / "main.yaml",
        hotline_copy / "scenarios" / "heatwave.yaml",
    ]
    ok = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "check", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.count(": OK") == 3
    line = edit(hotline_copy / "ivr" / "main.yaml", "queue: complaint", "queue: complaints")
    bad = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "check", str(files[1])],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert f"main.yaml:{line}:" in bad.stderr
    assert "unknown queue 'complaints'" in bad.stderr

"""Domain code reads time only through the Clock: no wall-clock call outside the clocks."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "hotline"
DOMAIN = ["routing", "ivr", "calls", "sim", "telephony", "wfm"]
WALL = re.compile(
    r"\b(time\.time|time\.monotonic|datetime\.now|datetime\.today|date\.today|datetime\.utcnow)\("
)
# (time.perf_counter, which measures how long a run took, is not engine time and allowed)


def test_domain_packages_never_read_the_wall_clock():
    offenders = []
    for package in DOMAIN:
        sources = list((SRC / package).rglob("*.py"))
        assert sources, f"no sources under {SRC / package}: the path is wrong, the check empty"
        for path in sources:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if WALL.search(line):
                    offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []

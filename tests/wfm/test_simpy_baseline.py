"""The SimPy baseline simulates the same M/M/N+M model that Erlang A describes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from hotline.wfm.erlang import erlang_a

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from simpy_baseline import run_simpy_day


def test_tiny_day_agrees_with_erlang_a() -> None:
    calls, agents, aht, patience = 2000, 10, 410.0, 300.0
    day = run_simpy_day(calls=calls, agents=agents, aht=aht, patience=patience, seed=7)
    theory = erlang_a(
        servers=agents, arrival_rate=calls / 86400.0, aht=aht, patience=patience, target=20.0
    )
    offered = day["offered"]
    # ~2,000 correlated calls: over 40 seeds the fractions spread with a standard
    # deviation of ~0.013 (abandoned) and ~0.04 (within 20 s); allow ~4 of them.
    assert offered == pytest.approx(calls, abs=5 * calls**0.5)
    assert day["answered"] + day["abandoned"] == offered
    assert day["abandoned"] / offered == pytest.approx(theory.p_abandon, abs=0.05)
    assert day["answered_within_20s"] / offered == pytest.approx(theory.service_level, abs=0.15)
    assert day["total_wait_answered"] / day["answered"] == pytest.approx(theory.asa, abs=15.0)
    assert day["elapsed_s"] > 0.0

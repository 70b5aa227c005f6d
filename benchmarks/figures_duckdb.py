"""Benchmark: every daily figure by half hour and by agent over ~10 million events —
DuckDB running the production SQL over a Parquet event file, against a straightforward
pandas implementation of the same figures (`figures_pandas.py`), side by side in one run.

The day: the example weekday (`hotline simulate examples/95598/scenarios/weekday.yaml`)
simulated once, then copied N times into one day with every call, agent, caller and
task id suffixed `-k` (N × ~60,000 events; the agents' shifts copied too). Generated
data goes to a temporary directory (never the repository). The run checks that both
implementations give the same tables, then reports seconds and the ratio (DuckDB: the
best of `--repeat` runs, all shown; pandas: one run).

    .venv/bin/python benchmarks/figures_duckdb.py                 # ~10 M events
    .venv/bin/python benchmarks/figures_duckdb.py --events 1000000 --json
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures_pandas import load, pandas_tables
from hotline.cli import scenario_data
from hotline.metrics import ExternalData, Query, Shift, Table
from hotline.sim.run import Simulation, load_scenario
from hotline.store.analytics import ParquetSource, figure_tables
from hotline.store.eventfile import EventFileWriter

WEEKDAY = Path(__file__).resolve().parents[1] / "examples" / "95598" / "scenarios" / "weekday.yaml"
IDS = ("call", "agent", "target", "caller", "task")


def make_day(directory: Path, events: int) -> tuple[Path, int, int, ExternalData]:
    """Simulate the weekday once and copy it into one file of about `events` rows."""
    scenario, hotline = load_scenario(WEEKDAY)
    one = directory / "weekday.parquet"
    sim = Simulation(scenario, hotline)
    with EventFileWriter(one) as writer:
        sim.subscribe(writer)
        sim.run()
    base = pq.read_table(one)
    copies = max(1, math.ceil(events / base.num_rows))
    out = directory / "day.parquet"
    with pq.ParquetWriter(out, base.schema, compression="zstd") as writer:
        for k in range(copies):
            table = base
            for name in IDS:
                at = table.schema.get_field_index(name)
                column = pc.binary_join_element_wise(table[name], pa.scalar(f"-{k}"), "")
                table = table.set_column(at, name, column)
            writer.write_table(table, row_group_size=1_000_000)
    roster = scenario_data(WEEKDAY)
    extra = ExternalData(
        shifts=tuple(
            Shift(f"{s.agent}-{k}", s.start, s.end) for k in range(copies) for s in roster.shifts
        ),
        teams={f"{a}-{k}": t for k in range(copies) for a, t in roster.teams.items()},
    )
    return out, base.num_rows * copies, copies, extra


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def differences(left: Table, right: Table) -> list[str]:
    found = []
    if [r.key for r in left.rows] != [r.key for r in right.rows]:
        found.append(f"{left.query.by}: row keys differ")
    right_rows = {r.key: r for r in [*right.rows, right.total]}
    for row in [*left.rows, left.total]:
        other = right_rows.get(row.key)
        if other is None:
            continue
        for key, value in row.values.items():
            if not _same(value, other.values[key]):
                found.append(f"{left.query.by} {row.key} {key}: {value} vs {other.values[key]}")
    return found


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} CPUs, CPython {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000, help="about this many events")
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (all cores)")
    parser.add_argument("--repeat", type=int, default=3, help="DuckDB runs (best and all shown)")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    args = parser.parse_args()
    import duckdb
    import pandas

    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
        began = time.perf_counter()
        path, rows, copies, extra = make_day(Path(tmp), args.events)
        made = time.perf_counter() - began
        tz = load_scenario(WEEKDAY)[1].timezone
        start = datetime.datetime(2026, 7, 15, tzinfo=tz)
        queries = [
            Query(start=start, end=start + datetime.timedelta(days=1), by=by)  # type: ignore[arg-type]
            for by in ("interval", "agent")
        ]
        runs = []
        for _ in range(max(1, args.repeat)):
            began = time.perf_counter()
            duck = figure_tables(ParquetSource((path,), args.threads), queries, extra)
            runs.append(time.perf_counter() - began)
        duck_s = min(runs)
        began = time.perf_counter()
        frame = load(str(path))
        panda = pandas_tables(frame, queries, extra)
        pandas_s = time.perf_counter() - began
    problems = [p for a, b in zip(duck, panda, strict=True) for p in differences(a, b)]
    result = {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "events": rows,
        "copies_of_the_weekday": copies,
        "calls": int(duck[0].total.values["total_calls"] or 0),
        "agents": len(duck[1].rows),
        "generate_s": round(made, 1),
        "duckdb_s": round(duck_s, 2),
        "duckdb_runs_s": [round(r, 2) for r in runs],
        "pandas_s": round(pandas_s, 2),
        "pandas_over_duckdb": round(pandas_s / duck_s, 2),
        "tables_agree": not problems,
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:>22}: {value}")
        for problem in problems[:20]:
            print("  differs:", problem)
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())

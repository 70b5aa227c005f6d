"""The `hotline` command: check configuration, simulate a day, run the live demo."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hotline.core.errors import HotlineError

if TYPE_CHECKING:
    import datetime

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "95598" / "scenarios" / "weekday.yaml"


def _percent(value: Any) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _seconds(value: Any) -> str:
    return "—" if value is None else f"{value:.1f} s"


def print_summary(name: str, result: Any) -> None:
    """The run's figures as a table (Chinese first, English beside)."""
    from rich.console import Console
    from rich.table import Table

    s = result.summary
    table = Table(title=f"{name} — 模拟结果 simulation summary", show_header=False)
    table.add_column("figure")
    table.add_column("value", justify="right")
    rows = [
        ("来电总数 contacts", f"{s['contacts']:,}"),
        ("人工接通 answered", f"{s['answered']:,}"),
        ("放弃 abandoned (in queue)", f"{s['abandoned']:,}"),
        ("  其中短时放弃 short ≤20 s", f"{s['abandoned_short']:,}"),
        ("  不含短时放弃 excluding short", f"{s['abandoned_excluding_short']:,}"),
        ("IVR 中挂机 hung up in IVR", f"{s['ivr_abandoned']:,}"),
        ("自助服务 self-served", f"{s['self_served']:,}"),
        ("转回呼 callback", f"{s['callback']:,}"),
        ("拒接 blocked", f"{s['blocked']:,}"),
        ("放弃率 abandon rate", _percent(s["abandon_rate"])),
        (
            f"服务水平 service level ({s['service_level_target_s']:.0f} s)",
            _percent(s["service_level"]),
        ),
    ]
    for tier, level in s["service_level_by_tier"].items():
        rows.append((f"  {tier}", _percent(level)))
    rows += [
        ("平均应答速度 ASA", _seconds(s["asa_s"])),
        ("坐席占用率 occupancy", _percent(s["occupancy"])),
        ("回呼任务 callbacks created", f"{s['callbacks_created']:,}"),
        (
            "满意度均分 survey mean (1–5)",
            "—" if s["survey_mean"] is None else f"{s['survey_mean']:.2f}",
        ),
        ("事件数 events", f"{result.events:,}"),
        ("用时 wall time", f"{result.wall_s:.1f} s"),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console = Console()
    console.print(table)
    queues = Table(title="各队列服务水平 service level by queue")
    for column in ("队列 queue", "接通 answered", "服务水平 SL", "目标 goal", "达标 met"):
        queues.add_column(column, justify="right")
    for name, q in s["service_level_by_queue"].items():
        level = q["service_level"]
        met = "—" if level is None else ("✓" if level >= q["goal"] else "✗")
        goal = f"{100 * q['goal']:.0f}% / {q['target_s']:.0f} s"
        queues.add_row(name, f"{q['answered']:,}", _percent(level), goal, met)
    console.print(queues)
    hours = Table(title="逐小时 by hour (calls counted in the hour they arrived)")
    for column in (
        "时段 hour",
        "来电 calls",
        "接通 answered",
        "放弃 abandoned >20 s",
        "服务水平 SL",
    ):
        hours.add_column(column, justify="right")
    for row in s["by_interval"]:
        start = int(row["start_s"] // 3600)
        hours.add_row(
            f"{start % 24:02d}:00–{(start + 1) % 24:02d}:00",
            f"{row['contacts']:,}",
            f"{row['answered']:,}",
            f"{row['abandoned_excluding_short']:,}",
            _percent(row["service_level"]),
        )
    console.print(hours)


def simulate(args: argparse.Namespace) -> int:
    from hotline.sim.run import Simulation, load_scenario

    scenario, hotline = load_scenario(args.scenario)
    changes = {"days": args.days, "start": args.start}
    scenario = scenario.model_copy(update={k: v for k, v in changes.items() if v is not None})
    sim = Simulation(scenario, hotline, seed=args.seed)
    trial = None
    if args.campaign is not None:  # before the event file: it writes the 外呼 events too
        from hotline.outbound.simulate import campaign_on

        start = (
            None
            if args.campaign_start is None
            else datetime.time.fromisoformat(args.campaign_start)
        )
        trial = campaign_on(sim, args.campaign, queue=args.queue, pacing=args.pacing, start=start)
    elif args.queue or args.pacing or args.campaign_start:
        print(
            "hotline simulate: --queue, --pacing and --campaign-start need --campaign",
            file=sys.stderr,
        )
        return 2
    writer = None
    if args.events is not None:
        from hotline.store.eventfile import EventFileWriter

        writer = EventFileWriter(args.events)
        sim.subscribe(writer)
    intervals = None
    if args.intervals is not None:
        from hotline.wfm.history import IntervalFold

        intervals = IntervalFold(hotline.timezone)
        sim.subscribe(intervals)
    try:
        if args.json or args.quiet:
            result = sim.run()
        else:
            from rich.progress import Progress

            with Progress(transient=True) as bar:
                task = bar.add_task(f"模拟 {scenario.name}", total=1.0)
                result = sim.run(lambda done: bar.update(task, completed=done))
    finally:
        if writer is not None:
            writer.close()
    if intervals is not None:
        from hotline.wfm.history import write_interval_csv

        rows = write_interval_csv(intervals.rows(), args.intervals)
        if not args.json:
            print(f"intervals written to {args.intervals} ({rows:,} rows)")
    if args.json:
        out = dict(result.summary)
        out.update(
            scenario=scenario.name,
            seed=sim.scenario.seed,
            events=result.events,
            wall_s=round(result.wall_s, 3),
            unfinished_calls=result.unfinished_calls,
        )
        if trial is not None:
            out["outbound"] = trial.figures(sim.clock.now()).as_dict()
        print(json.dumps(out, ensure_ascii=False))
    else:
        print_summary(scenario.name, result)
        if trial is not None:
            from rich.console import Console
            from rich.table import Table

            table = Table(title="外呼 outbound campaign", show_header=False)
            table.add_column("figure")
            table.add_column("value", justify="right")
            for label, value in trial.figures(sim.clock.now()).rows():
                table.add_row(label, value)
            Console().print(table)
        if writer is not None:
            print(f"events written to {writer.path} ({writer.written:,} rows)")
    return 0


_KINDS_BY_NAME = {
    "hotline.yaml": "hotline",
    "orders.yaml": "orders",
    "crm.yaml": "crm",
    "metrics.yaml": "metrics",
    "backoffice.yaml": "backoffice",
    "wfm.yaml": "wfm",
    "qa.yaml": "qa",
    "training.yaml": "training",
    "incentives.yaml": "incentives",
    "outbound.yaml": "outbound",
}
_KINDS_BY_FOLDER = {"ivr": "flow", "kb": "kb", "scenarios": "scenario"}
_KINDS_BY_KEY = (  # a key only that kind of file has, for files named otherwise
    ("forms", "qa"),
    ("sources", "outbound"),
    ("do_not_call", "outbound"),
    ("flow", "flow"),
    ("roster", "scenario"),
    ("arrivals", "scenario"),
    ("articles", "kb"),
    ("types", "orders"),
    ("scoring", "crm"),
    ("lifecycle", "crm"),
    ("hints", "crm"),
    ("numbers", "hotline"),
    ("queues", "hotline"),
    ("costs", "metrics"),
    ("shifts", "metrics"),
    ("staff", "metrics"),
    ("qa", "metrics"),
)


def config_kind(path: Path, data: Any) -> str | None:
    """Which configuration file `path` is: by its name, its folder, else a key only it has.

    One of ``hotline``, ``flow``, ``scenario``, ``orders``, ``crm``, ``metrics``, ``kb``,
    ``wfm``, ``qa``, ``backoffice``;
    None when neither says (`check` then asks for a telling name).
    """
    kind = _KINDS_BY_NAME.get(path.name) or _KINDS_BY_FOLDER.get(path.resolve().parent.name)
    if kind is not None:
        return kind
    keys = set(data) if isinstance(data, dict) else set()
    return next((kind for key, kind in _KINDS_BY_KEY if key in keys), None)


def _check_file(path: Path) -> list[str]:
    """One file validated by its own loader: the OK line, then its warnings.

    Raises `HotlineError` (`ConfigError`: every problem as file:line:column: path: message).
    """
    from hotline.calls.config import load_hotline
    from hotline.core.config import ConfigError, load_yaml

    document = load_yaml(path)
    kind = config_kind(path, document.data)
    if kind == "scenario":
        from hotline.sim.run import load_scenario

        scenario, hotline = load_scenario(path)
        agents = sum(team.count for team in scenario.roster)
        return [
            f"{path}: OK — scenario {scenario.name!r}, {agents} agents, "
            f"{len(scenario.intents)} intents, on {hotline.name}",
            *(f"  warning: {w}" for f in hotline.flows.values() for w in f.warnings),
        ]
    if kind == "flow":
        from hotline.ivr.loader import load_flow

        # a flow lives in its hotline's ivr/ folder: check its queue names against it
        owner = path.resolve().parent.parent / "hotline.yaml"
        site = load_hotline(owner) if owner.is_file() else None
        queues = set(site.model.queues) if site is not None else None
        flow = load_flow(path, known_queues=queues)
        unchecked = "" if queues is not None else " (queue names unchecked: no ../hotline.yaml)"
        # the hotline's own load knows the prompts it plays itself (ivr.voicemail …)
        mine = site.flows.get(flow.name) if site is not None else None
        return [
            f"{path}: OK — flow {flow.name!r}, {len(flow.nodes)} nodes{unchecked}",
            *(f"  warning: {w}" for w in (mine or flow).warnings),
        ]
    if kind == "orders":
        from hotline.orders.config import load_order_types

        orders = load_order_types(path)
        return [
            f"{path}: OK — orders: {len(orders.types)} order types, "
            f"{len(orders.departments)} departments"
        ]
    if kind == "crm":
        from hotline.crm.config import load_crm_config

        crm = load_crm_config(path)
        return [f"{path}: OK — CRM: tier scoring, lifecycle, {len(crm.hints)} hint rules"]
    if kind == "metrics":
        from hotline.metrics import load_metrics_config

        data = load_metrics_config(path).data
        return [
            f"{path}: OK — metrics: {len(data.costs)} costs, {len(data.shifts)} shifts, "
            f"{len(data.staff)} staff records, {len(data.qa)} QA scores"
        ]
    if kind == "kb":
        from hotline.kb.loader import load_articles

        return [f"{path}: OK — knowledge base: {len(load_articles(path))} articles"]
    if kind == "hotline":
        hotline = load_hotline(path)
        return [
            f"{path}: OK — {hotline.name}: {len(hotline.queues)} queues, "
            f"{len(hotline.model.skills)} skills, flows {', '.join(sorted(hotline.flows))}",
            *(f"  warning: {w}" for f in hotline.flows.values() for w in f.warnings),
        ]
    if kind == "backoffice":
        return [_check_backoffice(path)]
    if kind == "wfm":
        from hotline.wfm.shifts import load_wfm

        owner = path.resolve().parent / "hotline.yaml"
        queues = set(load_hotline(owner).model.queues) if owner.is_file() else None
        wfm = load_wfm(path, queues=queues)
        return [f"{path}: OK — shift rules: {len(wfm.agents)} agents"]
    if kind == "qa":
        from hotline.quality.config import load_qa

        qa = load_qa(path)
        forms = qa.forms
        current = ", ".join(
            f"{f.id} v{f.version} ({len(f.questions)} questions)" for f in forms.current()
        )
        rules = len(qa.phrases.questions) if qa.phrases is not None else 0
        return [
            f"{path}: OK — QA forms: {current}; {len(forms.forms)} versions in all; "
            f"sampling {qa.sampling.weekly_per_agent} calls per agent a week; "
            f"{rules} questions answered by phrase rules"
        ]
    if kind == "outbound":
        return [_check_outbound(path)]
    if kind == "training":
        from hotline.training.config import load_training

        training = load_training(path)
        questions = sum(len(b.questions) for b in training.banks.values())
        items = sum(len(c.items) for c in training.checklists.values())
        return [
            f"{path}: OK — training: {len(training.stages)} stages, {len(training.exams)} "
            f"exams, {questions} questions, {len(training.checklists)} checklists ({items} items)"
        ]
    if kind == "incentives":
        from hotline.incentives.rules import load_rules

        incentives = load_rules(path)
        parts = [
            name
            for name, on in (
                ("QA score bands", incentives.bands is not None),
                ("satisfaction", incentives.satisfaction is not None),
                ("attendance", incentives.attendance is not None),
                ("case library", incentives.cases is not None),
            )
            if on
        ]
        return [
            f"{path}: OK — incentives: points for {', '.join(parts) or 'nothing'}; "
            f"manual grants up to ±{incentives.manual_limit}; "
            f"{len(incentives.awards)} monthly awards"
        ]
    message = (
        "cannot tell which configuration file this is: name it hotline.yaml, orders.yaml, "
        "crm.yaml, metrics.yaml, wfm.yaml, qa.yaml, training.yaml, incentives.yaml, "
        "outbound.yaml or backoffice.yaml, or put it in an ivr/, "
        "kb/ or scenarios/ folder"
    )
    raise ConfigError([document.problem((), message)])


def _check_outbound(path: Path) -> str:
    """``outbound.yaml``, and against the hotline.yaml beside it: the queues and prompts
    its standing campaigns and the dialer's apology name."""
    from hotline.calls.config import load_hotline
    from hotline.core.config import ConfigError, load_yaml
    from hotline.outbound.config import load_outbound

    outbound = load_outbound(path)
    model = outbound.model
    owner = path.resolve().parent / "hotline.yaml"
    unchecked = ""
    if owner.is_file():
        hotline = load_hotline(owner)
        queues, prompts = set(hotline.model.queues), set(hotline.prompts())
        document = load_yaml(path)
        problems = []
        named: list[tuple[tuple[str, ...], str | None, str | None]] = [
            (("defaults", "drop_prompt"), None, model.defaults.drop_prompt)
        ]
        for kind, source in model.sources.items():
            named.append((("sources", kind, "queue"), source.queue, None))
            named.append((("sources", kind, "prompt"), None, source.prompt))
        for where, queue, prompt in named:
            if queue is not None and queue not in queues:
                problems.append(document.problem(where, f"hotline.yaml has no queue {queue!r}"))
            if prompt is not None and prompt not in prompts:
                message = f"hotline.yaml plays no prompt {prompt!r} (its prompts or a flow's)"
                problems.append(document.problem(where, message))
        if problems:
            raise ConfigError(problems)
    else:
        unchecked = " (queues and prompts unchecked: no hotline.yaml beside)"
    templates = len(outbound.templates)
    return (
        f"{path}: OK — outbound: {len(model.sources)} standing campaigns "
        f"({', '.join(model.sources)}), {len(outbound.calendar.windows)} calling windows, "
        f"{model.defaults.pacing} pacing, drop cap {model.defaults.drop_cap:.0%}, "
        f"{templates} SMS templates{unchecked}"
    )


def _check_backoffice(path: Path) -> str:
    """The demo's back office, against the files beside it: the intents of the scenarios in
    scenarios/, the order types of orders.yaml and the dispositions of hotline.yaml."""
    from hotline.calls.config import load_hotline
    from hotline.orders.config import load_order_types
    from hotline.sim.backoffice import load_backoffice
    from hotline.sim.run import load_scenario

    folder = path.resolve().parent
    intents = {
        intent.name
        for file in sorted((folder / "scenarios").glob("*.yaml"))
        for intent in load_scenario(file)[0].intents
    }
    model = load_backoffice(
        path,
        intents=sorted(intents),
        orders=load_order_types(folder / "orders.yaml"),
        dispositions=load_hotline(folder / "hotline.yaml").model.desk.dispositions,
    )
    return f"{path}: OK — demo back office: {len(model.intents)} intents take orders"


def check(args: argparse.Namespace) -> int:
    """Validate configuration files (and what they refer to) without running anything.

    Each file goes to its own loader (`config_kind` tells which); every file is
    checked even after a bad one. Returns 2 when any file has a problem (each
    printed on stderr as file:line:column: path: message).
    """
    from hotline.core.config import ConfigError

    failed = False
    for path in args.files:
        try:
            lines = _check_file(path)
        except HotlineError as error:
            failed = True
            located = isinstance(error, ConfigError)
            print(str(error) if located else f"{path}: {error}", file=sys.stderr)
            continue
        for line in lines:
            print(line)
    return 2 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotline", description="Hotline 呼叫中心: run and simulate a hotline."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    sim = commands.add_parser(
        "simulate", help="run a scenario on the virtual clock and print its figures"
    )
    sim.add_argument("scenario", type=Path, help="scenario file (YAML)")
    sim.add_argument("--seed", type=int, default=None, help="random seed (default: the scenario's)")
    sim.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    sim.add_argument(
        "--events", type=Path, default=None, help="write every event to FILE (.parquet or .csv)"
    )
    sim.add_argument(
        "--intervals",
        type=Path,
        default=None,
        help="write calls offered, answered, talk and after-call seconds per queue and half "
        "hour to FILE (the CSV `hotline forecast --history` reads)",
    )
    sim.add_argument(
        "--days", type=int, default=None, help="run this many days (default: the scenario's)"
    )
    sim.add_argument(
        "--start",
        type=datetime.date.fromisoformat,
        default=None,
        help="first day YYYY-MM-DD (default: the scenario's)",
    )
    sim.add_argument("--quiet", action="store_true", help="no progress bar")
    sim.add_argument(
        "--campaign",
        type=Path,
        default=None,
        metavar="LIST",
        help="run an outbound campaign (外呼) of this call list (CSV or XLSX, as 外呼管理 "
        "imports it) on the simulated day and print its figures after the run's",
    )
    sim.add_argument(
        "--queue",
        default=None,
        help="the queue whose agents take the answered customers (default: outbound.yaml's "
        "first standing campaign's queue)",
    )
    sim.add_argument(
        "--pacing",
        choices=("preview", "progressive", "adaptive", "predictive"),
        default=None,
        help="how many calls the dialer places (default: outbound.yaml's defaults.pacing, "
        "else progressive; preview places none by itself and is refused)",
    )
    sim.add_argument(
        "--campaign-start",
        type=_clock_time,
        default=None,
        metavar="HH:MM",
        help="local time on the first day the campaign starts (default: the run's start; "
        "each entry waits for its calling window anyway)",
    )
    sim.set_defaults(handler=simulate)
    checker = commands.add_parser(
        "check",
        help="validate configuration files without running them",
        description="Validate configuration files without running anything: hotline.yaml, "
        "IVR flows (ivr/), scenarios (scenarios/), orders.yaml, crm.yaml, metrics.yaml and "
        "knowledge-base files (kb/). A file is recognised by its name or folder, else by its "
        "keys. Problems are printed as FILE:LINE:COLUMN: PATH: MESSAGE (exit status 2).",
    )
    checker.add_argument("files", type=Path, nargs="+", help="YAML files")
    checker.set_defaults(handler=check)
    demo = commands.add_parser(
        "demo",
        help="the example 95598 hotline live, with the web console (a day in minutes)",
        description="Run the example 95598 hotline live in one process, with the web console "
        "and the API on http://HOST:PORT: simulated callers and agents on a clock running "
        "--speed times faster (an hour a minute by default) from --start today (or the day "
        "after the last one in the database), the agents of hotline.yaml (9001-9003) left "
        "to people at the agent desk. Events and "
        "configuration go to a SQLite file (--db, created on the first start) or a "
        "database URL; the logins are printed at start. Stop it with Ctrl-C.",
    )
    demo.add_argument("--host", default="127.0.0.1", help="address to serve on")
    demo.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")
    demo.add_argument(
        "--db", type=Path, default=Path("hotline-demo.db"), help="SQLite file (created if missing)"
    )
    demo.add_argument(
        "--database-url",
        default=None,
        help="a database URL instead of --db, e.g. postgresql+psycopg://user@host/hotline "
        "(or set HOTLINE_DATABASE_URL)",
    )
    demo.add_argument(
        "--speed",
        type=_speed,
        default=60.0,
        help="engine seconds per wall second (default 60: an hour a minute; 0 pauses)",
    )
    demo.add_argument("--scenario", type=Path, default=None, help="scenario (default: weekday)")
    demo.add_argument("--start", default="08:00", type=_clock_time, help="local time to start at")
    demo.add_argument("--seed", type=int, default=None, help="random seed")
    demo.add_argument(
        "--no-plan",
        action="store_true",
        help="make and publish no week plan (排班): the agents keep the scenario's shifts",
    )
    _console_options(demo)
    demo.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS with a self-signed certificate (made beside --db; browsers warn)",
    )
    demo.set_defaults(handler=_demo)
    importer = commands.add_parser("import", help="import data into a hotline's database")
    kinds = importer.add_subparsers(dest="what", required=True)
    customers = kinds.add_parser(
        "customers", help="customers from a CSV or XLSX file (bad rows reported, good rows kept)"
    )
    customers.add_argument("file", type=Path, help="CSV or XLSX file")
    customers.add_argument(
        "--db", type=Path, default=Path("hotline-demo.db"), help="SQLite file (created if missing)"
    )
    customers.add_argument("--database-url", default=None, help="a database URL instead of --db")
    customers.add_argument(
        "--config",
        type=Path,
        default=EXAMPLE.parent.parent / "crm.yaml",
        help="tier scoring and hints (default: the example hotline's crm.yaml)",
    )
    customers.set_defaults(handler=_import_customers)
    qlog = kinds.add_parser(
        "queue-log", help="an Asterisk queue_log: calls and agents into the event log"
    )
    qlog.add_argument(
        "files", type=Path, nargs="+", help="queue_log file(s); rotated parts together"
    )
    qlog.add_argument("--db", type=Path, default=Path("hotline-demo.db"), help="SQLite file")
    qlog.add_argument("--database-url", default=None, help="a database URL instead of --db")
    qlog.add_argument(
        "--config", type=Path, default=None, help="hotline.yaml (wrap-up per queue …)"
    )
    qlog.add_argument(
        "--wrap-up", type=float, default=0.0, help="wrap-up seconds of queues not in --config"
    )
    qlog.add_argument("--timezone", default=None, help="zone of dates in a table export")
    qlog.add_argument(
        "--exit-key",
        choices=("callback", "blocked"),
        default="callback",
        help="what a caller who left with a key (EXITWITHKEY) became",
    )
    qlog.add_argument("--dry-run", action="store_true", help="read and report, write nothing")
    qlog.set_defaults(handler=_import_queue_log)
    _report_parsers(commands)
    _management_report_parser(commands)
    _serve_parser(commands)
    _phone_password_parser(commands)
    from hotline.features import features, resolve

    for feature in features():  # each feature's own commands (`hotline.features`)
        if feature.commands is not None:
            resolve(feature.commands)(commands)
    return parser


def _import_queue_log(args: argparse.Namespace) -> int:
    import os

    from hotline.interop.queue_log.command import run

    url = args.database_url or os.environ.get("HOTLINE_DATABASE_URL") or f"sqlite:///{args.db}"
    options = {"wrap_up": args.wrap_up, "timezone": args.timezone, "key_exit": args.exit_key}
    return run(args.files, url=url, config=args.config, dry_run=args.dry_run, **options)


def _import_customers(args: argparse.Namespace) -> int:
    import os

    from hotline.crm.config import load_crm_config
    from hotline.store.db import Database
    from hotline.store.db.crm import import_file

    config = load_crm_config(args.config)
    url = args.database_url or os.environ.get("HOTLINE_DATABASE_URL") or f"sqlite:///{args.db}"
    with Database.open(url) as db:
        report = import_file(db, args.file, config, by="cli")
    for problem in report.rejected:
        print(f"{args.file}:{problem.row}: {problem.column}: {problem.reason}", file=sys.stderr)
    print(
        f"{args.file}: {report.rows} rows — {report.created} created, {report.updated} updated, "
        f"{report.rejected_rows} rejected"
    )
    return 1 if report.rejected else 0


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 10000:
        raise argparse.ArgumentTypeError("speed must be between 0 and 10000")
    return value


def _clock_time(text: str) -> str:
    import datetime

    try:
        datetime.time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a time of day (HH:MM): {text!r}") from None
    return text


def _console_options(parser: argparse.ArgumentParser) -> None:
    """The console's TLS and reverse-proxy options, shared by demo and serve."""
    parser.add_argument(
        "--tls-cert", type=Path, help="serve the console over HTTPS: PEM certificate"
    )
    parser.add_argument("--tls-key", type=Path, help="the certificate's PEM private key")
    parser.add_argument(
        "--forwarded-allow-ips",
        type=_proxies,
        default=(),
        metavar="ADDRESSES",
        help="reverse proxies (comma-separated addresses or networks) whose X-Forwarded-For "
        "and X-Forwarded-Proto are believed (default: none)",
    )


def _proxies(text: str) -> tuple[str, ...]:
    from hotline.webserver import proxies

    try:
        return proxies(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _private() -> None:
    """Files this process creates (database, recordings, certificates) are its owner's only."""
    import os

    os.umask(0o077)


def _demo(args: argparse.Namespace) -> int:
    from hotline import demo
    from hotline.webserver import Listen, keep_private, self_signed

    _private()
    keep_private(f"sqlite:///{args.db}")
    cert, key = args.tls_cert, args.tls_key
    if args.tls and cert is None and key is None:
        cert, key = self_signed(args.db.resolve().parent / "hotline-demo-tls", args.host)
    listen = Listen(args.host, args.port, cert, key, args.forwarded_allow_ips)
    return demo.run(
        db=args.db,
        database_url=args.database_url,
        listen=listen,
        speed=args.speed,
        scenario=args.scenario,
        start=args.start,
        seed_value=args.seed,
        plan=not args.no_plan,
    )


# ---- hotline report / hotline export events (docs/metrics.md) ------------------------------


def _report_parsers(commands: Any) -> None:
    from hotline.metrics.query import GROUPINGS, SlVariant

    report = commands.add_parser(
        "report",
        help="the management figures (23 KPIs and more) of local days, from the log",
        description="The management figures (23 KPIs and more) of local days, read from the "
        "event log (database or Parquet files), as a table, CSV, XLSX or JSON. Days are "
        "YYYY-MM-DD in the hotline's time zone, both included; without --from and --to, "
        "the report is of today.",
    )
    report.add_argument("--from", dest="first", type=_date, default=None, metavar="YYYY-MM-DD",
                        help="first day (default: --to's day, else today)")  # fmt: skip
    report.add_argument("--to", dest="last", type=_date, default=None, metavar="YYYY-MM-DD",
                        help="last day, included (default: --from's day, else today)")  # fmt: skip
    report.add_argument("--by", choices=GROUPINGS, default="day", help="rows (default day)")
    report.add_argument("--format", choices=("table", "csv", "xlsx", "json"), default="table")
    report.add_argument("--output", "-o", type=Path, default=None, help="write to FILE")
    source = report.add_mutually_exclusive_group()
    source.add_argument("--db", type=Path, default=None, help="SQLite file (hotline-demo.db)")
    source.add_argument("--database-url", default=None, help="a database URL instead of --db")
    source.add_argument("--parquet", type=Path, default=None, help="event file(s): file or dir")
    report.add_argument(
        "--config", type=Path, default=EXAMPLE.parent.parent / "hotline.yaml",
        help="hotline.yaml: time zone, service-level target, short abandons",
    )  # fmt: skip
    report.add_argument("--metrics", type=Path, default=None,
                        help="metrics file: costs, shifts, staff, QA scores, teams")  # fmt: skip
    report.add_argument("--scenario", type=Path, default=None,
                        help="teams and shifts from a scenario's roster")  # fmt: skip
    report.add_argument("--sl-variant", choices=[v.value for v in SlVariant], default="offered")
    report.add_argument("--sl-threshold", type=float, default=None, help="seconds (config's)")
    report.add_argument("--short-abandon", type=float, default=None, help="seconds (config's)")
    report.add_argument("--figures", type=_figure_keys, default=None, help="keys, comma-separated")
    report.set_defaults(handler=_report)
    export = commands.add_parser("export", help="export data for other tools")
    kinds = export.add_subparsers(dest="what", required=True)
    events = kinds.add_parser("events", help="the event log to Parquet, one file per local day")
    events.add_argument("directory", type=Path, help="directory to write events-DAY.parquet to")
    events.add_argument("--from", dest="first", type=_date, default=None, help="first day")
    events.add_argument("--to", dest="last", type=_date, default=None, help="last day (included)")
    events.add_argument("--db", type=Path, default=Path("hotline-demo.db"), help="SQLite file")
    events.add_argument("--database-url", default=None, help="a database URL instead of --db")
    events.add_argument("--config", type=Path, default=EXAMPLE.parent.parent / "hotline.yaml")
    events.set_defaults(handler=_export_events)


def _date(text: str) -> Any:
    import datetime

    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _figure_keys(text: str) -> tuple[str, ...]:
    from hotline.metrics import FIGURES

    found = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in found if k not in FIGURES]
    if unknown or not found:
        raise argparse.ArgumentTypeError(f"unknown figure {', '.join(unknown) or repr(text)}")
    return found


def scenario_data(path: Path) -> Any:
    """Teams, names and every day's shifts of a scenario's roster, as `ExternalData`."""
    import datetime

    from hotline.reports.schedule import roster_data
    from hotline.sim.run import load_scenario

    scenario, hotline = load_scenario(path)
    days = [scenario.start + datetime.timedelta(days=d) for d in range(-1, scenario.days)]
    return roster_data(scenario, hotline.timezone, days)


def report_days(
    first: datetime.date | None, last: datetime.date | None, tz: datetime.tzinfo
) -> tuple[datetime.date, datetime.date]:
    """`hotline report`'s days: one given stands for both; none given is today in `tz`."""
    import datetime

    if first is None or last is None:
        one = first or last
        if one is not None:
            return one, one
        today = datetime.datetime.now(tz).date()
        return today, today
    return first, last


def _report(args: argparse.Namespace) -> int:
    from hotline.calls.config import load_hotline
    from hotline.core.customer import Tier
    from hotline.metrics import SlVariant
    from hotline.store.analytics.command import ReportRequest, open_source, run_report

    hotline = load_hotline(args.config)
    wallboard = hotline.model.wallboard
    goal = wallboard.service_level.get(Tier.ORDINARY)
    source = open_source(args.db, args.database_url, args.parquet)
    # the outside data the console's reports use, so both show the same value
    extra, tz = _report_data(args, hotline, source)
    threshold = args.sl_threshold
    if threshold is None:
        threshold = goal.target if goal is not None else 20.0
    short = args.short_abandon if args.short_abandon is not None else wallboard.short_abandon
    first, last = report_days(args.first, args.last, tz)
    request = ReportRequest(
        first=first,
        last=last,
        by=args.by,
        timezone=tz,
        sl_variant=SlVariant(args.sl_variant),
        sl_threshold=threshold,
        short_abandon=short,
        figures=args.figures,
    )
    return run_report(request, source, extra, args.format, args.output)


def _report_data(args: argparse.Namespace, hotline: Any, source: Any) -> tuple[Any, Any]:
    """The outside data (shifts, costs, teams …) and time zone of `hotline report` and
    `hotline management-report`: the metrics file (`--metrics`, else `metrics.yaml` beside
    `--config`) and the `--scenario` roster on the days the log holds, as the console's
    reports have them (`hotline.reports.schedule.command_line_data`)."""
    from hotline.metrics import load_metrics_config
    from hotline.reports.schedule import command_line_data
    from hotline.sim.run import load_scenario
    from hotline.site import SiteConfig

    site = SiteConfig.load(args.config, hotline=hotline)
    given = load_metrics_config(args.metrics) if args.metrics is not None else None
    metrics = given or site.metrics
    tz = metrics.timezone if metrics is not None else hotline.timezone
    scenario = load_scenario(args.scenario)[0] if args.scenario is not None else None
    data = command_line_data(
        site, source, metrics=given.data if given is not None else None, scenario=scenario
    )
    return data, tz


def _export_events(args: argparse.Namespace) -> int:
    import os

    from hotline.calls.config import load_hotline
    from hotline.store.analytics.command import run_export
    from hotline.store.db import Database

    tz = load_hotline(args.config).timezone
    url = args.database_url or os.environ.get("HOTLINE_DATABASE_URL") or f"sqlite:///{args.db}"
    return run_export(Database.open(url), args.directory, tz, args.first, args.last)


# ---- hotline management-report (docs/reports.md) ----------------------------------------------


def _management_report_parser(commands: Any) -> None:
    report = commands.add_parser(
        "management-report", help="the daily or monthly management report (日报/月报) as HTML"
    )
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--day", type=_date, default=None, help="a local date, YYYY-MM-DD")
    which.add_argument("--month", default=None, help="a month, YYYY-MM")
    source = report.add_mutually_exclusive_group()
    source.add_argument("--db", type=Path, default=None, help="SQLite file (hotline-demo.db)")
    source.add_argument("--database-url", default=None, help="a database URL instead of --db")
    source.add_argument("--parquet", type=Path, default=None, help="event file(s): file or dir")
    report.add_argument("--config", type=Path, default=EXAMPLE.parent.parent / "hotline.yaml")
    report.add_argument("--metrics", type=Path, default=None, help="metrics file (costs, shifts …)")
    report.add_argument("--scenario", type=Path, default=None, help="shifts from a scenario roster")
    report.add_argument("--lang", choices=("zh", "en"), default="zh")
    report.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    report.set_defaults(handler=_management_report)


def _management_report(args: argparse.Namespace) -> int:
    import dataclasses
    import time

    from hotline.calls.config import load_hotline
    from hotline.reports import Settings, day_of, management_report, month_of, parse_month
    from hotline.store.analytics.command import open_source
    from hotline.store.db import Database
    from hotline.web.reports_pages import management_html

    hotline = load_hotline(args.config)
    source = open_source(args.db, args.database_url, args.parquet)
    extra, tz = _report_data(args, hotline, source)
    settings = dataclasses.replace(Settings.of(hotline), timezone=tz)
    if args.day is not None:
        period = day_of(args.day, settings.timezone)
    else:
        period = month_of(*parse_month(args.month, "--month"), settings.timezone)
    try:
        report = management_report(source, period, settings, extra, now=time.time())
    finally:
        if isinstance(source, Database):
            source.close()
    page = management_html(report, args.lang, console=False, hotline_name=hotline.model.name)
    try:
        args.out.write_text(page, encoding="utf-8")
    except OSError as exc:
        print(f"hotline: --out {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    found = len(report.findings)
    print(f"{args.out}: {report.kind} report {report.period.label()}, {found} findings")
    return 0


def _serve_parser(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="answer real calls: Kamailio, Hotline's SIP endpoint, the database and the "
        "console (docs/telephony.md)",
    )
    serve.add_argument("hotline", type=Path, help="the hotline file (hotline.yaml)")
    serve.add_argument("--host", default="127.0.0.1", help="address for SIP and RTP")
    serve.add_argument("--kamailio-port", type=int, default=5060, help="where phones register")
    serve.add_argument("--sip-port", type=int, default=5080, help="Hotline's own SIP endpoint")
    serve.add_argument(
        "--workdir",
        type=Path,
        default=Path("var/sip"),
        help="Kamailio's config and sockets; the database and recordings by default",
    )
    serve.add_argument(
        "--db",
        default=None,
        help="SQLite file, or a database URL such as postgresql+psycopg://user@host/hotline "
        "(default: HOTLINE_DATABASE_URL, else hotline.db in --workdir)",
    )
    serve.add_argument(
        "--trunk",
        type=_host_port,
        help="HOST:PORT of the carrier's SIP gateway: calls out to customers go there, and "
        "only its caller ID (P-Asserted-Identity) is trusted",
    )
    serve.add_argument(
        "--dial-plan",
        type=_dial_plan,
        default=None,
        help="the numbers calls out may go to, a regular expression over the whole number "
        "(default: mainland mobiles and landlines; no international, no service codes)",
    )
    serve.add_argument(
        "--flood-limit",
        type=int,
        default=40,
        help="SIP requests per 2 s one address may send before it is ignored for a while "
        "(default 40; 0: no limit; Hotline and the trunk are never limited)",
    )
    serve.add_argument(
        "--realm", default="hotline", help="the digest realm of the agents' phones (hotline)"
    )
    serve.add_argument(
        "--ws-port",
        type=int,
        default=None,
        help="Kamailio's SIP-over-websocket port for browsers (the desk's softphone, the web "
        "call page; needs rtpengine, docs/telephony.md); default: no WebRTC",
    )
    serve.add_argument(
        "--ws-url",
        default=None,
        help="the websocket URL browsers are given, e.g. wss://hotline.example.com/sip behind "
        "a TLS proxy (default ws://HOST:WS_PORT)",
    )
    serve.add_argument(
        "--media-address",
        default=None,
        help="the address rtpengine relays browsers' media on (default --host)",
    )
    serve.add_argument(
        "--webcall-secret-file",
        type=Path,
        default=None,
        help="a file holding the secret (16+ bytes) the center's website signs web callers' "
        "tokens with (docs/telephony.md); default: web callers are anonymous",
    )
    serve.add_argument(
        "--webcall-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="a site (https://www.example.com) that may embed /webcall in a frame; repeatable",
    )
    serve.add_argument(
        "--ws-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="the console's address as browsers see it (https://hotline.example.com): only "
        "its pages may open the SIP websocket; repeatable (default: --console-host and --port)",
    )
    serve.add_argument("--console-host", default="127.0.0.1", help="address of the console")
    serve.add_argument("--port", type=int, default=8000, help="port of the console (8000)")
    serve.add_argument(
        "--prompts",
        type=Path,
        help="prompt WAVs (default: prompts/ beside the hotline file; missing ones are "
        "synthesized with espeak-ng)",
    )
    serve.add_argument(
        "--recordings",
        type=Path,
        help="one two-channel WAV per conversation (default: recordings/ in --workdir)",
    )
    serve.add_argument(
        "--events", type=Path, help="also write every event to this .csv or .parquet"
    )
    _console_options(serve)
    serve.set_defaults(handler=_serve)


def _dial_plan(text: str) -> str:
    import re

    try:
        re.compile(text)
    except re.error as e:
        raise argparse.ArgumentTypeError(f"{text!r} is not a regular expression: {e}") from e
    if '"' in text or "\\" in text:
        raise argparse.ArgumentTypeError(f"{text!r}: no quotes or backslashes (use [0-9])")
    return text


def _phone_password_parser(commands: Any) -> None:
    phone = commands.add_parser(
        "phone-password",
        help="issue (or rotate) the SIP password of a desk phone (an agent's, or a shift "
        "lead's or supervisor's for 班长席), or revoke it (docs/security.md)",
    )
    phone.add_argument(
        "extension",
        help="the phone's extension: an agent's 工号 (9001), or a shift lead's or "
        "supervisor's 工号, else their username",
    )
    phone.add_argument(
        "--db",
        required=True,
        help="the database hotline serve uses (SQLite file or URL)",
    )
    phone.add_argument("--realm", default="hotline", help="hotline serve's --realm (hotline)")
    phone.add_argument("--revoke", action="store_true", help="remove the phone's password")
    phone.set_defaults(handler=_phone_password)


def _phone_password(args: argparse.Namespace) -> int:
    from hotline.live import phones
    from hotline.store.db import Database

    url = args.db if "://" in args.db else f"sqlite:///{Path(args.db).resolve()}"
    with Database.open(url) as db:
        if args.revoke:
            found = phones.revoke(db, args.extension)
            print(f"{args.extension}: " + ("password revoked" if found else "had no password"))
            return 0 if found else 1
        password = phones.issue(db, args.extension, args.realm, by="cli")
    print(f"{args.extension}: SIP password {password} (realm {args.realm}); shown only now")
    print("  a running hotline serve takes it within seconds; the old password stops working")
    return 0


def _host_port(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT")
    return host, int(port)


def _serve(args: argparse.Namespace) -> int:
    import datetime
    import os

    from hotline.serve import ConsoleSettings, run
    from hotline.sip.kamailio import DIAL_PLAN
    from hotline.sip.prompts import synthesize
    from hotline.sip.serve import ServeSettings, prompt_texts
    from hotline.site import Site
    from hotline.webserver import keep_private

    _private()

    for name in ("kamailio_port", "sip_port", "port", "ws_port"):
        if getattr(args, name) is not None and not 0 < getattr(args, name) < 65536:
            option = "--" + name.replace("_", "-")
            print(f"hotline: {option}: not a port: {getattr(args, name)}", file=sys.stderr)
            return 2
    site = Site.load(args.hotline)
    hotline = site.hotline
    workdir = args.workdir.resolve()
    url = args.db or os.environ.get("HOTLINE_DATABASE_URL") or str(workdir / "hotline.db")
    if "://" not in url:
        Path(url).parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{Path(url).resolve()}"
    prompts = args.prompts or hotline.path.parent / "prompts"
    made = synthesize(prompt_texts(hotline), prompts)
    if made:
        print(f"synthesized {len(made)} prompts into {prompts}")
    started = datetime.datetime.now(hotline.timezone)
    secret = None
    if args.webcall_secret_file is not None:
        try:
            secret = args.webcall_secret_file.read_bytes().strip()
        except OSError as e:
            print(f"hotline: --webcall-secret-file: {e}", file=sys.stderr)
            return 2
    settings = ServeSettings(
        workdir=workdir,
        host=args.host,
        kamailio_port=args.kamailio_port,
        sip_port=args.sip_port,
        prompts=prompts,
        recordings=(args.recordings or workdir / "recordings").resolve(),
        call_prefix=f"s{started:%y%m%d%H%M%S}-",  # call ids never repeat across restarts
        outbound_prefix=f"o{started:%y%m%d%H%M%S}-",
        trunk=args.trunk,
        dial_plan=args.dial_plan or DIAL_PLAN,
        realm=args.realm,
        flood_limit=args.flood_limit or None,
        ws_port=args.ws_port,
        ws_url=args.ws_url,
        media_address=args.media_address,
        webcall_secret=secret,
        webcall_origins=tuple(args.webcall_origin),
        ws_origins=tuple(args.ws_origin) or _console_origins(args),
    )
    keep_private(url, *([settings.recordings] if settings.recordings else []))
    console = ConsoleSettings(
        host=args.console_host,
        port=args.port,
        events=args.events,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        trusted_proxies=args.forwarded_allow_ips,
    )
    return run(site, settings, console, url)


def _console_origins(args: Any) -> tuple[str, ...]:
    """Where browsers find the console when `--ws-origin` is not given: its own address
    (and ``localhost`` for 127.0.0.1); none for a wildcard address, which names no page."""
    host = args.console_host
    if host in ("0.0.0.0", "::", ""):
        return ()
    scheme = "https" if args.tls_cert else "http"
    names = [f"[{host}]" if ":" in host else host]
    if host == "127.0.0.1":
        names.append("localhost")
    return tuple(f"{scheme}://{name}:{args.port}" for name in names)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except HotlineError as error:
        from hotline.core.clock import ClockError  # here: the CLI starts without asyncio

        if isinstance(error, ClockError):
            raise  # a clock misused is a bug: its traceback, not a one-line refusal
        print(f"hotline: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())

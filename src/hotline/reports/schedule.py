"""The schedule (排班) behind a report: scheduled agent hours per time row, and the data
from outside the event log a running hotline has (a metrics file beside hotline.yaml, else
its scenario's roster on the days the run covers)."""

from __future__ import annotations

import bisect
import dataclasses
import datetime
from collections.abc import Sequence

from hotline.metrics import ExternalData, Query, Shift
from hotline.metrics.buckets import buckets
from hotline.metrics.external import shifts_of_days
from hotline.metrics.query import TIME_GROUPINGS
from hotline.sim.population import agent_profiles
from hotline.sim.scenario import ScenarioModel
from hotline.site import SiteConfig
from hotline.store.analytics import ParquetSource
from hotline.store.db import Database, EventLog

"""The metrics file (costs, shifts, staff, QA scores, teams) read from beside hotline.yaml."""


def scheduled_hours(shifts: Sequence[Shift], query: Query) -> list[float] | None:
    """Scheduled agent hours in each time row of `query` (its buckets, in order): the
    overlap of every shift with the row. None without shifts or for a grouping that is
    not by time."""
    if not shifts or query.by not in TIME_GROUPINGS:
        return None
    rows = buckets(query)
    ends = [row.end for row in rows]
    hours = [0.0] * len(rows)
    for shift in shifts:
        i = bisect.bisect_right(ends, shift.start)
        while i < len(rows) and rows[i].start < shift.end:
            overlap = min(shift.end, rows[i].end) - max(shift.start, rows[i].start)
            if overlap > 0:
                hours[i] += overlap / 3600.0
            i += 1
    return hours


def roster_data(
    scenario: ScenarioModel, timezone: datetime.tzinfo, days: Sequence[datetime.date]
) -> ExternalData:
    """Teams, names and shifts of a scenario's roster on `days` (teams without a shift are
    on duty all the time and have no scheduled hours)."""
    shifts: list[Shift] = []
    profiles = agent_profiles(scenario)
    for profile, team in profiles:
        if team.shift is not None:
            shift = scenario.shifts[team.shift]
            begin = datetime.time.fromisoformat(shift.start)
            end = datetime.time.fromisoformat(shift.end)
            shifts += shifts_of_days(profile.id, days, begin, end, timezone)
    return ExternalData(
        shifts=tuple(shifts),
        teams={p.id: t.team for p, t in profiles},
        names={p.id: p.name for p, _ in profiles},
    )


def log_days(db: Database, timezone: datetime.tzinfo) -> tuple[datetime.date, datetime.date] | None:
    """The local days of the log's first and last event (None: the log is empty)."""
    log = EventLog(db)
    first = log.read(since_id=0, limit=1)
    last = log.read(since_id=log.last_id() - 1, limit=1)
    if not first or not last:
        return None
    return (
        datetime.datetime.fromtimestamp(first[0].event.at, timezone).date(),
        datetime.datetime.fromtimestamp(last[0].event.at, timezone).date(),
    )


def hotline_data(
    site: SiteConfig,
    scenario: ScenarioModel | None,
    ran: tuple[datetime.date, datetime.date] | None = None,
) -> ExternalData:
    """What a running hotline knows besides its log: the site's `metrics.yaml` when there
    is one; then the roster of the scenario it runs as the schedule of every day it `ran`
    (first and last day, see `log_days`; a shift that began the evening before the first
    day counts too). Days the hotline did not run have no schedule."""
    data = site.metrics.data if site.metrics is not None else ExternalData()
    hotline = site.hotline
    if scenario is not None:
        days: list[datetime.date] = []
        if ran is not None:
            first, last = ran
            days = [first + datetime.timedelta(days=d) for d in range(-1, (last - first).days + 1)]
        data = data.merged(roster_data(scenario, hotline.timezone, days))
    return data


def with_published(
    data: ExternalData, weeks: Sequence[tuple[float, float, Sequence[Shift]]]
) -> ExternalData:
    """The published schedule (排班, `hotline.planning`) in place of the metrics file's
    and the roster's shifts: in each week [start, end) a plan is published for, its
    shifts are the schedule and the others' shifts beginning in it are dropped."""
    if not weeks:
        return data
    kept = [s for s in data.shifts if not any(lo <= s.start < hi for lo, hi, _ in weeks)]
    for _, _, shifts in weeks:
        kept += shifts
    return dataclasses.replace(data, shifts=tuple(kept))


def command_line_data(
    site: SiteConfig,
    source: Database | ParquetSource,
    *,
    metrics: ExternalData | None = None,
    scenario: ScenarioModel | None = None,
) -> ExternalData:
    """What `hotline report` and `hotline management-report` set against the log: the same
    as the console's reports (`hotline_data`) so both print the same value for a figure.
    `metrics` (a `--metrics` file) replaces the site's `metrics.yaml`; the `scenario`'s
    roster is the schedule of the days a database's log holds, as the console applies the
    roster of the scenario it runs (an event file, which has no such list, gets the
    scenario's own days: the days `hotline simulate` wrote)."""
    if metrics is not None:
        site = dataclasses.replace(site, metrics=None)
    ran = None
    if scenario is not None:
        if isinstance(source, Database):
            ran = log_days(source, site.hotline.timezone)
        else:
            last = scenario.start + datetime.timedelta(days=max(scenario.days - 1, 0))
            ran = (scenario.start, last)
    data = hotline_data(site, scenario, ran)
    return metrics.merged(data) if metrics is not None else data

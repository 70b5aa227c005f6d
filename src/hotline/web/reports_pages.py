"""The report pages (报表): the figures page (a shell filled by ``reports.js`` from
``/api/reports/figures``), the daily and monthly management report (日报 / 月报: a
server-rendered page that prints on A4, the same HTML ``hotline management-report``
writes to a file), and the agent scorecard (an agent sees only their own)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from hotline.api.deps import get_runtime
from hotline.api.routers.reports import ANALYSTS, extra_data, may_see_scorecard, today
from hotline.core.errors import UnknownAgentError
from hotline.live import LiveHotline
from hotline.metrics import FIGURES, SEED_FIGURES, SlVariant, Table
from hotline.metrics.render import cell
from hotline.planning.service import PeriodAdherence, PlanningDesk
from hotline.reports import (
    REPORT_GROUPINGS,
    ManagementReport,
    Period,
    ReportError,
    Scorecard,
    Settings,
    describe,
    management_report,
    month_of,
    parse_day,
    parse_month,
    scorecard,
    status,
)
from hotline.reports.charts import Series, chart
from hotline.reports.compare import Change
from hotline.reports.periods import day_of
from hotline.reports.words import Versus
from hotline.web.i18n import pick_language, translate
from hotline.web.numbers import format_percent
from hotline.web.pages import forbidden, render, templates, to_login, viewer
from hotline.wfm.adherence import AdherenceTotals

router = APIRouter(include_in_schema=False)

HEADLINE = (
    "total_calls", "offered", "answered", "service_level", "abandon_rate", "asa", "aht",
    "handled", "occupancy", "work_rate", "transfer_rate", "satisfaction",
)  # fmt: skip
"""The figures shown as columns of the figures page's rows and as the report's cards."""

ADHERENCE_TARGET = 0.9
"""Adherence below this marks an agent's row in the report (a common 遵守率 floor)."""

CARDS = (
    "total_calls", "answered", "service_level", "abandon_rate", "asa", "aht", "occupancy",
    "work_rate",
)  # fmt: skip


# ---- values as people read them ------------------------------------------------------------


def change_text(key: str, c: Change, lang: str) -> str:
    """+1.2 个百分点 / +1.2 pp for rates, +12.0% for the others, — without a value, and
    无上期数据 when the period before has no data at all (nothing to compare with)."""
    if c.no_previous:
        return translate(lang, "reports.no_previous")
    if c.delta is None:
        return "—"
    if FIGURES[key].unit == "ratio":
        return translate(lang, "reports.points", n=f"{100 * c.delta:+.1f}")
    if c.relative is None:
        return f"{c.delta:+,.1f}"
    return f"{100 * c.relative:+.1f}%"


def target_text(key: str, lang: str) -> str:
    target = FIGURES[key].target
    if target is None:
        return ""
    return f"{'≥' if target.better == 'higher' else '≤'} {cell(FIGURES[key], target.value, lang)}"


def css(state: str | None) -> str:
    return {"met": "good", "better": "good", "missed": "bad", "worse": "bad"}.get(state or "", "")


def figure_name(key: str, lang: str) -> str:
    f = FIGURES[key]
    return f.zh if lang == "zh" else f.en


@dataclass(frozen=True, slots=True)
class Line:
    """One figure of the management report: this period, the one before, change, target."""

    key: str
    number: int | None
    name: str
    formula: str
    value: str
    previous: str
    change: str
    target: str
    status: str
    trend: str
    why: str


def _lines(report: ManagementReport, keys: tuple[str, ...], lang: str) -> list[Line]:
    found = []
    changes = report.changes
    for key in keys:
        f, c = FIGURES[key], changes[key]
        found.append(
            Line(
                key, f.number, figure_name(key, lang), f.formula, cell(f, c.current, lang),
                cell(f, c.previous, lang), change_text(key, c, lang), target_text(key, lang),
                css(status(key, c.current)), css(c.trend), report.current.missing.get(key, ""),
            )
        )  # fmt: skip
    return found


GREY = "#8a96a3"
"""The period before, dashed, in every chart."""


def _charts(report: ManagementReport, lang: str) -> list[dict[str, str]]:
    """The report's SVG charts: calls, service level and abandon rate (with their targets),
    agent hours and AHT, this period against the period before, row by row."""

    def t(key: str) -> str:
        return translate(lang, key)

    now, before = report.current, report.previous
    labels = [r.key[-5:] if report.kind == "day" else r.key[5:] for r in now.rows]
    this, last = t("reports.this_period"), t("reports.previous_period")

    def col(table: Table, key: str) -> list[float | None]:
        values = [r.values.get(key) for r in table.rows]
        return (values + [None] * len(labels))[: len(labels)]

    def compared(key: str, title: str, kind: Literal["bar", "line"], color: str) -> dict[str, str]:
        target = FIGURES[key].target
        series = [
            Series(this, col(now, key), kind, color),
            Series(last, col(before, key), "line", GREY, dashed=True),
        ]
        svg = chart(
            labels, series, unit=FIGURES[key].unit, title=title,
            target=target.value if target is not None and FIGURES[key].unit == "ratio" else None,
            target_label=t("reports.target"),
        )  # fmt: skip
        return {"title": title, "svg": svg}

    staff = [Series(t("reports.logged_in_hours"), col(now, "logged_in_hours"), "bar", "#5b8fd6")]
    if report.scheduled is not None:
        staff.append(Series(t("reports.scheduled_hours"), report.scheduled, "line", "#d98b00"))
    staff.append(Series(last, col(before, "logged_in_hours"), "line", GREY, dashed=True))
    hours = chart(labels, staff, unit="count", title=t("reports.chart_staff"))
    return [
        compared("offered", t("reports.chart_calls"), "bar", "#1677d2"),
        compared("service_level", figure_name("service_level", lang), "line", "#1f9d55"),
        compared("abandon_rate", figure_name("abandon_rate", lang), "line", "#1f9d55"),
        {"title": t("reports.chart_staff"), "svg": hours},
        compared("aht", figure_name("aht", lang), "line", "#7a4fd0"),
    ]


def management_html(
    report: ManagementReport,
    lang: str,
    *,
    console: bool,
    hotline_name: str,
    csp_nonce: str = "",
    adherence: dict[str, Any] | None = None,
) -> str:
    """The management report as one HTML document (inline CSS and SVG: it prints, and a
    saved file shows the same). `console`: with the console's toolbar (back, print,
    language), hidden when printed; `csp_nonce` lets the console's answer keep its inline
    CSS under the Content-Security-Policy; `adherence` is the 排班遵守 section
    (`adherence_view`), left out when None."""

    def t(key: str, **params: object) -> str:
        return translate(lang, key, **params)

    versus: Versus = "day" if report.kind == "day" else "month"
    extras = tuple(k for k in report.current.query.keys if FIGURES[k].number is None)
    template = templates.env.get_template("reports_management.html")
    return template.render(
        t=t,
        lang=lang,
        console=console,
        csp_nonce=csp_nonce,
        hotline_name=hotline_name,
        report=report,
        kind=report.kind,
        title=t("reports.daily_title" if report.kind == "day" else "reports.monthly_title"),
        period=report.period.label(),
        previous=report.previous_period.label(),
        findings=[describe(f, "zh" if lang == "zh" else "en", versus) for f in report.findings],
        cards=_lines(report, CARDS, lang),
        seed=_lines(report, tuple(f.key for f in SEED_FIGURES), lang),
        extras=_lines(report, extras, lang),
        charts=_charts(report, lang),
        settings=report.current.query,
        self_link="?" + ("date=" if report.kind == "day" else "month=") + period_key(report.period),
        adherence=adherence,
    )


def adherence_view(
    current: PeriodAdherence | None, previous: PeriodAdherence | None, lang: str, worst: int = 10
) -> dict[str, Any] | None:
    """The report's 排班遵守 section: the period's adherence and attendance by shift (the
    published schedule's ended shifts), late log-ins, early log-outs and break overruns,
    the period before for comparison, and the agents of lowest adherence. None when no
    week of the period is published (the section is left out)."""
    if current is None:
        return None

    def minutes(seconds: float) -> str:
        return translate(lang, "reports.adh_minutes", n=f"{seconds / 60:,.0f}")

    def line(t: AdherenceTotals) -> dict[str, Any]:
        return {
            "agent": t.agent,
            "shifts": t.shifts,
            "adherence": format_percent(t.adherence),
            "attendance": format_percent(t.attendance.rate),
            "present": t.attendance.present,
            "absent": t.absent,
            "late": t.late,
            "late_time": minutes(t.late_seconds),
            "early": t.early,
            "early_time": minutes(t.early_seconds),
            "overrun": t.overrun,
            "overrun_time": minutes(t.overrun_seconds),
            "low": t.adherence is not None and t.adherence < ADHERENCE_TARGET,
        }

    return {
        "total": line(current.total) if current.total.shifts else None,
        "previous": line(previous.total) if previous and previous.total.shifts else None,
        "worst": [line(a) for a in current.agents[:worst]],
        "agents": len(current.agents),
        "target": format_percent(ADHERENCE_TARGET),
    }


def lang_of(request: Request) -> str:
    return pick_language(request.query_params.get("lang"), request.cookies.get("lang"))


def period_key(period: Period) -> str:
    return period.first.isoformat() if period.kind == "day" else period.first.strftime("%Y-%m")


# ---- the pages -------------------------------------------------------------------------------


async def _analyst(request: Request, page: str) -> tuple[Any, Response | None]:
    user = await viewer(request)
    if user is None:
        return None, to_login()
    if user.role not in ANALYSTS:
        return user, forbidden(request, user, page)
    return user, None


@router.get("/reports", response_class=HTMLResponse)
async def reports(request: Request) -> Response:
    user, refused = await _analyst(request, "reports")
    if refused is not None:
        return refused
    chosen = {k: request.query_params.get(k, "") for k in ("from", "to", "by", "sl_variant")}
    return render(
        request,
        "reports.html",
        "reports",
        user,
        groupings=REPORT_GROUPINGS,
        variants=[v.value for v in SlVariant],
        chosen={
            **chosen,
            "by": chosen["by"] or "day",
            "sl_variant": chosen["sl_variant"] or "offered",
        },
        headline=list(HEADLINE),
    )


def _bad_request(request: Request, user: Any, page: str, message: str) -> Response:
    return render(request, "reports_error.html", page, user, status_code=422, message=message)


async def _management(request: Request, period: Period) -> Response:
    runtime: LiveHotline = get_runtime(request)
    lang = lang_of(request)
    settings = Settings.of(runtime.hotline)
    now = runtime.now()
    await runtime.commit()
    report = await run_in_threadpool(
        management_report, runtime.db, period, settings, extra_data(runtime, period), now
    )
    desk = runtime.services.feature("wfm", PlanningDesk)
    adherence = None
    if desk is not None:
        before = period.previous()
        current, previous = await run_in_threadpool(
            lambda: (
                desk.adherence_period(period.first, period.last, now),
                desk.adherence_period(before.first, before.last, now),
            )
        )
        adherence = adherence_view(current, previous, lang)
    html = management_html(
        report,
        lang,
        console=True,
        hotline_name=runtime.hotline.model.name,
        csp_nonce=getattr(request.state, "csp_nonce", ""),
        adherence=adherence,
    )
    response = HTMLResponse(html)
    if request.query_params.get("lang") == lang:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


@router.get("/reports/daily", response_class=HTMLResponse)
async def daily_report(request: Request) -> Response:
    """日报: `?date=YYYY-MM-DD` (default: today on the hotline's clock) by half hour."""
    user, refused = await _analyst(request, "reports")
    if refused is not None:
        return refused
    runtime = get_runtime(request)
    text = request.query_params.get("date")
    try:
        day = parse_day(text, "date") if text else today(runtime)
        period = day_of(day, runtime.hotline.timezone)
    except ReportError as exc:
        return _bad_request(request, user, "reports", exc.message)
    return await _management(request, period)


@router.get("/reports/monthly", response_class=HTMLResponse)
async def monthly_report(request: Request) -> Response:
    """月报: `?month=YYYY-MM` (default: this month on the hotline's clock) by day."""
    user, refused = await _analyst(request, "reports")
    if refused is not None:
        return refused
    runtime = get_runtime(request)
    text = request.query_params.get("month")
    try:
        if text:
            year, month = parse_month(text, "month")
        else:
            now = today(runtime)
            year, month = now.year, now.month
        period = month_of(year, month, runtime.hotline.timezone)
    except ReportError as exc:
        return _bad_request(request, user, "reports", exc.message)
    return await _management(request, period)


@router.get("/reports/agent/{agent}", response_class=HTMLResponse)
async def agent_scorecard(request: Request, agent: str) -> Response:
    """The agent's scorecard over `?from=&to=` (default: today): their figures against
    their team's, the center's and the targets."""
    user = await viewer(request)
    if user is None:
        return to_login()
    if not may_see_scorecard(user, agent):
        return forbidden(request, user, "scorecard")
    runtime = get_runtime(request)
    first, last = request.query_params.get("from"), request.query_params.get("to")
    try:
        start = parse_day(first, "from") if first else None
        end = parse_day(last, "to") if last else None
        start = start or end or today(runtime)
        period = Period(start, end or start, runtime.hotline.timezone)
    except ReportError as exc:
        return _bad_request(request, user, "scorecard", exc.message)
    settings = Settings.of(runtime.hotline)
    now = runtime.now()
    await runtime.commit()

    def build() -> Scorecard | None:
        try:
            return scorecard(runtime.db, agent, period, settings, extra_data(runtime, period), now)
        except UnknownAgentError:
            return None

    card = await run_in_threadpool(build)
    lang = lang_of(request)
    if card is None:
        message = translate(lang, "reports.no_agent", agent=agent)
        return render(
            request, "reports_error.html", "scorecard", user, status_code=404, message=message
        )
    desk = runtime.services.feature("wfm", PlanningDesk)
    adherence = None
    if desk is not None:
        mine = await run_in_threadpool(desk.adherence_period, period.first, period.last, now, agent)
        adherence = adherence_view(mine, None, lang)
    rows = [
        {
            "key": line.key,
            "number": FIGURES[line.key].number,
            "name": figure_name(line.key, lang),
            "formula": FIGURES[line.key].formula,
            "agent": cell(FIGURES[line.key], line.agent, lang),
            "team": cell(FIGURES[line.key], line.team, lang),
            "center": cell(FIGURES[line.key], line.center, lang),
            "target": target_text(line.key, lang),
            "status": css(line.status),
            "versus": css(line.versus_team),
            "why": card.missing.get(line.key, ""),
        }
        for line in card.lines
    ]
    return render(
        request,
        "reports_scorecard.html",
        "scorecard",
        user,
        card=card,
        rows=rows,
        chosen={"from": period.first.isoformat(), "to": period.last.isoformat()},
        adherence=adherence,
    )

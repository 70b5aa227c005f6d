"""Reports over the management figures: a period against the one before and the targets,
the agent scorecard, and the daily and monthly management report with the explanation of
what moved (`docs/reports.md`). Every value comes from `hotline.store.analytics.figures`."""

from hotline.reports.compare import Change, aligned, better_way, change, status
from hotline.reports.errors import ReportError
from hotline.reports.explain import Cause, Finding, Move, Side, Thresholds, Window, explain
from hotline.reports.periods import Period, day_of, month_of, parse_day, parse_month
from hotline.reports.service import (
    REPORT_GROUPINGS,
    FiguresReport,
    ManagementReport,
    Scorecard,
    ScoreLine,
    Settings,
    daily,
    figures_report,
    management_report,
    monthly,
    scorecard,
)
from hotline.reports.words import describe

__all__ = [
    "REPORT_GROUPINGS",
    "Cause",
    "Change",
    "FiguresReport",
    "Finding",
    "ManagementReport",
    "Move",
    "Period",
    "ReportError",
    "ScoreLine",
    "Scorecard",
    "Settings",
    "Side",
    "Thresholds",
    "Window",
    "aligned",
    "better_way",
    "change",
    "daily",
    "day_of",
    "describe",
    "explain",
    "figures_report",
    "management_report",
    "month_of",
    "monthly",
    "parse_day",
    "parse_month",
    "scorecard",
    "status",
]

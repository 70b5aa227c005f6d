"""The explanation of a management report written out: Chinese first, English second.

`describe(finding, lang, versus)` turns one `explain.Finding` into a sentence such as
"呼叫放弃率从 4.1% 升至 6.3%：09:00–11:00 来话量 +18%（312→368 通），排班坐席工时基本未变。"
"""

from __future__ import annotations

import datetime
from typing import Literal

from hotline.metrics import FIGURES
from hotline.reports.explain import Cause, Driver, Finding, Move, Window

Lang = Literal["zh", "en"]
Versus = Literal["day", "month", "days"]

_VERSUS = {
    "zh": {"day": "前一日", "month": "上月", "days": "上一时段"},
    "en": {"day": "the day before", "month": "the month before", "days": "the period before"},
}
_DRIVER = {
    "zh": {
        "volume": "来话量",
        "handle_time": "平均处理时长",
        "staffing": "排班坐席工时",
        "staffing_logged_in": "签入坐席工时",
        "adherence": "实际工作率",
    },
    "en": {
        "volume": "calls",
        "handle_time": "AHT",
        "staffing": "scheduled agent hours",
        "staffing_logged_in": "logged-in agent hours",
        "adherence": "actual work rate",
    },
}
MOST_MOVES = 3
"""The service figures a sentence names (the largest moves; the tables show the rest)."""
_STEP = {"interval": datetime.timedelta(minutes=30), "hour": datetime.timedelta(hours=1)}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _figure(key: str, value: float) -> str:
    unit = FIGURES[key].unit
    if unit == "ratio":
        return f"{100 * value:.1f}%"
    if unit == "seconds":
        return f"{value:.1f}"
    return f"{value:,.1f}"


def _seconds(lang: Lang) -> str:
    return " 秒" if lang == "zh" else " s"


def _figure_unit(key: str, value: float, lang: Lang) -> str:
    text = _figure(key, value)
    return text + _seconds(lang) if FIGURES[key].unit == "seconds" else text


def _relative(value: float) -> str:
    return f"{100 * value:+.0f}%"


def _name(key: str, lang: Lang) -> str:
    figure = FIGURES[key]
    return figure.zh if lang == "zh" else figure.en


def _move(move: Move, lang: Lang, first: bool) -> str:
    up = move.current > move.previous
    before = _figure_unit(move.key, move.previous, lang)
    now = _figure_unit(move.key, move.current, lang)
    if lang == "zh":
        gap = "" if before.endswith("秒") else " "
        return f"{_name(move.key, lang)}从 {before}{gap}{'升至' if up else '降至'} {now}"
    name = _name(move.key, lang)
    if not first:
        name = name[0].lower() + name[1:] if not name[:3].isupper() else name
    return f"{name} {'rose' if up else 'fell'} from {before} to {now}"


# ---- windows ---------------------------------------------------------------------------


def _span(window: Window, lang: Lang) -> tuple[str, str]:
    """The first and last moment of the window as people write them."""
    if window.by in _STEP:
        first = datetime.datetime.fromisoformat(window.first)
        last = datetime.datetime.fromisoformat(window.last) + _STEP[window.by]
        return first.strftime("%H:%M"), last.strftime("%H:%M")
    if window.by == "day":
        days = datetime.date.fromisoformat(window.first), datetime.date.fromisoformat(window.last)
        if lang == "zh":
            return tuple(f"{d.month}月{d.day}日" for d in days)  # type: ignore[return-value]
        return tuple(f"{_MONTHS[d.month - 1]} {d.day}" for d in days)  # type: ignore[return-value]
    return window.first, window.last


def _where(window: Window, lang: Lang) -> str:
    first, last = _span(window, lang)
    single = window.first == window.last and window.by not in _STEP
    if lang == "zh":
        return first if single else f"{first}–{last}"
    return f"on {first}" if single else f"between {first} and {last}"


# ---- causes ----------------------------------------------------------------------------


def _driver_name(driver: Driver, scheduled: bool, lang: Lang) -> str:
    if driver == "staffing" and not scheduled:
        return _DRIVER[lang]["staffing_logged_in"]
    return _DRIVER[lang][driver]


def _numbers(cause: Cause, lang: Lang) -> tuple[str, str]:
    before, now = cause.previous, cause.current
    if cause.driver == "volume":
        return f"{before:,.0f}", f"{now:,.0f}" + (" 通" if lang == "zh" else "")
    if cause.driver == "handle_time":
        return f"{before:.0f}", f"{now:.0f}{_seconds(lang)}"
    if cause.driver == "staffing":
        return f"{before:,.1f}", f"{now:,.1f}" + (" 小时" if lang == "zh" else " h")
    return f"{100 * before:.1f}%", f"{100 * now:.1f}%"


def _cause(cause: Cause, lang: Lang) -> str:
    name = _driver_name(cause.driver, cause.scheduled, lang)
    before, now = _numbers(cause, lang)
    change = _relative(cause.relative)
    if lang == "zh":
        name = ("日均" if cause.per_day else "") + name
        if cause.driver == "adherence":
            way = "升至" if cause.current > cause.previous else "降至"
            return f"{name}从 {before} {way} {now}"
        return f"{name} {change}（{before}→{now}）"
    name += " per day" if cause.per_day else ""
    if cause.driver == "adherence":
        return f"{name} {before}→{now}"
    return f"{name} {change} ({before}→{now})"


def _steady(causes: tuple[Cause, ...], lang: Lang) -> str:
    names = [_driver_name(c.driver, c.scheduled, lang) for c in causes]
    if lang == "zh":
        return "、".join(names) + "基本未变"
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"while {joined} {'was' if len(names) == 1 else 'were'} about unchanged"


def describe(finding: Finding, lang: Lang = "zh", versus: Versus = "day") -> str:
    """One finding as a sentence (see the module docstring)."""
    other = _VERSUS[lang][versus]
    if finding.kind == "no_calls":
        return "本期无来话。" if lang == "zh" else "No calls in this period."
    if finding.kind == "no_previous_data":
        if lang == "zh":
            return f"无上期数据（{other}无话务、无坐席签入），无法比较。"
        return (
            f"No data for the previous period ({other}: no calls, no agent time) to compare with."
        )
    if finding.kind == "no_previous":
        if lang == "zh":
            return f"{other}无来话，无法比较。"
        return f"No calls in {other} to compare with."
    causes = [_cause(c, lang) for c in finding.causes]
    if finding.kind == "steady":
        if lang == "zh":
            text = f"服务水平、呼叫放弃率、平均应答速度与{other}相比无明显变化"
            return text + ("；" + "，".join(causes) if causes else "") + "。"
        text = f"Service level, abandon rate and ASA about the same as {other}"
        return text + ("; " + ", ".join(causes) if causes else "") + "."
    moves = [_move(m, lang, i == 0) for i, m in enumerate(finding.moves[:MOST_MOVES])]
    where = _where(finding.window, lang) if finding.window is not None else ""
    if lang == "zh":
        text = "，".join(moves) + "：" + (where + " " if where else "")
        if causes:
            text += "，".join(causes)
            if finding.steady:
                text += "，" + _steady(finding.steady, lang)
        else:
            text += "来话量、处理时长和坐席工时的变化不足以解释（请查看话务结构与路由）"
        if "adherence" in finding.unknown:
            text += "（无排班数据，未判断实际工作率）"
        return text + "。"
    text = ", ".join(moves) + ": " + (where + ", " if where else "")
    if causes:
        text += ", ".join(causes)
        if finding.steady:
            text += " " + _steady(finding.steady, lang)
    else:
        text += "volume, handle time and staffing do not explain it (see the call mix, routing)"
    if "adherence" in finding.unknown:
        text += " (no schedule, so adherence is not known)"
    return text + "."

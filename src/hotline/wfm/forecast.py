"""Call forecasting (话务预测): calls offered per half hour per queue, and talk and
after-call time per call, for the days ahead, from a `History`.

Three methods, each a pure function of the history before the forecast's origin:

- ``last_week``: the same half hour one week earlier (the planner's first baseline);
- ``same_type_mean``: the mean of the last N days of the same day type (`DayType.key`:
  the same weekday; a 调休 workday with Monday's or Friday's; holidays with holidays;
  each Spring Festival day with the same day of earlier years);
- ``mstl``: statsforecast's MSTL (daily 48 and weekly 336 seasonality, AutoETS trend)
  on the square root of the counts (root-unroot) of the last weeks, with the days that
  are not ordinary (holidays, 调休, Spring Festival) imputed from the same weekday before
  fitting and predicted by ``same_type_mean``.

`backtest` replays a method from rolling origins over the last held-out weeks and
reports WAPE (Σ|forecast − actual| / Σ actual) and bias (Σ(forecast − actual) / Σ
actual); `forecast` picks, per queue, the method with the best WAPE. Special days
(`SpecialDay`) are divided out of the history and multiplied into the forecast.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from hotline.wfm.calendar import Calendar, ChinaCalendar, DayType, SpecialDay, special_factor
from hotline.wfm.history import SLOTS_PER_DAY, ForecastError, History, Matrix

__all__ = [
    "METHODS",
    "Accuracy",
    "ForecastSettings",
    "IntervalForecast",
    "Prediction",
    "QueueForecast",
    "backtest",
    "forecast",
    "predict",
]

METHODS = ("last_week", "same_type_mean", "mstl")
_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ForecastSettings:
    """`same_type_days`: N of ``same_type_mean``; `backtest_weeks` held out, forecast
    `horizon_days` ahead from an origin every `step_days`; `model_weeks` of history
    fitted by ``mstl``; `aht_weeks` averaged for talk and after-call time, each half
    hour shrunk toward the day's mean as if it had `aht_prior_calls` more calls at it;
    `allow_gaps`: skip missing days instead of refusing the history."""

    same_type_days: int = 4
    backtest_weeks: int = 4
    horizon_days: int = 7
    step_days: int = 7
    model_weeks: int = 8
    aht_weeks: int = 4
    aht_prior_calls: float = 10.0
    allow_gaps: bool = False
    methods: tuple[str, ...] = METHODS

    def __post_init__(self) -> None:
        unknown = [m for m in self.methods if m not in METHODS]
        if unknown or not self.methods:
            raise ValueError(f"methods must be among {METHODS}, got {self.methods}")
        for name in ("same_type_days", "backtest_weeks", "horizon_days", "step_days",
                     "model_weeks", "aht_weeks"):  # fmt: skip
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")


@dataclass(frozen=True, slots=True)
class Prediction:
    """Calls offered for `days` days from the origin, a (days, 48) matrix, and what the
    method had to fall back on (``notes``)."""

    method: str
    values: Matrix
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Accuracy:
    """A method's back-test on one queue: WAPE and bias over `origins` rolling origins."""

    queue: str
    method: str
    wape: float
    bias: float
    actual_calls: float
    origins: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IntervalForecast:
    """One half hour of one queue: calls offered and seconds per call."""

    queue: str
    start: datetime.datetime
    offered: float
    talk_seconds: float
    wrap_up_seconds: float

    @property
    def handle_seconds(self) -> float:
        return self.talk_seconds + self.wrap_up_seconds


@dataclass(frozen=True, slots=True)
class QueueForecast:
    """A queue's forecast from `first_day`: `offered` is (days, 48); talk and after-call
    seconds per call are per half hour of the day (48,)."""

    queue: str
    method: str
    first_day: datetime.date
    offered: Matrix
    talk_seconds: Matrix
    wrap_up_seconds: Matrix
    accuracy: tuple[Accuracy, ...] = ()
    notes: tuple[str, ...] = ()

    def intervals(self) -> list[IntervalForecast]:
        base = datetime.datetime.combine(self.first_day, datetime.time())
        step = datetime.timedelta(minutes=30)
        return [
            IntervalForecast(
                self.queue,
                base + (d * SLOTS_PER_DAY + s) * step,
                float(self.offered[d, s]),
                float(self.talk_seconds[s]),
                float(self.wrap_up_seconds[s]),
            )
            for d in range(self.offered.shape[0])
            for s in range(SLOTS_PER_DAY)
        ]


@dataclass(slots=True)
class _Context:
    """One queue's history prepared once: special days divided out, day types, usable days."""

    history: History
    queue: str
    calendar: Calendar
    specials: Sequence[SpecialDay]
    settings: ForecastSettings
    normal: Matrix = field(init=False)
    usable: np.ndarray = field(init=False)
    _types: dict[datetime.date, DayType] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        offered = self.history.queue(self.queue).offered
        factors = np.array(
            [special_factor(self.specials, self.queue, self.day(i)) for i in range(len(offered))]
        )
        self.normal = offered / factors[:, None]
        present = np.array([self.day(i) not in self.history.missing for i in range(len(offered))])
        closed = np.array([self.type(i).closed for i in range(len(offered))], dtype=bool)
        self.usable = present & ~closed

    def day(self, index: int) -> datetime.date:
        return self.history.first_day + index * _DAY

    def type(self, index: int) -> DayType:
        day = self.day(index)
        found = self._types.get(day)
        if found is None:
            found = self._types[day] = self.calendar.day_type(day)
        return found

    def check(self, origin: int) -> None:
        """Refuse a training span with no calls, or with gaps unless they are allowed."""
        if origin < 1:
            raise ForecastError(f"no history before {self.day(origin)} for queue {self.queue!r}")
        if not self.normal[:origin][self.usable[:origin]].sum() > 0:
            raise ForecastError(
                f"no calls in the history of queue {self.queue} between "
                f"{self.history.first_day} and {self.day(origin - 1)}",
                queue=self.queue,
            )
        gaps = [i for i in range(origin) if self.day(i) in self.history.missing
                and not self.type(i).closed]  # fmt: skip
        if gaps and not self.settings.allow_gaps:
            shown = ", ".join(str(self.day(i)) for i in gaps[:5])
            more = f" and {len(gaps) - 5} more" if len(gaps) > 5 else ""
            raise ForecastError(
                f"gaps in the history: no rows at all on {shown}{more} (open days); "
                "give those days' counts, or allow gaps to skip them",
                gaps=[str(self.day(i)) for i in gaps],
            )


def _same_type(ctx: _Context, origin: int, target: int, notes: list[str]) -> np.ndarray:
    """Mean of the last N usable days before `origin` typed like `target` (then its fallback)."""
    wanted = ctx.type(target)
    n = ctx.settings.same_type_days
    for key in (wanted.key, wanted.fallback):
        if key is None:
            continue
        found = [j for j in range(origin - 1, -1, -1) if ctx.usable[j] and ctx.type(j).key == key]
        if found:
            if key != wanted.key:
                notes.append(f"no past day like {wanted.key} ({wanted.label}): used {key}")
            elif len(found) < n:
                notes.append(f"only {len(found)} past day(s) of type {key}, fewer than {n}")
            rows: np.ndarray = ctx.normal[found[:n]].mean(axis=0)
            return rows
    notes.append(f"no past day like {wanted.key} ({wanted.label}): used the last open day")
    last = max(j for j in range(origin) if ctx.usable[j])
    same: np.ndarray = ctx.normal[last]
    return same


def _last_week(ctx: _Context, origin: int, days: int, notes: list[str]) -> Matrix:
    out = np.zeros((days, SLOTS_PER_DAY))
    for t in range(days):
        j = origin + t - 7
        while j >= origin:
            j -= 7
        while j >= 0 and not ctx.usable[j]:
            j -= 7
        if j >= 0:
            out[t] = ctx.normal[j]
        else:
            notes.append(f"{ctx.day(origin + t)}: no open day a whole number of weeks before")
            out[t] = _same_type(ctx, origin, origin + t, notes)
    return out


def _same_type_mean(ctx: _Context, origin: int, days: int, notes: list[str]) -> Matrix:
    return np.array([_same_type(ctx, origin, origin + t, notes) for t in range(days)])


def _mstl(ctx: _Context, origin: int, days: int, notes: list[str]) -> Matrix:
    window = min(origin, ctx.settings.model_weeks * 7)
    if window < 14:
        notes.append(f"mstl needs 14 days of history, has {window}: used same_type_mean")
        return _same_type_mean(ctx, origin, days, notes)
    start = origin - window
    series = np.full((window, SLOTS_PER_DAY), np.nan)
    for i in range(window):
        kind = ctx.type(start + i)
        if kind.ordinary and kind.closed:  # closed every week (a weekend): the season has it
            series[i] = 0.0
        elif kind.ordinary and ctx.usable[start + i]:
            series[i] = ctx.normal[start + i]
        # else (a holiday, 调休, a gap …) imputed below: a lone odd day would bend the trend
    for order in (range(7, window), range(window - 8, -1, -1)):  # fill from a week away
        for i in order:
            source = i - 7 if order.step > 0 else i + 7
            if np.isnan(series[i, 0]) and not np.isnan(series[source, 0]):
                series[i] = series[source]
    for k in np.flatnonzero(np.isnan(series[:, 0])):
        series[k] = _same_type(ctx, origin, start + int(k), [])
    from statsforecast.models import MSTL, AutoETS  # slow import: only when used

    model = MSTL(season_length=[SLOTS_PER_DAY, 7 * SLOTS_PER_DAY],
                 trend_forecaster=AutoETS(model="ZZN"))  # fmt: skip
    try:
        # root-unroot (Brown et al. 2005): Poisson counts have variance equal to their mean,
        # so the square root makes the noise even across busy and quiet half hours and
        # turns the weekly and daily scaling into something closer to additive
        root = model.forecast(y=np.sqrt(series.ravel() + 0.25), h=days * SLOTS_PER_DAY)["mean"]
        mean = np.clip(np.asarray(root, dtype=float), 0.0, None) ** 2 - 0.25
    except (ValueError, ZeroDivisionError, FloatingPointError, np.linalg.LinAlgError) as exc:
        notes.append(f"mstl failed ({exc}): used same_type_mean")
        return _same_type_mean(ctx, origin, days, notes)
    out: Matrix = np.clip(np.asarray(mean, dtype=float).reshape(days, SLOTS_PER_DAY), 0.0, None)
    for t in range(days):
        if not ctx.type(origin + t).ordinary:
            out[t] = _same_type(ctx, origin, origin + t, notes)
    return out


_METHOD_FUNCTIONS = {"last_week": _last_week, "same_type_mean": _same_type_mean, "mstl": _mstl}


def _predict(ctx: _Context, method: str, origin: int, days: int) -> Prediction:
    ctx.check(origin)
    notes: list[str] = []
    values = _METHOD_FUNCTIONS[method](ctx, origin, days, notes)
    for t in range(days):
        if ctx.type(origin + t).closed:
            values[t] = 0.0
        else:
            values[t] *= special_factor(ctx.specials, ctx.queue, ctx.day(origin + t))
    return Prediction(method, values, tuple(dict.fromkeys(notes)))


def predict(
    history: History,
    queue: str,
    method: str,
    first_day: datetime.date,
    days: int,
    *,
    calendar: Calendar | None = None,
    specials: Sequence[SpecialDay] = (),
    settings: ForecastSettings | None = None,
) -> Prediction:
    """`method`'s forecast of `queue` for `days` days from `first_day`, learned from the
    history before `first_day` (days after it, if any, are not looked at).

    Raises `ForecastError` for an unknown queue or method, an empty history ("no calls
    in the history of queue X between … and …") or gaps (unless allowed).
    """
    if method not in METHODS:
        raise ForecastError(f"unknown method {method!r} (methods: {', '.join(METHODS)})")
    if days < 1:
        raise ForecastError(f"days must be >= 1, got {days}")
    ctx = _Context(history, queue, calendar or ChinaCalendar(), specials,
                   settings or ForecastSettings())  # fmt: skip
    origin = min(history.index(first_day), history.days)
    skip = history.index(first_day) - origin  # days between the history's end and first_day
    prediction = _predict(ctx, method, origin, skip + days)
    return Prediction(method, prediction.values[skip:], prediction.notes)


def _backtest(ctx: _Context, method: str, weeks: int) -> Accuracy:
    s = ctx.settings
    total = ctx.history.days
    actual = ctx.history.queue(ctx.queue).offered
    abs_err = err = calls = 0.0
    origins = 0
    notes: list[str] = []
    for origin in range(total - weeks * 7, total, s.step_days):
        days = min(s.horizon_days, total - origin)
        mask = ctx.usable[origin : origin + days]
        if not mask.any():  # nothing to score (closed or missing days): skip the fit
            continue
        prediction = _predict(ctx, method, origin, days)
        notes.extend(prediction.notes)
        diff = (prediction.values - actual[origin : origin + days])[mask]
        abs_err += float(np.abs(diff).sum())
        err += float(diff.sum())
        calls += float(actual[origin : origin + days][mask].sum())
        origins += 1
    wape = abs_err / calls if calls > 0 else math.nan
    bias = err / calls if calls > 0 else math.nan
    return Accuracy(ctx.queue, method, wape, bias, calls, origins, tuple(dict.fromkeys(notes)))


def backtest(
    history: History,
    queue: str,
    *,
    calendar: Calendar | None = None,
    specials: Sequence[SpecialDay] = (),
    settings: ForecastSettings | None = None,
) -> list[Accuracy]:
    """Each method's WAPE and bias on the last `backtest_weeks` weeks of the history,
    forecast `horizon_days` ahead from an origin every `step_days` (rolling origin; only
    the history before each origin is used). Days missing or closed are not scored.

    Raises `ForecastError` when the history is shorter than one week plus the held-out
    weeks, or has no calls before the first origin.
    """
    s = settings or ForecastSettings()
    if history.days < (s.backtest_weeks + 1) * 7:
        raise ForecastError(
            f"history of {history.days} days is too short to back-test {s.backtest_weeks} "
            f"week(s): needs {(s.backtest_weeks + 1) * 7}",
            days=history.days,
        )
    ctx = _Context(history, queue, calendar or ChinaCalendar(), specials, s)
    return [_backtest(ctx, method, s.backtest_weeks) for method in s.methods]


def _handle_profile(ctx: _Context, origin: int) -> tuple[Matrix, Matrix, list[str]]:
    """Talk and after-call seconds per call per half hour over the last `aht_weeks`."""
    s = ctx.settings
    q = ctx.history.queue(ctx.queue)
    lo = max(0, origin - s.aht_weeks * 7)
    rows = [j for j in range(lo, origin) if ctx.usable[j]]
    answered = q.answered[rows].sum(axis=0)
    total = float(answered.sum())
    if total <= 0:
        note = f"no answered calls in the {s.aht_weeks} weeks before: talk and wrap-up unknown (0)"
        return np.zeros(SLOTS_PER_DAY), np.zeros(SLOTS_PER_DAY), [note]
    out = []
    for seconds in (q.talk_seconds[rows].sum(axis=0), q.wrap_up_seconds[rows].sum(axis=0)):
        mean = float(seconds.sum()) / total
        out.append((seconds + s.aht_prior_calls * mean) / (answered + s.aht_prior_calls))
    return out[0], out[1], []


def forecast(
    history: History,
    first_day: datetime.date,
    days: int,
    *,
    queues: Iterable[str] | None = None,
    calendar: Calendar | None = None,
    specials: Sequence[SpecialDay] = (),
    settings: ForecastSettings | None = None,
) -> list[QueueForecast]:
    """Each queue's forecast for `days` days from `first_day` by the method with the best
    back-test WAPE (see `backtest`); with too short a history for a back-test, by
    ``same_type_mean``, and the notes say so.

    Raises `ForecastError` as `predict` does.
    """
    s = settings or ForecastSettings()
    cal = calendar or ChinaCalendar()
    out: list[QueueForecast] = []
    for queue in queues if queues is not None else history.queues:
        ctx = _Context(history, queue, cal, specials, s)
        notes: list[str] = []
        weeks = min(s.backtest_weeks, history.days // 7 - 1)
        accuracy: list[Accuracy] = []
        if weeks >= 1:
            if weeks < s.backtest_weeks:
                notes.append(f"history of {history.days} days: back-tested on {weeks} week(s)")
            accuracy = [_backtest(ctx, m, weeks) for m in s.methods]
        scored = [a for a in accuracy if not math.isnan(a.wape)]
        if scored:
            method = min(scored, key=lambda a: a.wape).method
        else:
            method = "same_type_mean"
            notes.append(f"history of {history.days} days too short to back-test: {method}")
        origin = min(history.index(first_day), history.days)
        skip = history.index(first_day) - origin
        prediction = _predict(ctx, method, origin, skip + days)
        talk, wrap, aht_notes = _handle_profile(ctx, origin)
        out.append(QueueForecast(
            queue, method, first_day, prediction.values[skip:], talk, wrap, tuple(accuracy),
            tuple(dict.fromkeys([*notes, *prediction.notes, *aht_notes])),
        ))  # fmt: skip
    return out

"""The catalogue of management figures (管理指标): what each one means, its unit and target.

The seed's 23 figures (000 第二篇) come first, numbered 1–23, then the extra figures the
95598 rules and the other seeds ask for. `docs/metrics.md` explains every choice; the
SQL that computes them lives in `hotline.store.analytics`, the arithmetic that turns
its sums into figures in `hotline.metrics.formulas`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Unit = Literal["ratio", "seconds", "count", "per_hour", "yuan", "score"]
Need = Literal["cost", "roster", "hr", "schedule", "qa", "orders"]


@dataclass(frozen=True, slots=True)
class Target:
    """A goal for a figure: `value` and whether a higher or a lower figure is better."""

    value: float
    better: Literal["higher", "lower"]

    def met(self, value: float) -> bool:
        return value >= self.value if self.better == "higher" else value <= self.value


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    number: int | None
    zh: str
    en: str
    unit: Unit
    formula: str
    events: tuple[str, ...]
    target: Target | None
    needs: str | None


_CALL = ("call.arrived", "call.ended")
_QUEUE = ("contact.queued", "contact.answered", "contact.abandoned", "contact.left")
_LEGS = ("contact.completed", "contact.transferred", "consult.ended", "agent.state_changed")
_STATE = ("agent.state_changed",)


def _f(
    key: str,
    number: int | None,
    zh: str,
    en: str,
    unit: Unit,
    formula: str,
    events: tuple[str, ...],
    target: Target | None = None,
    needs: Need | None = None,
) -> Figure:
    return Figure(key, number, zh, en, unit, formula, events, target, needs)


_ALL = (
    _f(
        "work_rate", 1, "实际工作率", "Actual work rate", "ratio",
        "logged-in time not in not-ready or away / scheduled time",
        _STATE, Target(0.92, "higher"), "schedule",
    ),
    _f(
        "acw", 2, "事后处理时间", "After-call work time", "seconds",
        "wrap-up seconds / conversations handled",
        _LEGS, Target(60.0, "lower"),
    ),
    _f(
        "abandon_time", 3, "平均放弃时间", "Average abandon time", "seconds",
        "seconds waited by callers who abandoned in queue or while ringing / those callers "
        "(short abandons included)",
        _QUEUE,
    ),
    _f(
        "cost_per_call", 4, "平均单呼成本", "Cost per call", "yuan",
        "total cost of the period / all calls arrived",
        _CALL, Target(5.0, "lower"), "cost",
    ),
    _f(
        "aht", 5, "平均处理时长", "Average handle time (AHT)", "seconds",
        "(talk + hold + after-call work) / conversations handled",
        _LEGS,
    ),
    _f(
        "hold_time", 6, "平均持线时间", "Average hold time", "seconds",
        "seconds callers spent on hold / conversations handled",
        _LEGS,
    ),
    _f(
        "rings", 7, "平均振铃次数", "Average rings", "count",
        "ring seconds of answered contacts / ring cycle (3 s) / answered contacts",
        ("contact.answered",),
    ),
    _f(
        "queue_time", 8, "平均排队时间", "Average queue time", "seconds",
        "seconds in queue of contacts that left the queue (answered, abandoned, withdrawn) "
        "/ those contacts",
        _QUEUE,
    ),
    _f(
        "asa", 9, "平均应答速度", "Average speed of answer (ASA)", "seconds",
        "queue seconds (ringing included) of answered calls / answered calls",
        ("contact.queued", "contact.answered"),
    ),
    _f(
        "talk_time", 10, "平均交谈时间", "Average talk time", "seconds",
        "talk seconds (hold excluded) / conversations handled",
        _LEGS, Target(150.0, "lower"),
    ),
    _f(
        "calls_per_hour", 11, "每小时呼叫次数", "Calls per agent hour", "per_hour",
        "conversations handled / logged-in agent hours",
        (*_LEGS,),
    ),
    _f(
        "qa_score", 12, "监听分值", "Monitoring (QA) score", "score",
        "mean of the QA inspectors' scores", (), None, "qa",
    ),
    _f(
        "occupancy", 13, "占用率", "Occupancy", "ratio",
        "(talk + hold + wrap-up) / (talk + hold + wrap-up + ready + ringing) agent time",
        _STATE,
    ),
    _f(
        "abandon_rate", 14, "呼叫放弃率", "Abandon rate", "ratio",
        "abandoned after more than 20 s / (answered + abandoned after more than 20 s)",
        _QUEUE,
    ),
    _f(
        "attendance", 15, "出勤率", "Attendance", "ratio",
        "scheduled agents who logged in during their shift / scheduled agents",
        _STATE, None, "schedule",
    ),
    _f(
        "blocked_rate", 16, "忙音率", "Busy (blocked) rate", "ratio",
        "calls ended blocked / all calls arrived", _CALL,
    ),
    _f(
        "fcr", 17, "一次性解决率", "First-call resolution", "ratio",
        "answered calls whose caller did not call again within 24 h and got no callback task "
        "/ answered calls",
        (*_CALL, "callback.created"),
    ),
    _f(
        "queued_rate", 18, "队列放置率", "Queued-call rate", "ratio",
        "calls that entered a queue / all calls arrived", (*_CALL, "contact.queued"),
    ),
    _f(
        "transfer_rate", 19, "转接率", "Transfer rate", "ratio",
        "conversations ended by a transfer (blind or consult) / conversations handled",
        _LEGS, Target(0.03, "lower"),
    ),
    _f(
        "answered_rate", 20, "人工接通率", "Answered rate", "ratio",
        "calls answered by an agent / calls that entered a queue",
        _QUEUE, Target(0.99, "higher"),
    ),
    _f(
        "service_level", 21, "服务水平", "Service level", "ratio",
        "answered within X s / base of the chosen variant (default: answered + abandoned "
        "after more than 20 s)",
        _QUEUE, Target(0.85, "higher"),
    ),
    _f(
        "total_calls", 22, "总呼叫数", "Total calls", "count",
        "calls arrived (blocked, abandoned, answered, self-served, called back)", _CALL,
    ),
    _f(
        "attrition", 23, "客服代表流动率", "Agent attrition (per year)", "ratio",
        "agents who left / average full-time headcount, scaled to a year",
        (), Target(0.20, "lower"), "hr",
    ),
    # ---- the parts of figure 22 and the queue counts behind the rates --------------------
    _f("calls_answered", None, "接通呼叫", "Calls answered", "count",
       "calls ended with outcome answered", _CALL),
    _f("calls_abandoned", None, "放弃呼叫", "Calls abandoned", "count",
       "calls ended with outcome abandoned (in the IVR, in queue or ringing)", _CALL),
    _f("calls_blocked", None, "受阻呼叫", "Calls blocked", "count",
       "calls ended with outcome blocked", _CALL),
    _f("calls_self_served", None, "自助服务", "Calls self-served", "count",
       "calls ended with outcome self_served", _CALL),
    _f("calls_callback", None, "转回呼", "Calls turned into callbacks", "count",
       "calls ended with outcome callback", _CALL),
    _f("offered", None, "进入队列", "Offered to agents", "count",
       "calls that entered a queue", _QUEUE),
    _f("answered", None, "人工接通", "Answered by agents", "count",
       "calls answered by an agent", _QUEUE),
    _f("abandoned", None, "排队放弃", "Abandoned in queue", "count",
       "calls that abandoned in queue or while ringing, before any answer", _QUEUE),
    _f("abandoned_short", None, "短时放弃", "Short abandons", "count",
       "of those, abandoned within 20 s", _QUEUE),
    _f("handled", None, "处理通话", "Conversations handled", "count",
       "conversations ended (completed, transferred, consult-transferred)", _LEGS),
    # ---- the extras the issue asks for ----------------------------------------------------
    _f("connection_rate_auto", None, "自动接通率", "Connection rate, automatic (inbound)",
       "ratio", "calls the IVR answered / all calls arrived", (*_CALL, "ivr.entered")),
    _f("connection_rate_manual", None, "人工接通率(呼入)", "Connection rate, manual (inbound)",
       "ratio", "calls answered by an agent / calls that entered a queue (= answered rate)",
       _QUEUE, Target(0.99, "higher")),
    _f("connection_rate_outbound", None, "外呼接通率", "Connection rate, outbound", "ratio",
       "outbound calls answered / outbound calls placed", ()),
    _f("occupancy_seed", None, "占线率(种子口径)", "Occupancy, seed wording", "ratio",
       "(talk + hold) / (talk + hold + ready + ringing) agent time", _STATE),
    _f("ring_time", None, "平均振铃时长", "Average ring time", "seconds",
       "ring seconds of answered contacts / answered contacts",
       ("contact.answered",), Target(12.0, "lower")),
    _f("fcr_orders", None, "一次办结率(工单)", "First-contact resolution (orders)", "ratio",
       "orders answered at once by the agent, never assigned nor reopened / orders created",
       ("order.created", "order.assigned", "order.answered", "order.reopened")),
    _f("satisfaction", None, "满意率", "Satisfaction rate", "ratio",
       "survey scores 4 or 5 / survey answers", ("survey.scored",), Target(0.99, "higher")),
    _f("survey_score", None, "满意度均分", "Mean survey score (1–5)", "score",
       "sum of survey scores / survey answers", ("survey.scored",)),
    _f("complaint_rate", None, "投诉率", "Complaint rate", "ratio",
       "complaint orders (type complaint, 投诉) created / calls answered by an agent",
       (*_CALL, "order.created")),
    _f("order_accuracy", None, "受理工单正确率", "Order accuracy", "ratio",
       "orders with every key field right / orders checked", ("order.created",), None,
       "orders"),
    _f("return_visit_rate", None, "回访率", "Return-visit rate", "ratio",
       "return visits made / return visits scheduled",
       ("order.visit_scheduled", "order.visited")),
    _f("callbacks_created", None, "回呼任务", "Callback tasks created", "count",
       "callback tasks created", ("callback.created",)),
    _f("callback_in_time", None, "24小时回呼率", "Callbacks made within 24 h", "ratio",
       "tasks closed reached or done by their due time / tasks closed or past due",
       ("callback.created", "callback.closed"), Target(1.0, "higher")),
    _f("agents_logged_in", None, "签入坐席", "Agents logged in", "count",
       "agents logged in at some time", _STATE),
    _f("logged_in_hours", None, "签入时长", "Logged-in agent hours", "count",
       "hours agents were logged in", _STATE),
)  # fmt: skip

FIGURES: Mapping[str, Figure] = MappingProxyType({f.key: f for f in _ALL})
"""Every figure by key: the seed's 23 first (in its order), then the extras."""

SEED_FIGURES = tuple(f for f in _ALL if f.number is not None)

"""Training records as the API answers them (JSON-ready dictionaries)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hotline.training.config import Checklist, ChecklistItem, TrainingConfig
from hotline.training.store import Attempt, StageRecord, Task, Tick


def config_json(config: TrainingConfig) -> dict[str, Any]:
    """The configuration without the question banks' answers."""
    return {
        "stages": [
            {
                "id": s.id,
                "title": s.title,
                "order": s.order,
                "exam": s.exam,
                "pass_score": config.pass_score(s.exam, s.id) if s.exam else None,
                "min_days": s.min_days,
                "description": s.description,
            }
            for s in config.stages
        ],
        "exams": [
            {
                "id": e.id,
                "title": e.title,
                "questions": e.questions,
                "minutes": e.minutes,
                "pass_score": e.pass_score,
                "open": e.open,
                "description": e.description,
                "pool": len(config.pool(e)),
            }
            for e in config.exams.values()
        ],
        "targeted": None
        if config.targeted is None
        else {
            "threshold": config.targeted.threshold,
            "lookback_days": config.targeted.lookback_days,
            "min_evaluations": config.targeted.min_evaluations,
            "exam": config.targeted.exam,
            "kb": list(config.targeted.kb),
            "cases": list(config.targeted.cases),
            "due_days": config.targeted.due_days,
        },
        "shifts": list(config.shifts),
        "checklists": [
            {
                "role": c.role,
                "title": c.title,
                "user_role": c.user_role,
                "description": c.description,
                "items": [item_json(i) for i in c.items],
            }
            for c in config.checklists.values()
        ],
    }


def item_json(item: ChecklistItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "category": item.category,
        "text": item.text,
        "requirement": item.requirement,
        "limit": item.limit,
    }


def attempt_json(attempt: Attempt, now: float, titles: Mapping[str, str]) -> dict[str, Any]:
    """An attempt; while open, the paper without answers and the person's seconds left;
    once handed in, the right answers, the explanations and which were wrong."""
    is_open = attempt.status == "open"
    hidden = ("answer", "explanation", "kb")
    questions = [
        {k: v for k, v in q.items() if not (is_open and k in hidden)} for q in attempt.questions
    ]
    wrong = (
        []
        if is_open
        else [
            q["key"]
            for q in attempt.questions
            if list(attempt.answers.get(q["key"], [])) != list(q.get("answer", []))
        ]
    )
    return {
        "id": attempt.id,
        "agent": attempt.agent,
        "exam": attempt.exam,
        "title": titles.get(attempt.exam, attempt.exam),
        "stage": attempt.stage,
        "task": attempt.task,
        "status": attempt.status,
        "questions": questions,
        "answers": {} if is_open else attempt.answers,
        "wrong": wrong,
        "score": attempt.score,
        "correct": attempt.correct,
        "total": len(attempt.questions),
        "pass_score": attempt.pass_score,
        "passed": attempt.passed,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        "remaining": max(0.0, (attempt.deadline - now) / attempt.pace) if is_open else None,
    }


def stage_json(record: StageRecord) -> dict[str, Any]:
    return {
        "agent": record.agent,
        "stage": record.stage,
        "started_at": record.started_at,
        "started_by": record.started_by,
        "exam_passed_at": record.exam_passed_at,
        "passed_at": record.passed_at,
    }


def task_json(task: Task, exams: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A task as the pages show it; `exams` (id → title) names its retake exam."""
    return {
        "exam_title": (exams or {}).get(task.exam, task.exam),
        "id": task.id,
        "agent": task.agent,
        "reason": task.reason,
        "detail": task.detail,
        "study": task.study,
        "exam": task.exam,
        "status": task.status,
        "created_at": task.created_at,
        "created_by": task.created_by,
        "due_at": task.due_at,
        "done_at": task.done_at,
        "attempt": task.attempt,
    }


def tick_json(tick: Tick) -> dict[str, Any]:
    return {
        "id": tick.id,
        "person": tick.person,
        "role": tick.role,
        "item": tick.item,
        "period": tick.period,
        "ticked_by": tick.ticked_by,
        "at": tick.at,
        "note": tick.note,
    }


def sheet_json(
    checklist: Checklist,
    person: str,
    day: str,
    rows: Sequence[tuple[ChecklistItem, str, Tick | None]],
    *,
    shift: str | None = None,
) -> dict[str, Any]:
    """A person's checklist for a day: items with their period and tick, and how many
    of them are ticked."""
    items = [
        {**item_json(item), "period": period, "tick": tick_json(tick) if tick else None}
        for item, period, tick in rows
    ]
    return {
        "role": checklist.role,
        "title": checklist.title,
        "person": person,
        "day": day,
        "shift": shift,
        "items": items,
        "ticked": sum(1 for i in items if i["tick"]),
    }

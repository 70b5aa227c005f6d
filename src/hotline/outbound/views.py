"""外呼's API bodies: the campaigns with their progress, an import's report, a list's
entries and the import form's choices — the pydantic models the routes answer with, and
the functions that fill them from the dialer (on the engine's thread).

A rate is a share from 0 to 1, never over 1 (a drop counted after a restart's answer
cannot make it 110 %), and null when there is nothing to share yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field

from hotline.core.masking import mask_phone
from hotline.outbound.campaign import CampaignSpec, Entry, EntryState
from hotline.outbound.dialer import Dialer
from hotline.outbound.lists import ListProblem

MAX_MIB = 20
"""The largest call list the import takes, in MiB (the API refuses more, the page says so)."""
MAX_PROBLEMS = 200
"""Row problems sent back with an import (the count is always whole)."""


class ProgressOut(BaseModel):
    entries: int = Field(description="customers on the list")
    pending: int = Field(description="waiting for their next call (待拨)")
    held: int = Field(description="shown to an agent who decides whether to dial (预览式)")
    dialing: int = Field(description="ringing now")
    closed: int = Field(description="done with: reached, tries used up, or skipped")
    reached: int
    right_party: int = Field(description="reached, and the agent confirmed the customer (本人)")
    exhausted: int = Field(description="closed after the last try (then 转纸质通知 / 升级处理)")
    skipped: int = Field(description="never called: do-not-call, black list, no window")
    calls: int
    answered: int
    dropped: int = Field(description="answered with no agent free within drop_after")
    window_answered: int = Field(description="answered in the drop guard's current window")
    window_dropped: int
    answer_rate: float | None = Field(description="接通率 answered / calls; null: no calls")
    drop_rate: float | None = Field(description="放弃率 dropped / answered; null: none answered")
    window_drop_rate: float | None = Field(description="the same over the current window")


class CampaignOut(BaseModel):
    id: str
    name: str
    kind: str = Field(
        description="callbacks, return_visits, bill_notice, arrears_reminder, outage_notice "
        "(standing: fed by the hotline's own lists) or imported"
    )
    queue: str | None = Field(description="answered customers go to this queue's agents")
    queue_title: str | None
    prompt: str | None = Field(description="or hear this prompt (an automatic notice)")
    prompt_text: str | None
    pacing: str = Field(description="preview, progressive, adaptive, predictive")
    state: str = Field(description="new, running, paused, stopped, finished")
    standing: bool
    max_tries: int
    drop_cap: float = Field(description="the drop rate's cap over each window (0.03: 3 %)")
    progress: ProgressOut


class CampaignListOut(BaseModel):
    now: float
    campaigns: list[CampaignOut]


class ProblemOut(BaseModel):
    file: str
    row: int = Field(description="the row a spreadsheet shows (the header is row 1)")
    column: str = Field(description="the header as written in the file")
    reason: str


class ImportOut(BaseModel):
    campaign: CampaignOut
    file: str
    accepted: int = Field(description="customers put on the list")
    skipped_rows: int = Field(description="rows refused (see problems)")
    duplicates: int = Field(description="rows repeating a number already kept (kept once)")
    problems: list[ProblemOut] = Field(
        description=f"the refused rows' problems (first {MAX_PROBLEMS})"
    )


class EntryOut(BaseModel):
    id: str
    number: str = Field(description="masked (138****8000)")
    name: str
    customer_class: str = Field(description="resident or business")
    important: bool
    tries: int
    state: str = Field(description="pending, held (shown to an agent), dialing, closed")
    result: str = Field(description="the last call's result, or skipped; empty before a call")
    next_due: float | None = Field(description="when it is called next; null unless pending")


class EntryListOut(BaseModel):
    campaign: str
    total: int = Field(description="entries in the chosen state")
    entries: list[EntryOut]


class QueueOption(BaseModel):
    name: str
    title: str
    outbound: bool = Field(description="a standing campaign of outbound.yaml uses it")


class PromptOption(BaseModel):
    name: str
    text: str
    notice: bool = Field(
        description="a notice: the hotline's own prompt, outside the IVR flows (not the "
        "dialer's apology)"
    )


class PacingOption(BaseModel):
    name: str
    zh: str
    en: str


class OptionsOut(BaseModel):
    queues: list[QueueOption]
    prompts: list[PromptOption]
    pacings: list[PacingOption]
    pacing: str = Field(description="outbound.yaml's default pacing")


def rate(part: int, whole: int) -> float | None:
    """A share never over 1; None with nothing to share."""
    return min(1.0, part / whole) if whole > 0 else None


def campaign_view(
    dialer: Dialer, spec: CampaignSpec, titles: Mapping[str, str], texts: Mapping[str, str]
) -> dict[str, Any]:
    """On the engine's thread: one campaign with its progress now; `titles` are the
    queues' titles, `texts` the prompts' words, by name."""
    p = dialer.progress(spec.id)
    return {
        "id": spec.id,
        "name": spec.name,
        "kind": spec.kind,
        "queue": spec.queue,
        "queue_title": titles.get(spec.queue, spec.queue) if spec.queue else None,
        "prompt": spec.prompt,
        "prompt_text": texts.get(spec.prompt) if spec.prompt else None,
        "pacing": spec.pacing,
        "state": dialer.state(spec.id),
        "standing": spec.standing,
        "max_tries": spec.max_tries,
        "drop_cap": spec.drop_cap,
        "progress": {
            "entries": p.entries,
            "pending": p.pending,
            "held": p.held,
            "dialing": p.dialing,
            "closed": p.closed,
            "reached": p.reached,
            "right_party": p.right_party,
            "exhausted": p.exhausted,
            "skipped": p.skipped,
            "calls": p.calls,
            "answered": p.answered,
            "dropped": p.dropped,
            "window_answered": p.window_answered,
            "window_dropped": p.window_dropped,
            "answer_rate": rate(p.answered, p.calls),
            "drop_rate": rate(p.dropped, p.answered),
            "window_drop_rate": rate(p.window_dropped, p.window_answered),
        },
    }


def entry_view(entry: Entry) -> dict[str, Any]:
    pending = entry.state is EntryState.PENDING
    return {
        "id": entry.id,
        "number": mask_phone(entry.number),
        "name": entry.name,
        "customer_class": entry.customer_class,
        "important": entry.important,
        "tries": entry.tries,
        "state": entry.state.value,
        "result": entry.result,
        "next_due": entry.due if pending else None,
    }


def problem_view(problem: ListProblem) -> dict[str, Any]:
    return {
        "file": problem.file,
        "row": problem.row,
        "column": problem.column,
        "reason": problem.reason,
    }

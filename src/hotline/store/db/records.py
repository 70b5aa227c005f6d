"""The records repositories return: frozen dataclasses, one per table row.

Callers (the API, the live runtime) hold these, never ORM objects, so no session
outlives a call and no lazy load can reach the database from another thread.
"""

from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    password_hash: str
    agent_id: str | None
    active: bool
    created_at: float
    must_change_password: bool = False
    password_changed_at: float | None = None
    department: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: float
    username: str
    role: str
    action: str
    subject_type: str
    subject_id: str
    detail: dict[str, Any]
    client: str


@dataclasses.dataclass(frozen=True, slots=True)
class Customer:
    id: int
    name: str
    phone: str
    id_number: str
    account: str
    address: str
    tier: str
    list_mark: str
    list_reason: str
    created_at: float


@dataclasses.dataclass(frozen=True, slots=True)
class Agent:
    id: str
    name: str
    team: str
    skills: dict[str, Any]
    human: bool


@dataclasses.dataclass(frozen=True, slots=True)
class Skill:
    name: str
    title: str


@dataclasses.dataclass(frozen=True, slots=True)
class Queue:
    name: str
    title: str
    spec: dict[str, Any]


@dataclasses.dataclass(frozen=True, slots=True)
class ConfigDocument:
    name: str
    version: int
    text: str
    updated_by: str
    updated_at: float


@dataclasses.dataclass(frozen=True, slots=True)
class CallRecord:
    call: str
    arrived_at: float | None
    caller: str | None
    dialed: str | None
    tier: str | None
    list_mark: str | None
    queue: str | None
    agent: str | None
    answered_at: float | None
    ended_at: float | None
    outcome: str | None
    phase: str | None
    wait_s: float | None
    talk_s: float | None
    hold_s: float | None
    disposition: str | None
    note: str | None

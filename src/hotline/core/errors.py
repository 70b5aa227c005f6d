"""The root of Hotline's error hierarchy.

Each package defines its own family under `HotlineError`; every error carries
a stable `error_id` and the data that explains it, so an API or CLI can show a
clear message without parsing text. Errors carry no HTTP status: mapping to a
protocol is the edge's job.
"""

from __future__ import annotations

from typing import Any


class HotlineError(Exception):
    """Base of every error Hotline raises on purpose."""

    error_id: str = "hotline-error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class UnknownAgentError(HotlineError):
    """No agent has this 工号 (`AgentId`): not in the ACD's roster, or, for a report, in
    neither the roster nor the event log. The details name it (``agent=``).

    Here rather than in one package's family because the ACD (`hotline.routing`) and the
    reports (`hotline.reports`) both raise it and both may import `hotline.core`; one
    class keeps one meaning for the stable id ``no-such-agent``.
    """

    error_id = "no-such-agent"

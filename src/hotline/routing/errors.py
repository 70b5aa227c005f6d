"""Errors of the ACD: each names the agent, queue or call it is about.

An unknown agent is `hotline.core.errors.UnknownAgentError`, shared with the reports."""

from __future__ import annotations

from hotline.core.errors import HotlineError


class RoutingError(HotlineError):
    error_id = "routing-error"


class UnknownQueueError(RoutingError):
    error_id = "no-such-queue"


class UnknownContactError(RoutingError):
    error_id = "no-such-contact"


class InvalidAgentTransitionError(RoutingError):
    """The agent's state does not allow the command (e.g. ready while logged out)."""

    error_id = "invalid-agent-transition"


class InvalidContactTransitionError(RoutingError):
    error_id = "invalid-contact-transition"


class NoAgentFreeError(RoutingError):
    error_id = "no-agent-free"

"""Typed identifiers shared by every package."""

from __future__ import annotations

from typing import NewType

CallId = NewType("CallId", str)
AgentId = NewType("AgentId", str)  # the agent's 工号
QueueName = NewType("QueueName", str)
SkillName = NewType("SkillName", str)
CallbackId = NewType("CallbackId", str)

"""The six roles of Hotline's users and what each may see or do.

Who may call which endpoint is written next to each route (`deps.require`);
this module holds the role names and the questions asked in more than one
place: may this role see a customer's numbers unmasked, may it command an
agent's state, does it watch the wallboard.
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """A user's role (stored as its value in ``users.role``)."""

    AGENT = "agent"  # 客服代表: own desk, own calls, the customer on the current call
    SHIFT_LEAD = "shift_lead"  # 值班长: takes hard calls, sees numbers unmasked, forces states
    SUPERVISOR = "supervisor"  # 主管: wallboard, forces states, audit; numbers masked
    QA = "qa"  # 质检员: wallboard, calls and events; numbers masked
    ADMIN = "admin"  # 管理员: users and configuration; numbers masked
    DEPARTMENT = "department"  # 处理部门: one department's orders (users.department), 跟进 and 答复
    PLANNER = "planner"  # 排班员: forecast, staffing, schedules; wallboard; numbers masked


WATCHERS = frozenset({Role.SHIFT_LEAD, Role.SUPERVISOR, Role.QA, Role.ADMIN, Role.PLANNER})
"""Roles that see the whole hotline (wallboard, every agent, every call), each masked as it must."""

COMMANDERS = frozenset({Role.SHIFT_LEAD, Role.SUPERVISOR})
"""Roles that may force another agent's state (强制示忙/签出)."""

AUDITORS = frozenset({Role.ADMIN, Role.SUPERVISOR})
"""Roles that read the audit log."""


def sees_unmasked(role: Role, *, on_the_call: bool, following_up: bool = False) -> bool:
    """Whether `role` sees a customer's numbers in clear.

    Least privilege: only the shift lead (who takes escalated calls and needs to
    call back), the agent on that customer's current call and a department
    following up an order assigned to it (`following_up`: the order is with that
    department and still open there — the repair team goes to the address and calls
    the phone; each such read is audited by the caller) see them; the supervisor,
    QA and the administrator see masked numbers.
    """
    return (
        role is Role.SHIFT_LEAD
        or (role is Role.AGENT and on_the_call)
        or (role is Role.DEPARTMENT and following_up)
    )

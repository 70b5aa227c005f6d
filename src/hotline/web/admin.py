"""The administration page's tables, read from the running hotline's loaded configuration.

Agents, skills, queues and tiers are shown as the engine runs them (the parsed, cross-checked
`Hotline`), not re-read from disk; the YAML editor on the same page is where files change.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from hotline.calls.config import Hotline
from hotline.core.customer import Tier
from hotline.routing.model import AgentProfile


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def config_documents(hotline: Hotline) -> list[str]:
    """Names the config API knows the files by: ``hotline.yaml`` and ``ivr/<flow file>.yaml``.

    The page script refreshes the list from ``GET /api/config`` (which adds documents stored
    only in the database); this is the first paint.
    """
    folder = hotline.path.parent / hotline.model.ivr.flows
    flows = sorted(path.name for path in folder.glob("*.yaml")) if folder.is_dir() else []
    return ["hotline.yaml"] + [f"ivr/{name}" for name in flows]


def admin_tables(
    hotline: Hotline, roster: Iterable[AgentProfile], human_seats: Collection[str]
) -> dict[str, Any]:
    """Rows for the agents, skills, queues and tiers tables, plus the editable documents.

    `roster` is every agent the ACD routes to (the scenario's simulated agents and the seats
    of hotline.yaml that people take); `human_seats` marks the latter.
    """
    model = hotline.model
    skill_titles = {name: skill.title or name for name, skill in model.skills.items()}
    skills = [{"name": name, "title": title} for name, title in skill_titles.items()]
    queues = [
        {
            "name": spec.name,
            "title": spec.title or spec.name,
            "skill": skill_titles.get(spec.skill, spec.skill or "—") if spec.skill else "—",
            "strategy": spec.strategy.value,
            "wrap_up": _seconds(spec.wrap_up),
            "max_wait": _seconds(spec.max_wait),
            "goal": _percent(spec.service_level_goal),
            "target": f"{spec.service_level_target:g}",
        }
        for spec in hotline.queues
    ]
    agents = [
        {
            "id": profile.id,
            "name": profile.name,
            "skills": ", ".join(
                f"{skill_titles.get(skill, skill)} {level}"
                for skill, level in sorted(profile.skills.items(), key=lambda item: -item[1])
            ),
            "main": skill_titles.get(profile.main_skill, profile.main_skill)
            if profile.main_skill
            else "—",
            "groups": ", ".join(sorted(profile.groups)) or "—",
            "human": profile.id in human_seats,
        }
        for profile in roster
    ]
    policy = hotline.tiers
    goals = model.wallboard.service_level
    callback_hours = f"{policy.callback_within / 3600:g}"

    def tier_row(key: str, priority: int, tier: Tier | None) -> dict[str, Any]:
        goal = goals.get(tier) if tier is not None else None
        return {
            "key": key,
            "priority": priority,
            "goal": _percent(goal.goal) if goal else None,
            "target": f"{goal.target:g}" if goal else None,
            "callback": tier is not None and tier in policy.callback_tiers,
        }

    tiers = [
        tier_row("tier.high", policy.high, Tier.HIGH),
        tier_row("mark.red", policy.red, None),
        tier_row("tier.middle", policy.middle, Tier.MIDDLE),
        tier_row("tier.ordinary", policy.ordinary, Tier.ORDINARY),
        tier_row("mark.black", policy.black, None),
    ]
    return {
        "agents": agents,
        "skills": skills,
        "queues": queues,
        "tiers": tiers,
        "callback_hours": callback_hours,
        "documents": config_documents(hotline),
    }

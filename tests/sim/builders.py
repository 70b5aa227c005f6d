"""Build hotlines and scenarios in code for simulator tests (no files needed)."""

from __future__ import annotations

import datetime
import zoneinfo
from pathlib import Path
from typing import Any

from hotline.calls.config import Hotline, HotlineModel
from hotline.ivr.loader import parse_flow
from hotline.sim.scenario import ScenarioModel

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")

SURVEY_FLOW = """
flow: survey
start: ask
prompts:
  survey_ask: {text: "请您为本次服务进行评价", duration: 4}
  survey_thanks: {text: "感谢您的评价", duration: 2}
nodes:
  ask: {type: survey, prompt: survey_ask, timeout: 5, retries: 1, thanks_prompt: survey_thanks}
"""


def menu_flow(queues: list[str]) -> str:
    """A main menu: key i+1 sends to queues[i]; 9 is self-service; nothing twice -> first queue."""
    choices = ", ".join(f'"{i + 1}": q_{q}' for i, q in enumerate(queues))
    nodes = "\n".join(f"  q_{q}: {{type: queue, queue: {q}}}" for q in queues)
    return f"""
flow: main
start: menu
prompts:
  welcome: {{text: "您好，欢迎致电", duration: 3}}
  bye: {{text: "再见", duration: 1}}
  callback_offer: {{text: "需要回电请按1", duration: 3}}
  callback_thanks: {{text: "我们将尽快回电", duration: 2}}
nodes:
  menu:
    type: menu
    prompt: welcome
    choices: {{{choices}, "9": self_service}}
    timeout: 3
    retries: 2
    on_fail: q_{queues[0]}
  self_service: {{type: hangup, prompt: bye, outcome: self_served}}
{nodes}
"""


def hotline(config: dict[str, Any], *, survey: bool = True) -> Hotline:
    """A Hotline from a config mapping (as hotline.yaml would hold), with a menu over its queues."""
    model = HotlineModel.model_validate(config)
    problems = model.problems()
    assert not problems, problems
    queues = list(model.queues)
    flows = {"main": parse_flow(menu_flow(queues), known_queues=queues)}
    if survey:
        flows["survey"] = parse_flow(SURVEY_FLOW)
    return Hotline(
        path=Path("<test>"),
        model=model,
        timezone=TZ,
        queues=tuple(model.queue_specs()),
        agents=(),
        tiers=model.tiers.policy(),
        flows=flows,
    )


def scenario(config: dict[str, Any]) -> ScenarioModel:
    base: dict[str, Any] = {
        "name": "test",
        "hotline": "<test>",
        "start": datetime.date(2026, 7, 15),
    }
    base.update(config)
    return ScenarioModel.model_validate(base)

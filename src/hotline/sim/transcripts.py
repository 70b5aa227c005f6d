"""What the demo's synthesized conversations say: a transcript per recording, as a
center's own speech recognizer would write it beside the file
(``<call>-<agent>.transcript.json``, `hotline.quality.transcripts.SidecarRecognizer`).

The recordings carry syllable-like tones, not voices, so their words are scripted here:
the agent greets with the standard opening, answers, asks 请问还有什么可以帮您 and says
goodbye; the caller describes the request and sometimes reads out a phone or account
number (the stored transcript hides it). A few agents slip — a 服务忌语, a forgotten
question at the end — so that quality inspection has something to find. Each call's
lines are drawn from its own random stream, so writing transcripts changes nothing else
the simulation draws.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

GREETINGS = (
    "您好，国家电网95598，工号{agent}，请问有什么可以帮您？",
    "您好，这里是95598供电服务热线，{agent}号为您服务，请问有什么可以帮您？",
)
ANSWERS = (
    "好的，我帮您查询一下，请您稍等。",
    "您反映的情况我已经记录下来了，会尽快安排抢修人员到场。",
    "根据系统显示，您所在的区域正在进行计划检修，预计下午五点恢复供电。",
    "您的电费账单已经出来了，本月电费一百二十五元六角。",
    "这个问题我已经为您登记工单，供电所会在二十四小时内联系您。",
    "请您核对一下户号，我这边帮您确认。",
    "感谢您的耐心等待，已经为您查到了。",
)
FORBIDDEN = (
    "这个我也不知到，你自己去问供电所吧。",
    "这不归我们管。",
    "没办法，这是我们的规定。",
)
MORE_HELP = "请问还有什么可以帮您？"
GOODBYE = "感谢您的来电，再见。"
CALLER = (
    "喂，你好，我家突然停电了。",
    "我想查一下这个月的电费。",
    "我的户号是一三零八二二五六七七一，你帮我看看。",
    "你们能不能快点来修，家里还有老人。",
    "我的电话是一三八一二三四五六七八，有消息打给我。",
    "好的，明白了。",
    "那大概什么时候能来电？",
    "没有了，谢谢。",
)
SLIP_SHARE = 0.06
"""Calls where the agent says a 服务忌语."""
FORGOT_SHARE = 0.12
"""Calls where the agent does not ask 请问还有什么可以帮您."""


def script(
    turns: list[tuple[str, float, float]], agent: str, rng: random.Random
) -> list[dict[str, object]]:
    """One line per turn (agent first: the greeting; the agent's last two turns: the
    closing), in the sidecar form."""
    agent_turns = [i for i, (who, _, _) in enumerate(turns) if who == "agent"]
    slip = rng.random() < SLIP_SHARE
    forgot = rng.random() < FORGOT_SHARE
    slip_at = rng.choice(agent_turns[1:-1]) if slip and len(agent_turns) > 3 else None
    lines = []
    for i, (who, start, end) in enumerate(turns):
        if who == "caller":
            text = rng.choice(CALLER)
        elif i == agent_turns[0]:
            text = rng.choice(GREETINGS).format(agent=agent)
        elif len(agent_turns) > 2 and i == agent_turns[-1]:
            text = GOODBYE
        elif len(agent_turns) > 3 and i == agent_turns[-2] and not forgot:
            text = MORE_HELP
        elif i == slip_at:
            text = rng.choice(FORBIDDEN)
        else:
            text = rng.choice(ANSWERS)
        lines.append({"start": round(start, 2), "end": round(end, 2), "channel": who, "text": text})
    return lines


def write_transcript(
    recording: Path, turns: list[tuple[str, float, float]], agent: str, seed: str
) -> Path:
    """The sidecar transcript of `recording` (written whole, then renamed)."""
    path = recording.with_name(recording.stem + ".transcript.json")
    lines = script(turns, agent, random.Random(seed))
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(lines, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return path

"""Voicemail (语音留言) through the call controller on the simulated switch: a caller who
reaches the queue's maximum wait (``on_max_wait: voicemail``) gets a callback task, hears
the prompt and leaves a message, which ``voicemail.recorded`` links to the task."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hotline.callbacks.tasks import TaskFold, Voicemail
from hotline.calls.config import load_hotline
from hotline.calls.engine import build_engine
from hotline.core.clock import VirtualClock
from hotline.core.config import ConfigError
from hotline.core.events import Event, EventBus, EventRecorder
from hotline.core.ids import AgentId, CallId
from hotline.sip.serve import NobodyKnown
from hotline.store.db.codec import decode, encode
from hotline.telephony.sim import SimSwitch

START = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()
CALL = CallId("c1")
WELCOME, MAX_WAIT, PROMPT, THANKS = 2.0, 10.0, 4.0, 2.0


def write_hotline(folder: Path, voicemail: str | None) -> Path:
    (folder / "ivr").mkdir()
    (folder / "ivr" / "main.yaml").write_text(
        textwrap.dedent(
            f"""\
            flow: main
            start: welcome
            prompts:
              welcome: {{text: 欢迎致电, duration: {WELCOME}}}
              leave_message: {{text: 请在提示音后留言，按井号键结束, duration: {PROMPT}}}
              message_thanks: {{text: 您的留言已收到，我们将尽快回电, duration: {THANKS}}}
            nodes:
              welcome: {{type: play, prompt: welcome, next: queue}}
              queue: {{type: queue, queue: query}}
            """
        ),
        encoding="utf-8",
    )
    lines = ["name: 测试热线", "numbers: {'95598': main}"]
    if voicemail is not None:
        lines += ["ivr:", f"  voicemail: {voicemail}"]
    lines += [
        "skills: {query: {}}",
        "queues:",
        f"  query: {{skill: query, max_wait: {MAX_WAIT}, on_max_wait: voicemail}}",
        "agents:",
        "  - {id: '9001', skills: {query: 5}}",
    ]
    path = folder / "hotline.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class NobodyAnswers:
    """A caller who types nothing; no agent is logged in."""

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        return None

    def waiting_started(self, call: CallId) -> None:
        pass

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> float | None:
        return None

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        return None, False

    def conversation_ended(self, call: CallId, agent: AgentId) -> None:
        pass

    def call_ended(self, call: CallId) -> None:
        pass


def run(tmp_path: Path, voicemail: str | None, act: str, after: float) -> list[Event]:
    """One caller, alone in the queue; `after` seconds into the message the caller
    presses ``#`` (`act` "press") or hangs up (`act` "hangup")."""
    hotline = load_hotline(write_hotline(tmp_path, voicemail))
    clock = VirtualClock(START)
    bus = EventBus()
    recorder = EventRecorder(bus)
    switch = SimSwitch(clock, NobodyAnswers(), hotline.prompt_seconds())
    nobody = NobodyKnown()
    build_engine(
        hotline,
        clock=clock,
        bus=bus,
        switch=switch,
        agents=list(hotline.agents),
        verifier=nobody,
        directory=nobody,
        lookups={},
    )
    switch.place_call(CALL, "13800138000", "95598")
    speaks_at = WELCOME + MAX_WAIT + PROMPT + after
    if act == "press":
        clock.call_later(speaks_at, switch.press, CALL, "#")
    else:
        clock.call_later(speaks_at, switch.caller_hangs_up, CALL)
    clock.run(until=START + 600)
    return list(recorder)


def records(events: list[Event]) -> list[dict[str, object]]:
    """The events as records, with ``t``: seconds since the start."""
    return [{**e.to_record(), "t": round(e.at - START, 3)} for e in events]


def kinds(events: list[dict[str, object]]) -> list[str]:
    return [str(e["kind"]) for e in events]


def test_the_caller_leaves_a_message_ended_by_the_terminator(tmp_path: Path) -> None:
    events = records(
        run(tmp_path, "{prompt: leave_message, thanks_prompt: message_thanks}", "press", 8.0)
    )
    [left] = [e for e in events if e["kind"] == "contact.left"]
    [task] = [e for e in events if e["kind"] == "callback.created"]
    [message] = [e for e in events if e["kind"] == "voicemail.recorded"]
    [ended] = [e for e in events if e["kind"] == "call.ended"]
    assert (left["reason"], task["reason"]) == ("voicemail", "voicemail")
    assert left["t"] == task["t"] == WELCOME + MAX_WAIT
    assert message["task"] == task["task"]
    assert (message["ended_by"], message["seconds"], message["simulated"]) == (
        "terminator",
        8.0,
        True,
    )
    assert message["file"] is None  # simulated: no audio, no file
    assert message["t"] == WELCOME + MAX_WAIT + PROMPT + 8.0
    # the thanks prompt, then the hotline hangs up
    assert ended["t"] == message["t"] + THANKS
    assert (ended["outcome"], ended["phase"], ended["by"]) == ("callback", "queue", "system")
    assert kinds(events).index("callback.created") < kinds(events).index("voicemail.recorded")


def test_a_caller_who_hangs_up_after_speaking_leaves_the_message(tmp_path: Path) -> None:
    events = records(run(tmp_path, "{prompt: leave_message}", "hangup", 20.0))
    [message] = [e for e in events if e["kind"] == "voicemail.recorded"]
    [ended] = [e for e in events if e["kind"] == "call.ended"]
    assert (message["ended_by"], message["seconds"]) == ("hangup", 20.0)
    assert (ended["outcome"], ended["by"], ended["t"]) == ("callback", "caller", message["t"])
    assert kinds(events).index("voicemail.recorded") < kinds(events).index("call.ended")


def test_a_message_is_cut_at_its_maximum(tmp_path: Path) -> None:
    events = records(run(tmp_path, "{prompt: leave_message, max_seconds: 30}", "hangup", 100.0))
    [message] = [e for e in events if e["kind"] == "voicemail.recorded"]
    [ended] = [e for e in events if e["kind"] == "call.ended"]
    assert (message["ended_by"], message["seconds"]) == ("max", 30.0)
    assert (ended["by"], ended["t"]) == ("system", message["t"])


def test_without_voicemail_settings_the_action_only_creates_the_task(tmp_path: Path) -> None:
    events = records(run(tmp_path, None, "hangup", 100.0))
    assert "voicemail.recorded" not in kinds(events)
    [task] = [e for e in events if e["kind"] == "callback.created"]
    [ended] = [e for e in events if e["kind"] == "call.ended"]
    assert task["reason"] == "voicemail"
    assert ended["t"] == WELCOME + MAX_WAIT


def test_the_callback_task_carries_the_message(tmp_path: Path) -> None:
    events = run(tmp_path, "{prompt: leave_message}", "press", 5.0)
    fold = TaskFold()  # the console's fold, over the events as the log keeps them
    for log_id, e in enumerate(events, start=1):
        fold.apply(log_id, decode(*encode(e)))
    [task] = fold.tasks.values()
    assert task.reason == "voicemail"
    assert task.message == Voicemail(None, 5.0, "terminator", True)


def test_an_unknown_voicemail_prompt_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown prompt 'nope'"):
        load_hotline(write_hotline(tmp_path, "{prompt: nope}"))


def test_the_voicemail_prompts_count_as_played(tmp_path: Path) -> None:
    """`hotline check` warns of prompts no node plays; those of ``ivr.voicemail`` are
    played at a queue's maximum wait, so only the prompts no one plays are named."""
    (tmp_path / "used").mkdir()
    (tmp_path / "unused").mkdir()
    settings = "{prompt: leave_message, thanks_prompt: message_thanks}"
    used = load_hotline(write_hotline(tmp_path / "used", settings))
    assert [str(w) for f in used.flows.values() for w in f.warnings] == []
    unused = load_hotline(write_hotline(tmp_path / "unused", None))
    warned = {w.path for f in unused.flows.values() for w in f.warnings}
    assert warned == {"prompts.leave_message", "prompts.message_thanks"}

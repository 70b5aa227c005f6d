"""Random valid call stories rendered as queue_log lines of a chosen Asterisk version.

Each call is a list of queue visits: rings that are not answered, then an end
(answered and completed or transferred, abandoned, abandoned while ringing,
timed out, queue empty, key pressed, withdrawn); some ends send the caller to
another queue. The generator keeps its own truth (outcome, waits, talk times)
to compare with what the import makes of the lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

VERSIONS = ("1.2", "1.4", "1.8", "13", "20")
AGENTS = ("SIP/1001", "PJSIP/1002", "Local/1003@from-queue/n", "Agent/1004")
QUEUES = ("fault", "query", "complaint")
T0 = 1_700_000_000


@dataclass
class Truth:
    """What one call really was."""

    call: str
    outcome: str = ""
    answers: list[tuple[int, int]] = field(default_factory=list)  # (waited, talk)
    rnas: int = 0
    transfers: int = 0
    callback: bool = False


@dataclass
class Day:
    text: str
    version: str
    calls: list[Truth]
    unfinished: list[str]  # still in queue at the end of the log


class _Log:
    def __init__(self, version: str) -> None:
        major, _, minor = version.partition(".")
        self.v = float(major) + (float(minor) / 100 if minor else 0.0)
        self.rows: list[tuple[int, str]] = []

    def __call__(
        self, at: int, call: str, queue: str, agent: str, event: str, *data: object
    ) -> None:
        fields = [str(T0 + at), call, queue, agent, event, *map(str, data)]
        self.rows.append((at, "|".join(fields)))

    def since(self, version: float, *data: object) -> tuple[object, ...]:
        """`data` when the version writes it, else nothing."""
        return data if self.v >= version else ()


@st.composite
def days(draw: st.DrawFn) -> Day:
    """A log of 1–8 calls and some member lines, maybe with a call cut by the end of the log."""
    version = draw(st.sampled_from(VERSIONS))
    line = _Log(version)
    truths = [_call(draw, line, index) for index in range(draw(st.integers(1, 8)))]
    unfinished: list[str] = []
    if draw(st.booleans()):
        call = f"{T0 + 99}.99"
        line(2000, call, "fault", "NONE", "ENTERQUEUE", "", "139", *line.since(1.08, 1))
        unfinished.append(call)
    for agent in AGENTS:
        if draw(st.booleans()):
            queue = draw(st.sampled_from(QUEUES))
            line(draw(st.integers(0, 300)), "MANAGER", queue, agent, "ADDMEMBER", "")
            if line.v >= 1.08 and draw(st.booleans()):
                line(draw(st.integers(300, 700)), "NONE", queue, agent, "PAUSE", "Lunch")
            if draw(st.booleans()):
                line(draw(st.integers(0, 800)), "NONE", queue, agent, "REMOVEMEMBER", "")
    rows = sorted(line.rows, key=lambda row: row[0])  # stable: a call's own order stays
    return Day("".join(text + "\n" for _, text in rows), version, truths, unfinished)


def _call(draw: st.DrawFn, line: _Log, index: int) -> Truth:
    call = f"{T0 + index}.{index}"
    truth = Truth(call)
    t = draw(st.integers(0, 600))
    queue = draw(st.sampled_from(QUEUES))
    entered = t  # where the contact's wait starts (an overflow keeps it)
    for visit in range(3):
        line(t, call, queue, "NONE", "ENTERQUEUE", "", f"1380000{index:04d}", *line.since(1.08, 1))
        for _ in range(draw(st.integers(0, 2)) if line.v >= 1.04 else 0):
            ring = draw(st.integers(1, 20))
            t += draw(st.integers(0, 5)) + ring
            line(t, call, queue, draw(st.sampled_from(AGENTS)), "RINGNOANSWER", ring * 1000)
            truth.rnas += 1
        ends = ["answer", "answer", "abandon", "timeout", "key"]
        ends += ["empty"] if line.v >= 1.04 else []
        ends += ["ringcancel", "withdraw"] if line.v >= 15 else []
        end = draw(st.sampled_from(ends))
        wait = draw(st.integers(0, 5))
        back = visit < 2 and draw(st.booleans())
        if end == "answer":
            ring = draw(st.integers(0, 10))
            t += wait + ring
            agent = draw(st.sampled_from(AGENTS))
            held = t - entered
            line(
                t,
                call,
                queue,
                agent,
                "CONNECT",
                held,
                *line.since(1.04, "u"),
                *line.since(1.06, ring),
            )
            talk = draw(st.integers(1, 300))
            t += talk
            truth.answers.append((held, talk))
            truth.outcome = "answered"
            numbers = (held, talk, *line.since(1.06, 1))
            if back or draw(st.booleans()):
                truth.transfers += 1
                if line.v >= 12 and draw(st.booleans()):
                    line(t, call, queue, agent, "ATTENDEDTRANSFER", "BRIDGE", "b1", *numbers)
                elif line.v >= 12:
                    line(t, call, queue, agent, "BLINDTRANSFER", "8002", "internal", *numbers)
                else:
                    more = numbers if line.v >= 1.04 else ()
                    line(t, call, queue, agent, "TRANSFER", "8002", "internal", *more)
            else:
                kind = draw(st.sampled_from(("COMPLETECALLER", "COMPLETEAGENT")))
                line(t, call, queue, agent, kind, *numbers)
                back = False
        elif end in ("abandon", "ringcancel"):
            t += wait
            if end == "ringcancel":
                ring = draw(st.integers(0, wait))
                for agent in sorted(draw(st.sets(st.sampled_from(AGENTS), min_size=1, max_size=2))):
                    line(t, call, queue, agent, "RINGCANCELED", ring * 1000)
            line(t, call, queue, "NONE", "ABANDON", 1, 1, t - entered)
            truth.outcome = truth.outcome or "abandoned"
            back = False
        else:
            t += wait
            waited = t - entered
            if end == "timeout":
                line(t, call, queue, "NONE", "EXITWITHTIMEOUT", 1, *line.since(1.06, 1, waited))
            elif end == "key":
                line(t, call, queue, "NONE", "EXITWITHKEY", "1", 1, *line.since(1.06, 1, waited))
            elif end == "empty":
                line(t, call, queue, "NONE", "EXITEMPTY", 1, 1, waited)
            else:
                line(t, call, queue, "NONE", "WITHDRAW", 1, 1, waited, "")
            if not back:
                truth.outcome = truth.outcome or ("callback" if end == "key" else "blocked")
                truth.callback = end == "key"  # a task even after an earlier answer
        if not back:
            return truth
        t += draw(st.integers(0, 3))
        queue = draw(st.sampled_from(QUEUES))
        if end != "timeout":
            entered = t  # only an overflow (a timeout then another queue) keeps the wait
    raise AssertionError("a call visits at most three queues")

"""From queue_log records to Hotline events, in time order, with the import's report.

1. Records are sorted by time (stable: the file's own order within a second,
   files in the order given), so rotated files can be given together.
2. Each caller's lines (by Asterisk uniqueid) go through a `CallStory`; member
   lines (ADDMEMBER, PAUSE, AGENTLOGIN …) wait for step 3; QUEUESTART marks an
   Asterisk restart, which ends the calls it cut (``lost``).
3. Every call's events and the member lines are merged in time order and run
   through the `AgentBook`, which writes each agent's state changes right after
   the event that caused them.

Nothing here touches a database: `convert` is a pure function of the records.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from hotline.core.events import Event
from hotline.interop.queue_log.agents import MEMBER_EVENTS, AgentBook
from hotline.interop.queue_log.calls import CALL_EVENTS, CallStory, Emitted
from hotline.interop.queue_log.lines import Line, Problem, quoted
from hotline.interop.queue_log.names import NO_ONE, agent_id
from hotline.interop.queue_log.report import ImportReport
from hotline.interop.queue_log.settings import Settings
from hotline.routing.events import ContactQueued

_NOT_A_CALL = frozenset({*NO_ONE, "REALTIME", "MANAGER", "CLI"})  # callids of member lines
_KNOWN = frozenset(
    {*CALL_EVENTS, *MEMBER_EVENTS, "QUEUESTART", "INFO", "CONFIGRELOAD", "PENALTY", "RINGINUSE"}
)
"""Events Asterisk writes; others (custom `QueueLog()` ones) are counted and skipped."""


def _cut_short(event: str) -> str | None:
    """The known event that `event` looks cut from (``ENTE`` of ENTERQUEUE), else None.

    A line cut inside its event name would otherwise pass as a custom event and
    silently take its whole call with it (the call then seems to begin before the log).
    """
    if event in _KNOWN:
        return None
    head = event.rstrip("0123456789")  # a cut line run into the next one's time
    return next((k for k in sorted(_KNOWN) if k.startswith(head) and k != event), None)


@dataclass(frozen=True, slots=True)
class Conversion:
    """The events to append (in order) and the report of what was read."""

    events: list[Event]
    report: ImportReport


def convert(
    records: Iterable[Line | Problem], settings: Settings, *, files: tuple[str, ...] = ()
) -> Conversion:
    """Turn queue_log records into Hotline events; see the module docstring."""
    report = ImportReport(files=files)
    lines: list[Line] = []
    for record in records:
        if isinstance(record, Problem):
            report.problems.append(record)
        else:
            lines.append(record)
    lines.sort(key=lambda line: line.at)
    report.records = len(lines)
    if lines:
        report.first_at, report.last_at = lines[0].at, lines[-1].at

    order = itertools.count()
    stories: list[CallStory] = []
    current: dict[str, CallStory] = {}
    members: list[tuple[float, int, int, Line]] = []
    restarts: list[tuple[float, int]] = []
    names: dict[str, set[str]] = {}
    uses: Counter[str] = Counter()  # stories per uniqueid (a hung-up call's id used again)
    queues: set[str] = set()
    for seq, line in enumerate(lines):
        event = line.event
        if line.queue not in NO_ONE and event not in ("DID", "INFO"):
            queues.add(line.queue)
        agent = agent_id(line.agent)
        if agent is not None:
            names.setdefault(agent, set()).add(line.agent.strip())
        if event == "INFO":  # free text a dialplan wrote (QueueLog): nothing to import
            report.ignored[event] += 1
        elif event in CALL_EVENTS:
            if line.callid in _NOT_A_CALL:
                report.problems.append(
                    line.problem(f"{event} names no call (callid {quoted(line.callid)})")
                )
                continue
            story = current.get(line.callid)
            if story is None or (story.status == "ended" and event == "ENTERQUEUE"):
                uses[line.callid] += 1
                again = uses[line.callid]
                call = line.callid if again == 1 else f"{line.callid}#{again}"
                story = current[line.callid] = CallStory(call, settings, order)
                stories.append(story)
            report.problems.extend(story.feed(line, seq))
        elif event in MEMBER_EVENTS:
            members.append((line.at, seq, next(order), line))
        elif event == "QUEUESTART":
            restarts.append((line.at, seq))
            report.restarts += 1
        elif (known := _cut_short(event)) is not None:
            report.problems.append(
                line.problem(
                    f"event {quoted(event)} is cut short or run into the next line "
                    f"(no such event; {known}?)"
                )
            )
        else:
            report.ignored[event] += 1

    merged: list[Emitted | tuple[float, int, int, Line]] = list(members)
    for story in stories:
        status = story.finish(restarts)
        if status == "unfinished":
            report.unfinished.append(story.call)
        elif status == "orphan":
            report.orphans.append(story.call)
        elif status == "none":
            report.ignored["DID"] += 1  # the call never entered a queue
        else:
            report.calls += 1
            report.outcomes[str(story.outcome)] += 1
            report.lost += story.lost
            merged.extend(story.events)
    merged.sort(key=lambda item: item[:3])

    events: list[Event] = []
    book = AgentBook(settings, events)
    for at, _, _, item in merged:
        book.advance(at)
        if isinstance(item, Line):
            problem = book.member(item)
            if problem is not None:
                report.problems.append(problem)
            continue
        events.append(item)
        book.contact(item)
        if isinstance(item, ContactQueued):
            report.contacts += 1
    if lines:
        book.close(max(lines[-1].at, events[-1].at if events else lines[-1].at))

    file_order = {name: i for i, name in enumerate(files)}
    report.problems.sort(key=lambda p: (file_order.get(p.source, len(file_order)), p.number))
    report.events = len(events)
    report.agents = {a: sorted(n) for a, n in sorted(names.items())}
    report.queues = sorted(queues)
    if settings.known_queues is not None:
        report.unknown_queues = sorted(queues - settings.known_queues)
    if settings.known_agents is not None:
        report.unknown_agents = sorted(set(names) - settings.known_agents)
    report.pause_reasons = dict(sorted(book.reasons))
    report.overlaps = book.overlaps
    report.logged_out_at_end = book.logged_out_at_end
    return Conversion(events, report)

"""Each queue_log call event, in each Asterisk version's wording, becomes the engine's events."""

from __future__ import annotations

import pytest

from hotline.calls.events import CallArrived, CallEnded, Outcome, Phase
from hotline.calls.ports import CallerInfo
from hotline.core.customer import ListMark, Tier
from hotline.interop.queue_log import Settings
from hotline.routing.events import (
    CallbackCreated,
    ContactAbandoned,
    ContactAnswered,
    ContactCompleted,
    ContactLeft,
    ContactOffered,
    ContactOfferFailed,
    ContactOverflowed,
    ContactQueued,
    ContactRingNoAnswer,
    ContactTimedOut,
    ContactTransferred,
)
from hotline.routing.model import TierPolicy
from tests.interop.support import T, imported, log, of, only

ENTER = (0, "c1", "fault", "NONE", "ENTERQUEUE", "", "13800000001", "1")


def test_answered_call_modern_asterisk():
    result = imported(
        log(
            ENTER,
            (15, "c1", "fault", "SIP/1001", "RINGNOANSWER", "15000"),
            (30, "c1", "fault", "SIP/1002", "CONNECT", "30", "1700000020.7", "8"),
            (150, "c1", "fault", "SIP/1002", "COMPLETECALLER", "30", "120", "1"),
        )
    )
    events = result.events
    assert of(events, "c1") == [
        (0, "call.arrived"),
        (0, "contact.queued"),
        (0, "contact.offered"),  # 15 s before the RINGNOANSWER
        (15, "contact.ring_no_answer"),
        (22, "contact.offered"),  # 8 s before the CONNECT
        (30, "contact.answered"),
        (150, "contact.completed"),
        (150, "call.ended"),
    ]
    (arrived,) = only(events, CallArrived)
    assert (arrived.caller, arrived.tier, arrived.list_mark) == (
        "13800000001",
        Tier.ORDINARY,
        ListMark.NONE,
    )
    (missed,) = only(events, ContactRingNoAnswer)
    assert (missed.agent, missed.rang) == ("1001", 15.0)
    (answer,) = only(events, ContactAnswered)
    assert (answer.agent, answer.waited, answer.rang) == ("1002", 30.0, 8.0)
    (done,) = only(events, ContactCompleted)
    assert (done.talk, done.hold, done.ended_by) == (120.0, 0.0, "caller")
    (end,) = only(events, CallEnded)
    assert (end.outcome, end.phase, end.by, end.duration) == (
        Outcome.ANSWERED, Phase.TALKING, "caller", 150.0,
    )  # fmt: skip
    assert result.report.calls == 1
    assert result.report.outcomes == {"answered": 1}


def test_asterisk_1_2_lines_without_ring_time_or_positions():
    """1.2: ENTERQUEUE url|callerid, CONNECT holdtime, COMPLETEAGENT holdtime|calltime."""
    events = imported(
        log(
            (0, "c1", "q", "NONE", "ENTERQUEUE", "", "555"),
            (12, "c1", "q", "Agent/1001", "CONNECT", "12"),
            (72, "c1", "q", "Agent/1001", "COMPLETEAGENT", "12", "60"),
        )
    ).events
    (answer,) = only(events, ContactAnswered)
    assert (answer.agent, answer.waited, answer.rang) == ("1001", 12.0, 0.0)
    (done,) = only(events, ContactCompleted)
    assert (done.talk, done.ended_by) == (60.0, "agent")
    (end,) = only(events, CallEnded)
    assert (end.by, end.phase) == ("system", Phase.TALKING)  # the hotline hung up the caller


def test_abandon_in_queue_and_its_wait():
    events = imported(log(ENTER, (47, "c1", "fault", "NONE", "ABANDON", "1", "1", "47"))).events
    (gone,) = only(events, ContactAbandoned)
    assert (gone.waited, gone.ringing, gone.agent) == (47.0, False, None)
    (end,) = only(events, CallEnded)
    assert (end.outcome, end.phase, end.by) == (Outcome.ABANDONED, Phase.QUEUE, "caller")


def test_abandon_while_ringing_from_ringcanceled():
    """Asterisk ≥ 15 writes RINGCANCELED for each ringing member when the caller hangs up."""
    events = imported(
        log(
            ENTER,
            (9, "c1", "fault", "SIP/1001", "RINGCANCELED", "4000"),
            (9, "c1", "fault", "SIP/1002", "RINGCANCELED", "4000"),
            (9, "c1", "fault", "NONE", "ABANDON", "1", "1", "9"),
        )
    ).events
    offers = only(events, ContactOffered)
    assert [(o.at - T, o.agent) for o in offers] == [(5.0, "1001"), (5.0, "1002")]
    (gone,) = only(events, ContactAbandoned)
    assert (gone.ringing, gone.agent, gone.waited) == (True, "1001", 9.0)
    assert only(events, CallEnded)[0].phase is Phase.RINGING


def test_abandon_naming_a_member_is_a_hang_up_as_the_agent_answered():
    events = imported(log(ENTER, (20, "c1", "fault", "SIP/1003", "ABANDON", "1", "1", "20"))).events
    assert [o.agent for o in only(events, ContactOffered)] == ["1003"]
    (gone,) = only(events, ContactAbandoned)
    assert (gone.ringing, gone.agent) == (True, "1003")


def test_timeout_without_return_is_blocked_like_max_wait_hangup():
    events = imported(
        log(ENTER, (300, "c1", "fault", "NONE", "EXITWITHTIMEOUT", "2", "1", "300"))
    ).events
    assert of(events, "c1")[2:] == [
        (300, "contact.timed_out"),
        (300, "contact.left"),
        (300, "call.ended"),
    ]
    assert only(events, ContactTimedOut)[0].action == "hangup"
    assert only(events, ContactLeft)[0].reason == "max-wait"
    end = only(events, CallEnded)[0]
    assert (end.outcome, end.by) == (Outcome.BLOCKED, "system")


def test_timeout_then_another_queue_is_an_overflow_that_keeps_the_wait():
    events = imported(
        log(
            ENTER,
            (60, "c1", "fault", "NONE", "EXITWITHTIMEOUT", "1"),  # 1.2–1.4: position only
            (62, "c1", "query", "NONE", "ENTERQUEUE", "", "13800000001", "1"),
            (70, "c1", "query", "SIP/1005", "CONNECT", "8", "x", "3"),
            (100, "c1", "query", "SIP/1005", "COMPLETECALLER", "8", "30", "1"),
        )
    ).events
    (timed_out,) = only(events, ContactTimedOut)
    assert (timed_out.action, timed_out.waited) == ("overflow", 60.0)
    (moved,) = only(events, ContactOverflowed)
    assert (moved.queue, moved.to_queue) == ("fault", "query")
    assert len(only(events, ContactQueued)) == 1  # an overflow is not a new entry
    (answer,) = only(events, ContactAnswered)
    assert (answer.queue, answer.waited) == ("query", 70.0)  # counted from the first queue


def test_exit_empty_and_withdraw_leave_the_queue_blocked():
    events = imported(
        log(
            ENTER,
            (5, "c1", "fault", "NONE", "EXITEMPTY", "1", "1", "5"),
            (10, "c2", "fault", "NONE", "ENTERQUEUE", "", "2", "1"),
            (40, "c2", "fault", "NONE", "WITHDRAW", "1", "1", "30", "moved"),
        )
    ).events
    assert [(e.call, e.reason, e.waited) for e in only(events, ContactLeft)] == [
        ("c1", "empty", 5.0),
        ("c2", "withdrawn", 30.0),
    ]
    assert {e.outcome for e in only(events, CallEnded)} == {Outcome.BLOCKED}


def test_exit_with_key_becomes_a_callback_task():
    events = imported(
        log(ENTER, (25, "c1", "fault", "NONE", "EXITWITHKEY", "1", "1", "1", "25"))
    ).events
    assert only(events, ContactLeft)[0].reason == "callback"
    (task,) = only(events, CallbackCreated)
    assert (task.task, task.caller, task.queue, task.due - task.at, task.reason) == (
        "c1-cb", "13800000001", "fault", 86_400.0, "accepted_offer",
    )  # fmt: skip
    assert only(events, CallEnded)[0].outcome is Outcome.CALLBACK


def test_exit_with_key_as_blocked_when_asked():
    text = log(ENTER, (25, "c1", "fault", "NONE", "EXITWITHKEY", "0", "1"))  # 1.2–1.4: key|position
    events = imported(text, Settings(key_exit="blocked")).events
    assert only(events, ContactLeft)[0].reason == "exit-key"
    assert not only(events, CallbackCreated)
    assert only(events, CallEnded)[0].outcome is Outcome.BLOCKED


@pytest.mark.parametrize(
    ("row", "destination"),
    [
        (("TRANSFER", "8002", "from-internal", "5", "60", "1"), "8002@from-internal"),
        (("TRANSFER", "8002", "from-internal"), "8002@from-internal"),  # 1.2
        (("BLINDTRANSFER", "8002", "from-internal", "5", "60", "1"), "8002@from-internal"),
        (("ATTENDEDTRANSFER", "BRIDGE", "b-77", "5", "60", "1"), "bridge:b-77"),
        (("ATTENDEDTRANSFER", "APP", "VoiceMail", "5", "60", "1"), "app:VoiceMail"),
        (
            ("ATTENDEDTRANSFER", "LINK", "SIP/a-1", "SIP/b-2", "5", "60", "1"),
            "link:SIP/a-1,SIP/b-2",
        ),
    ],
)
def test_transfer_out_of_the_queues_in_every_wording(row, destination):
    events = imported(
        log(
            ENTER,
            (5, "c1", "fault", "SIP/1001", "CONNECT", "5", "u", "2"),
            (65, "c1", "fault", "SIP/1001", *row),
        )
    ).events
    (moved,) = only(events, ContactTransferred)
    assert (moved.agent, moved.to_queue, moved.talk) == ("1001", destination, 60.0)
    end = only(events, CallEnded)[0]
    assert (end.outcome, end.phase, end.by) == (Outcome.ANSWERED, Phase.TALKING, "transfer")


def test_transfer_into_another_queue_continues_the_call():
    events = imported(
        log(
            ENTER,
            (5, "c1", "fault", "SIP/1001", "CONNECT", "5", "u", "2"),
            (65, "c1", "fault", "SIP/1001", "BLINDTRANSFER", "8100", "queues", "5", "60", "1"),
            (66, "c1", "complaint", "NONE", "ENTERQUEUE", "", "13800000001", "1"),
            (80, "c1", "complaint", "SIP/1009", "CONNECT", "14", "u2", "4"),
            (200, "c1", "complaint", "SIP/1009", "COMPLETEAGENT", "14", "120", "1"),
        )
    ).events
    (moved,) = only(events, ContactTransferred)
    assert moved.to_queue == "complaint"
    assert [q.queue for q in only(events, ContactQueued)] == ["fault", "complaint"]
    second = only(events, ContactAnswered)[1]
    assert second.waited == 14.0  # a transfer starts a new wait
    assert len(only(events, CallEnded)) == 1


def test_agent_dump_and_syscompat():
    events = imported(
        log(
            ENTER,
            (10, "c1", "fault", "SIP/1001", "AGENTDUMP"),
            (20, "c1", "fault", "SIP/1002", "SYSCOMPAT"),
            (20, "c1", "fault", "NONE", "ABANDON", "1", "1", "20"),  # Asterisk logs it after
        )
    ).events
    assert [(f.agent, f.reason) for f in only(events, ContactOfferFailed)] == [
        ("1001", "agent-dump"),
        ("1002", "syscompat"),
    ]
    assert not only(events, ContactAbandoned)
    assert only(events, ContactLeft)[0].reason == "syscompat"
    assert only(events, CallEnded)[0].outcome is Outcome.BLOCKED


def test_did_gives_the_dialed_number_and_info_is_ignored():
    result = imported(
        log(
            (0, "c1", "fault", "NONE", "DID", "95598"),
            ENTER,
            (1, "c1", "fault", "NONE", "INFO", "CALLERONHOLD"),
            (3, "c1", "fault", "NONE", "ABANDON", "1", "1", "3"),
        )
    )
    assert only(result.events, CallArrived)[0].dialed == "95598"
    assert result.report.ignored == {"INFO": 1}


def test_tier_and_priority_from_the_directory_and_policy():
    class Directory:
        def identify(self, caller: str) -> CallerInfo | None:
            return CallerInfo(tier=Tier.HIGH) if caller == "13800000001" else None

    settings = Settings(
        directory=Directory(), tiers=TierPolicy(high=300), fixed_priority={"vip": 50}
    )
    events = imported(
        log(
            ENTER,
            (3, "c1", "fault", "NONE", "ABANDON", "1", "1", "3"),
            (4, "c2", "vip", "NONE", "ENTERQUEUE", "", "139", "1"),
            (5, "c2", "vip", "NONE", "ABANDON", "1", "1", "1"),
        ),
        settings,
    ).events
    assert [(q.tier, q.priority) for q in only(events, ContactQueued)] == [
        (Tier.HIGH, 300),
        (Tier.ORDINARY, 50),
    ]


def test_restart_ends_the_calls_it_cut_as_lost():
    events = imported(
        log(
            ENTER,
            (5, "c2", "fault", "NONE", "ENTERQUEUE", "", "2", "2"),
            (6, "c2", "fault", "SIP/1001", "CONNECT", "1", "u", "1"),
            (50, "NONE", "NONE", "NONE", "QUEUESTART"),
        )
    ).events
    left = only(events, ContactLeft)
    assert [(e.call, e.reason, e.waited) for e in left] == [("c1", "lost", 50.0)]
    done = only(events, ContactCompleted)
    assert [(e.call, e.ended_by, e.talk) for e in done] == [("c2", "lost", 44.0)]
    ends = {e.call: (e.outcome, e.by) for e in only(events, CallEnded)}
    assert ends == {"c1": (Outcome.BLOCKED, "lost"), "c2": (Outcome.ANSWERED, "lost")}


def test_calls_cut_by_the_end_or_begun_before_the_log_are_left_out():
    result = imported(
        log(
            (0, "old", "fault", "SIP/1001", "CONNECT", "30", "u", "2"),
            (40, "old", "fault", "SIP/1001", "COMPLETECALLER", "30", "40", "1"),
            ENTER,
            (5, "c1", "fault", "SIP/1002", "CONNECT", "5", "u", "2"),
            (6, "c2", "fault", "NONE", "ENTERQUEUE", "", "2", "1"),
            (9, "c2", "fault", "NONE", "ABANDON", "1", "1", "3"),
        )
    )
    report = result.report
    assert (report.unfinished, report.orphans, report.calls) == (["c1"], ["old"], 1)
    assert {getattr(e, "call", None) for e in result.events} <= {"c2", None}


def test_lines_that_do_not_fit_the_call_are_named_and_skipped():
    result = imported(
        log(
            ENTER,
            (5, "c1", "fault", "SIP/1001", "COMPLETECALLER", "5", "0", "1"),  # line 2: not talking
            (6, "c1", "fault", "SIP/1001", "CONNECT", "six", "u", "1"),  # line 3: bad holdtime
            (7, "c1", "fault", "NONE", "RINGNOANSWER", "1000"),  # line 4: names no agent
            (8, "c1", "fault", "SIP/1001", "CONNECT", "8", "u", "1"),
            (9, "c1", "fault", "NONE", "ENTERQUEUE", "", "1", "1"),  # line 6: still talking
            (30, "c1", "fault", "SIP/1001", "COMPLETEAGENT", "8", "22", "1"),
            (31, "NONE", "fault", "NONE", "ABANDON", "1", "1", "1"),  # line 8: no call
        )
    )
    assert [str(p) for p in result.report.problems] == [
        "q.log:2: COMPLETECALLER does not fit: the call is waiting in queue fault",
        "q.log:3: CONNECT holdtime 'six' is not a number",
        "q.log:4: RINGNOANSWER names no agent",
        "q.log:6: ENTERQUEUE does not fit: the call is talking with 1001 (queue fault)",
        "q.log:8: ABANDON names no call (callid 'NONE')",
    ]
    assert result.report.outcomes == {"answered": 1}


def test_a_uniqueid_used_again_after_the_caller_hung_up_is_a_new_call():
    events = imported(
        log(
            ENTER,
            (3, "c1", "fault", "NONE", "ABANDON", "1", "1", "3"),
            (10, "c1", "fault", "NONE", "ENTERQUEUE", "", "13800000001", "1"),
            (12, "c1", "fault", "NONE", "ABANDON", "1", "1", "2"),
        )
    ).events
    assert [e.call for e in only(events, CallEnded)] == ["c1", "c1#2"]


def test_a_did_without_a_queue_entry_is_no_call():
    result = imported(log((0, "c7", "NONE", "NONE", "DID", "95598")))
    assert result.events == []
    assert result.report.ignored == {"DID": 1}
    assert (result.report.calls, result.report.orphans) == (0, [])

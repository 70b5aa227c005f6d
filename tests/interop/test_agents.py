"""Agents' states rebuilt from membership, pauses and calls, consistent for `replay(strict)`."""

from __future__ import annotations

from hotline.interop.queue_log import Settings
from hotline.interop.queue_log.agents import pause_reason
from hotline.interop.queue_log.names import agent_id
from hotline.routing.model import NotReadyReason
from tests.interop.support import imported, log, states


def test_agent_names_become_their_number():
    assert agent_id("SIP/1001") == "1001"
    assert agent_id("PJSIP/1001") == "1001"
    assert agent_id("Agent/1001") == "1001"
    assert agent_id("Local/1001@from-queue/n") == "1001"
    assert agent_id("SIP/1001-0000000a") == "1001"
    assert agent_id("IAX2/1001") == "1001"
    assert agent_id("王芳") == "王芳"
    assert agent_id(" 1001 ") == "1001"
    assert agent_id("NONE") is None
    assert agent_id("") is None


def test_pause_reasons_map_onto_hotline_reasons():
    assert pause_reason("Auto-Pause") is NotReadyReason.MISSED
    assert pause_reason("Lunch") is NotReadyReason.MEAL
    assert pause_reason("小休") is NotReadyReason.BREAK
    assert pause_reason("training") is NotReadyReason.TRAINING
    assert pause_reason("") is NotReadyReason.BUSY
    assert pause_reason("whatever") is NotReadyReason.BUSY


def test_member_of_two_queues_is_not_ready_only_when_paused_in_both():
    result = imported(
        log(
            (0, "MANAGER", "fault", "SIP/1001", "ADDMEMBER", ""),
            (0, "MANAGER", "query", "SIP/1001", "ADDMEMBER", ""),
            (10, "NONE", "fault", "SIP/1001", "PAUSE", "Lunch"),  # still takes query's calls
            (20, "NONE", "query", "SIP/1001", "PAUSE", "Lunch"),
            (80, "NONE", "fault", "SIP/1001", "UNPAUSE", ""),
            (90, "NONE", "fault", "SIP/1001", "REMOVEMEMBER", ""),  # paused in query only now
            (95, "NONE", "query", "SIP/1001", "REMOVEMEMBER", ""),
        )
    )
    assert states(result.events, "1001") == [
        (0, "ready", ""),
        (20, "not_ready", "meal"),
        (80, "ready", ""),
        (90, "not_ready", "meal"),
        (95, "logged_out", ""),
    ]
    assert result.report.pause_reasons == {"Lunch": "meal"}
    assert result.report.agents == {"1001": ["SIP/1001"]}


def test_pauseall_then_unpause_in_one_queue():
    events = imported(
        log(
            (0, "MANAGER", "fault", "Local/1002@agents/n", "ADDMEMBER", "PAUSED"),
            (0, "MANAGER", "query", "Local/1002@agents/n", "ADDMEMBER", ""),
            (5, "NONE", "NONE", "Local/1002@agents/n", "PAUSEALL", "break"),
            (30, "NONE", "query", "Local/1002@agents/n", "UNPAUSE", ""),
            (40, "NONE", "query", "Local/1002@agents/n", "PAUSE", "meeting"),
            (50, "NONE", "NONE", "Local/1002@agents/n", "UNPAUSEALL", ""),
        )
    ).events
    assert states(events, "1002") == [
        (0, "not_ready", "busy"),  # added paused to fault…
        (0, "ready", ""),  # … and not paused in query
        (5, "not_ready", "break"),
        (30, "ready", ""),
        (40, "not_ready", "meeting"),
        (50, "ready", ""),
        (50, "logged_out", ""),  # the end of the log
    ]


def test_agent_login_and_callback_login_and_their_logoffs():
    events = imported(
        log(
            (0, "1700.1", "NONE", "Agent/1001", "AGENTLOGIN", "SIP/1001-00000001"),
            (0, "NONE", "NONE", "Agent/1002", "AGENTCALLBACKLOGIN", "1002@default"),
            (60, "1700.1", "NONE", "Agent/1001", "AGENTLOGOFF", "SIP/1001-00000001", "60"),
            (
                70,
                "NONE",
                "NONE",
                "Agent/1002",
                "AGENTCALLBACKLOGOFF",
                "1002@default",
                "70",
                "Autologoff",
            ),
        )
    ).events
    assert states(events, "1001") == [(0, "ready", ""), (60, "logged_out", "")]
    assert states(events, "1002") == [(0, "ready", ""), (70, "logged_out", "")]


def test_static_member_comes_with_its_first_call_and_leaves_at_the_end_of_the_log():
    result = imported(
        log(
            (0, "c1", "fault", "NONE", "ENTERQUEUE", "", "1", "1"),
            (10, "c1", "fault", "SIP/1001", "CONNECT", "10", "u", "4"),
            (70, "c1", "fault", "SIP/1001", "COMPLETEAGENT", "10", "60", "1"),
            (500, "c9", "query", "NONE", "ENTERQUEUE", "", "9", "1"),
            (501, "c9", "query", "NONE", "ABANDON", "1", "1", "1"),
        ),
        Settings(wrap_up={"fault": 45.0}),
    )
    assert states(result.events, "1001") == [
        (6, "ready", ""),
        (6, "ringing", ""),
        (10, "talking", ""),
        (70, "wrap_up", ""),
        (115, "ready", ""),  # the queue's 45 s of wrap-up
        (501, "logged_out", ""),
    ]
    assert result.report.logged_out_at_end == 1


def test_next_offer_ends_wrap_up_early_and_a_pause_waits_for_the_call():
    events = imported(
        log(
            (0, "MANAGER", "fault", "SIP/1001", "ADDMEMBER", ""),
            (0, "c1", "fault", "NONE", "ENTERQUEUE", "", "1", "1"),
            (2, "c1", "fault", "SIP/1001", "CONNECT", "2", "u", "2"),
            (20, "NONE", "fault", "SIP/1001", "PAUSE", "break"),  # during the call
            (25, "NONE", "fault", "SIP/1001", "UNPAUSE", ""),
            (30, "c1", "fault", "SIP/1001", "COMPLETECALLER", "2", "28", "1"),
            (31, "c2", "fault", "NONE", "ENTERQUEUE", "", "2", "1"),
            (40, "c2", "fault", "SIP/1001", "CONNECT", "9", "u", "5"),  # rings from 35
            (60, "c2", "fault", "SIP/1001", "COMPLETECALLER", "9", "20", "1"),
            (61, "NONE", "fault", "SIP/1001", "PAUSE", "break"),
            (200, "NONE", "fault", "SIP/1001", "REMOVEMEMBER", ""),
        ),
        Settings(default_wrap_up=60.0),
    ).events
    assert states(events, "1001") == [
        (0, "ready", ""),
        (0, "ringing", ""),
        (2, "talking", ""),
        (30, "wrap_up", ""),
        (35, "ready", ""),  # wrap-up cut short by the next offer
        (35, "ringing", ""),
        (40, "talking", ""),
        (60, "wrap_up", ""),
        (61, "not_ready", "break"),  # an agent ends wrap-up by pausing (or unpausing)
        (200, "logged_out", ""),
    ]


def test_auto_pause_after_a_missed_ring_is_not_ready_missed():
    events = imported(
        log(
            (0, "MANAGER", "fault", "SIP/1001", "ADDMEMBER", ""),
            (10, "c1", "fault", "NONE", "ENTERQUEUE", "", "1", "1"),
            (25, "c1", "fault", "SIP/1001", "RINGNOANSWER", "15000"),
            (25, "NONE", "fault", "SIP/1001", "PAUSE", "Auto-Pause"),
            (30, "c1", "fault", "NONE", "ABANDON", "1", "1", "20"),
            (40, "NONE", "fault", "SIP/1001", "UNPAUSE", ""),
        )
    ).events
    assert states(events, "1001") == [
        (0, "ready", ""),
        (10, "ringing", ""),
        (25, "ready", ""),
        (25, "not_ready", "missed"),
        (40, "ready", ""),
        (40, "logged_out", ""),
    ]


def test_an_offer_to_an_agent_in_another_call_leaves_its_state_alone():
    result = imported(
        log(
            (0, "c1", "fault", "NONE", "ENTERQUEUE", "", "1", "1"),
            (1, "c1", "fault", "SIP/1001", "CONNECT", "1", "u", "1"),
            (5, "c2", "fault", "NONE", "ENTERQUEUE", "", "2", "1"),
            (20, "c2", "fault", "SIP/1001", "RINGNOANSWER", "15000"),  # ringinuse=yes
            (21, "c2", "fault", "NONE", "ABANDON", "1", "1", "16"),
            (60, "c1", "fault", "SIP/1001", "COMPLETECALLER", "1", "59", "1"),
        )
    )
    assert states(result.events, "1001") == [
        (0, "ready", ""),
        (0, "ringing", ""),
        (1, "talking", ""),
        (60, "ready", ""),
        (60, "logged_out", ""),
    ]
    assert result.report.overlaps == 1


def test_member_lines_without_agent_or_queue_are_named():
    result = imported(
        log(
            (0, "MANAGER", "NONE", "SIP/1001", "ADDMEMBER", ""),
            (1, "NONE", "fault", "NONE", "PAUSE", "x"),
        )
    )
    assert [str(p) for p in result.report.problems] == [
        "q.log:1: ADDMEMBER names no queue",
        "q.log:2: PAUSE names no agent",
    ]

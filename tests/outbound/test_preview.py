"""Preview dialing (预览式外呼) and who answered (本人 / 非本人 / 答录机), on the digital twin:
an agent sees the next record, dials it or skips it; while the customer's phone rings the
agent takes no inbound call; the answered customer rings that agent; an unanswered call
gives the agent back the state it had; the agent's word on who answered decides whether the
customer was reached."""

from __future__ import annotations

import pytest

from hotline.core.ids import AgentId
from hotline.outbound.campaign import CampaignError, CampaignSpec, Entry
from hotline.outbound.dialer import HOLD_FOR, SKIP_FOR
from hotline.outbound.events import AttemptEnded, EntryDialed, PartyMarked, PreviewSkipped
from hotline.outbound.twin import OUTBOUND, Twin
from hotline.routing.events import ContactOffered
from hotline.routing.model import AgentState, NotReadyReason
from tests.outbound.test_dialer import at, entries, twin

A1, A2 = AgentId("7001"), AgentId("7002")
END = at("2026-12-02 09:10")


def previewing(t: Twin, n: int = 5, **spec: object) -> None:
    t.dialer.add(CampaignSpec("p", "回访", queue=OUTBOUND, pacing="preview", **spec), entries(n))  # type: ignore[arg-type]
    t.dialer.start("p", by="lead")


def test_a_preview_campaign_places_nothing_until_an_agent_dials_what_it_was_shown() -> None:
    t = twin(2, "2026-12-02 09:00")
    t.dialer.add(
        CampaignSpec("p", "回访", queue=OUTBOUND, pacing="preview"),
        [*entries(3), Entry("vip", "13800000009", "王总", important=True)],
    )
    t.dialer.start("p", by="lead")
    t.run_until(t.clock.now() + 60)
    assert t.events.of(EntryDialed) == []

    shown = t.dialer.preview(A1)
    assert shown is not None
    assert shown.entry.id == "vip"
    assert t.dialer.preview(A1) is shown  # the same record until decided (a page refresh)
    other = t.dialer.preview(A2)
    assert other is not None
    assert other.entry.id == "e0"
    assert t.dialer.progress("p").held == 2

    call = t.dialer.dial_preview(A1, "vip")
    seat = t.engine.acd.agent(A1)
    assert (seat.state, seat.reason) == (AgentState.NOT_READY, NotReadyReason.OUTBOUND)
    t.run_until(t.clock.now() + 20)  # the customer answers within 14 s: A1 rings, answers
    assert [e.agent for e in t.events.of(ContactOffered) if e.call == call] == ["7001"]
    assert t.dialer.call_of(A1) is not None
    t.run_until(t.clock.now() + 600)
    closed = t.dialer.entry("p", "vip")
    assert (closed.result, closed.tries) == ("reached", 1)
    assert t.engine.acd.agent(A1).state is AgentState.READY  # after the call and wrap-up
    assert t.dialer.preview(A1) is not None  # the next record


def test_an_unanswered_preview_call_gives_the_agent_back_its_state_and_is_tried_later() -> None:
    t = twin(1, "2026-12-02 09:00", answer=0.0)
    previewing(t)
    t.engine.acd.set_not_ready(A1, NotReadyReason.BUSY)  # reading the record, 示忙
    shown = t.dialer.preview(A1)
    assert shown is not None
    t.dialer.dial_preview(A1, shown.entry.id)
    ringing = t.dialer.dialled(A1)
    assert ringing is not None
    assert (ringing.ringing, ringing.ended) == (True, False)
    t.run_until(t.clock.now() + 40)  # rings out after 25 s
    ended = t.dialer.dialled(A1)
    assert ended is not None
    assert (ended.ringing, ended.ended, ended.entry.result) == (False, True, "no_answer")
    seat = t.engine.acd.agent(A1)
    assert (seat.state, seat.reason) == (AgentState.NOT_READY, NotReadyReason.BUSY)
    [ended] = t.events.of(AttemptEnded)
    assert (ended.result, ended.tries, ended.reached) == ("no_answer", 1, False)
    assert ended.next_at == pytest.approx(ended.at + 3600)
    assert t.dialer.entry("p", shown.entry.id).state == "pending"
    assert t.dialer.preview(A1) is not None  # the next record is shown: the last one is gone
    assert t.dialer.dialled(A1) is None


def test_a_skipped_record_comes_back_later_without_counting_as_a_try() -> None:
    t = twin(1, "2026-12-02 09:00")
    previewing(t, 2)
    first = t.dialer.preview(A1)
    assert first is not None
    assert first.entry.id == "e0"
    due = t.dialer.skip_preview(A1, "e0")
    assert due == pytest.approx(t.clock.now() + SKIP_FOR)
    [skipped] = t.events.of(PreviewSkipped)
    assert (skipped.entry, skipped.agent) == ("e0", "7001")
    second = t.dialer.preview(A1)
    assert second is not None
    assert second.entry.id == "e1"
    t.dialer.skip_preview(A1, "e1")
    assert t.dialer.preview(A1) is None  # both wait for their half hour
    t.run_until(t.clock.now() + SKIP_FOR + 1)
    again = t.dialer.preview(A1)
    assert again is not None
    assert again.entry.id == "e0"
    assert again.entry.tries == 0


def test_a_record_left_undecided_goes_back_to_the_list_for_another_agent() -> None:
    t = twin(2, "2026-12-02 09:00")
    previewing(t, 1)
    assert t.dialer.preview(A1) is not None
    assert t.dialer.preview(A2) is None
    t.run_until(t.clock.now() + HOLD_FOR + 1)
    taken = t.dialer.preview(A2)
    assert taken is not None
    assert taken.entry.id == "e0"
    with pytest.raises(CampaignError, match="not shown to agent 7001"):
        t.dialer.dial_preview(A1, "e0")


def test_an_agent_on_a_call_cannot_dial_and_a_paused_campaign_takes_its_records_back() -> None:
    t = twin(1, "2026-12-02 09:00")
    previewing(t, 2)
    shown = t.dialer.preview(A1)
    assert shown is not None
    t.dialer.dial_preview(A1, shown.entry.id)
    t.run_until(t.clock.now() + 20)  # talking with the first customer
    assert t.engine.acd.agent(A1).state is AgentState.TALKING
    nxt = t.dialer.preview(A1)
    assert nxt is not None
    with pytest.raises(CampaignError, match="talking"):
        t.dialer.dial_preview(A1, nxt.entry.id)
    t.dialer.pause("p", by="lead")
    assert t.dialer.preview(A1) is None
    assert t.dialer.progress("p").held == 0


@pytest.mark.parametrize(
    ("party", "result", "again_after"),
    [("right", "reached", None), ("wrong", "wrong_party", 86400.0), ("machine", "machine", 3600.0)],
)
def test_who_answered_decides_whether_the_customer_was_reached(
    party: str, result: str, again_after: float | None
) -> None:
    t = twin(1, "2026-12-02 09:00")
    t.dialer.add(CampaignSpec("c", "回访", queue=OUTBOUND), entries(1))
    t.dialer.start("c", by="lead")
    with pytest.raises(CampaignError, match="no campaign call"):
        t.dialer.mark_party(A1, party)
    t.run_until(t.clock.now() + 20)
    on_call = t.dialer.call_of(A1)
    assert on_call is not None
    assert on_call.entry.id == "e0"
    t.dialer.mark_party(A1, party)
    [marked] = t.events.of(PartyMarked)
    assert (marked.party, marked.agent, marked.call) == (party, "7001", on_call.call)
    t.run_until(t.clock.now() + 600)
    [ended] = t.events.of(AttemptEnded)[:1]
    assert ended.result == result
    progress = t.dialer.progress("c")
    assert progress.right_party == (party == "right")
    if again_after is None:
        assert progress.reached == 1
        assert t.dialer.entry("c", "e0").state == "closed"
    else:
        assert progress.reached == 0
        assert ended.next_at == pytest.approx(ended.at + again_after)


def test_an_unknown_party_is_refused() -> None:
    t = twin(1, "2026-12-02 09:00")
    with pytest.raises(CampaignError, match="party 'maybe'"):
        t.dialer.mark_party(A1, "maybe")


def test_no_call_is_placed_for_an_agent_whose_shift_ends_before_its_customer_could_answer() -> None:
    """The only agent logs out at 09:10 (its shift's end). A customer due at 09:09:40 finds
    the agent ready, but could answer after 09:10 (25 s of ringing): no call is placed for
    it, and it waits; the customers due earlier are called."""
    t = twin(1, "2026-12-02 09:00", talk=20.0, leaves=lambda a, start, until: start < END <= until)
    spec = CampaignSpec("c", "回访", queue=OUTBOUND, pacing="progressive")
    late = Entry("late", "13900000099", due=END - 20)
    t.dialer.add(spec, [*entries(2), late])
    t.dialer.start("c", by="lead")
    t.clock.call_at(END, t.engine.acd.logout, A1)
    t.run_until(END + 600)
    assert [e.entry for e in t.events.of(EntryDialed)] == ["e0", "e1"]
    assert t.dialer.entry("c", "late").state == "pending"
    assert t.dialer.progress("c").dropped == 0

"""The outbound dialer on real SIP: the same `Dialer` the demo and the twin run places a
campaign's calls through Kamailio's trunk to a SIPp customer, on the live engine's clock.

A notice campaign (电费通知-like, `PlayMessage`) of one customer who answers: the dialer
places the call, the customer hears the 2 s notice and the hotline hangs up; the entry is
closed ``notified`` after one try. A customer whose line is busy: the try fails ``busy``
and the entry waits for its retry delay.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from pathlib import Path

import pytest

from hotline.calls.config import load_hotline
from hotline.core.calendar import BusinessCalendar
from hotline.core.clock import VirtualClock
from hotline.core.events import EventRecorder
from hotline.live.driver import LiveDriver
from hotline.outbound.campaign import CampaignSpec, Entry
from hotline.outbound.dialer import Dialer
from hotline.outbound.events import AttemptEnded, EntryClosed, EntryDialed
from hotline.sip.kamailio import Kamailio
from hotline.sip.serve import SipService
from tests.sip.test_end_to_end import WEDNESDAY_10AM
from tests.sip.test_originate import CUSTOMER, EXAMPLE, customer_uas, tone
from tests.support.sip import credentials, need, serve_settings, stop_process


def run_campaign(tmp_path: Path, scenario: str) -> EventRecorder:
    """One notice campaign of CUSTOMER, whose line is SIPp `scenario`, until its first try
    ends (or 60 s)."""
    need("kamailio", "kamcmd", "sipp", "sox")
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    tone(prompts / "outage_notice.wav", 800, 2, ("-b", "16", "-e", "signed"))
    tone(tmp_path / "customer_tone.wav", 400, 60, ("-e", "u-law"))
    settings = serve_settings(tmp_path, prompts)
    hotline = load_hotline(EXAMPLE)

    async def run() -> EventRecorder:
        clock = VirtualClock(WEDNESDAY_10AM)
        driver = LiveDriver(clock, 1.0)
        driver.start()
        service = SipService(
            hotline, settings, clock=clock, catch_up=driver.catch_up,
            credentials=lambda: credentials("9001"),
        )  # fmt: skip
        customer, port = customer_uas(scenario, tmp_path)
        trunk = dataclasses.replace(service.kamailio.settings, trunk=("127.0.0.1", port))
        service.kamailio = Kamailio(trunk)
        engine = service.engine
        recorder = EventRecorder(engine.bus)
        try:
            await service.start()
            driver.catch_up()
            dialer = Dialer(
                clock=clock,
                bus=engine.bus,
                controller=engine.controller,
                acd=engine.acd,
                calendar=BusinessCalendar(hotline.timezone),
            )
            notice = CampaignSpec("bill", "电费通知", prompt="outage_notice", ring_timeout=20)
            dialer.add(notice, [Entry("n1", CUSTOMER, "张三")])
            dialer.start("bill", by="test")
            deadline = time.monotonic() + 60.0
            while not recorder.of(AttemptEnded) and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            await asyncio.to_thread(customer.wait, 20)
            return recorder
        finally:
            stop_process(customer)
            await service.stop()
            await driver.stop()

    return asyncio.run(run())


@pytest.mark.realtime
def test_a_notice_campaign_calls_its_customer_through_kamailio(tmp_path: Path) -> None:
    recorder = run_campaign(tmp_path, "uas_answer.xml")
    [dialed] = recorder.of(EntryDialed)
    assert (dialed.entry, dialed.tries, dialed.pacing) == ("n1", 1, "progressive")
    [ended] = recorder.of(AttemptEnded)
    assert (ended.result, ended.reached, ended.next_at) == ("notified", True, 0.0)
    [closed] = recorder.of(EntryClosed)
    assert (closed.result, closed.tries) == ("notified", 1)
    # the notice lasts 2 s (more when a loaded machine runs the media late)
    assert 1.9 < ended.at - dialed.at < 12.0, ended.at - dialed.at


@pytest.mark.realtime
def test_a_busy_customer_is_tried_again_after_the_busy_delay(tmp_path: Path) -> None:
    recorder = run_campaign(tmp_path, "uas_busy.xml")
    [ended] = recorder.of(AttemptEnded)
    assert (ended.result, ended.reached, ended.tries) == ("busy", False, 1)
    assert ended.next_at == pytest.approx(ended.at + 900)  # the default delay after busy: 15 min
    assert recorder.of(EntryClosed) == []

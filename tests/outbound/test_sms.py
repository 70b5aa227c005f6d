"""SMS notices: templates and their billing parts, opt-outs, the sender's events, the
simulated gateway on the virtual clock and the HTTP gateway against a real local server."""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from hotline.core.clock import VirtualClock
from hotline.core.events import Event
from hotline.outbound.events import (
    SmsDelivered,
    SmsFailed,
    SmsOptedOut,
    SmsSent,
    SmsSkipped,
)
from hotline.outbound.sms import (
    OptOut,
    OptOuts,
    SimulatedGateway,
    SmsError,
    SmsMessage,
    SmsNumberError,
    SmsRefusedError,
    SmsSender,
    SmsTemplate,
    SmsTemplateError,
    SmsUnknownTemplateError,
    SmsVariableMissingError,
    is_opt_out_reply,
    segments,
)
from hotline.outbound.sms_http import HttpGateway, parse_report

START = 1_784_131_200.0  # 2026-07-16 00:00 in Shanghai
SIGNATURE = "【国网XX供电公司】"
BILL = SmsTemplate(
    name="电费通知",
    text="尊敬的客户，您户号{account}本月电费{amount}元，请于{due}前缴纳。",
    signature=SIGNATURE,
)


class FakeGateway:
    """Keeps what it is sent; refuses every message while `refusing`."""

    def __init__(self) -> None:
        self.sent: list[SmsMessage] = []
        self.refusing = False

    def send(self, message: SmsMessage) -> None:
        if self.refusing:
            raise SmsRefusedError("platform down", reason="status", status=503)
        self.sent.append(message)


# -- templates ------------------------------------------------------------------------


def test_a_template_renders_behind_its_signature_ignoring_extra_variables() -> None:
    text = BILL.render({"account": "5101000001", "amount": "86.40", "due": "20日", "x": "?"})
    assert text == (
        "【国网XX供电公司】尊敬的客户，您户号5101000001本月电费86.40元，请于20日前缴纳。"
    )
    assert BILL.variables == ("account", "amount", "due")


def test_a_missing_variable_is_named_in_the_error() -> None:
    with pytest.raises(SmsVariableMissingError) as raised:
        BILL.render({"account": "5101000001", "due": "20日"})
    assert isinstance(raised.value, SmsError)
    assert raised.value.error_id == "sms-variable-missing"
    assert raised.value.details == {"template": "电费通知", "variable": "amount"}
    assert "amount" in str(raised.value)


@pytest.mark.parametrize("text", ["电费{}元", "电费{0}元", "户号{bill.account}", "{a!r}", "{a"])
def test_only_plain_named_placeholders_make_a_template(text: str) -> None:
    with pytest.raises(SmsTemplateError):
        SmsTemplate(name="坏模板", text=text, signature=SIGNATURE)


@pytest.mark.parametrize("signature", ["", "国网XX供电公司", "【】", "[国网XX供电公司]"])
def test_a_signature_is_a_name_in_lenticular_brackets(signature: str) -> None:
    with pytest.raises(SmsTemplateError) as raised:
        SmsTemplate(name="停电通知", text="明日停电。", signature=signature)
    assert raised.value.details["signature"] == signature


@pytest.mark.parametrize(
    ("length", "parts"), [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)]
)
def test_segments_are_70_characters_alone_or_67_each_when_longer(length: int, parts: int) -> None:
    assert segments("电" * length) == parts
    assert segments("a" * length) == parts  # UCS-2 for Latin letters too, not GSM-7


def test_a_character_outside_the_bmp_counts_twice() -> None:
    assert segments("电" * 69 + "😀") == 2


# -- opt-outs ---------------------------------------------------------------------------


@pytest.mark.parametrize("reply", ["退订", "TD", "td", " Td\n", "T", "n", "取消", "ＴＤ"])
def test_opt_out_replies_are_recognised(reply: str) -> None:
    assert is_opt_out_reply(reply)


@pytest.mark.parametrize("reply", ["", "好的", "TD 谢谢", "退订了吗", "no", "收到"])
def test_other_replies_are_not_opt_outs(reply: str) -> None:
    assert not is_opt_out_reply(reply)


def test_opt_outs_keep_the_first_time_and_ignore_the_country_code() -> None:
    opt_outs = OptOuts({"13800138000": START})
    assert not opt_outs.add("+8613800138000", START + 60)
    assert opt_outs.since("13800138000") == START
    assert "008613800138000" in opt_outs
    assert "13900139000" not in opt_outs
    assert len(opt_outs) == 1


def test_opt_outs_are_kept_before_they_count_and_not_at_all_when_keeping_fails() -> None:
    kept: list[OptOut] = []
    removed: list[str] = []
    opt_outs = OptOuts(
        kept=[OptOut("13700137000", START - 60, "manual", "supervisor")],
        on_add=kept.append,
        on_remove=removed.append,
    )
    assert kept == []  # read back: not kept a second time
    assert opt_outs.get("+8613700137000") == OptOut(
        "13700137000", START - 60, "manual", "supervisor"
    )
    assert opt_outs.add("+8613800138000", START, source="reply")
    assert kept == [OptOut("13800138000", START, "reply", "")]  # as compared: no +86
    assert [e.number for e in opt_outs.entries()] == ["13800138000", "13700137000"]  # latest first
    assert opt_outs.remove("008613700137000")
    assert removed == ["13700137000"]
    assert not opt_outs.remove("13700137000")
    assert removed == ["13700137000"]

    def refuse(_: object) -> None:
        raise SmsError("the database is gone")

    failing = OptOuts({"13800138000": START}, on_add=refuse, on_remove=refuse)
    with pytest.raises(SmsError):
        failing.add("13900139000", START)
    assert "13900139000" not in failing
    with pytest.raises(SmsError):
        failing.remove("13800138000")
    assert "13800138000" in failing
    with pytest.raises(SmsError) as raised:
        OptOuts().add("13900139000", START, source="guess")
    assert raised.value.details == {"source": "guess"}


# -- the sender -------------------------------------------------------------------------


def _sender(
    gateway: FakeGateway, opt_outs: OptOuts | None = None
) -> tuple[SmsSender, list[Event], VirtualClock]:
    clock = VirtualClock(START)
    events: list[Event] = []
    sender = SmsSender(
        gateway=gateway,
        templates=[BILL],
        opt_outs=opt_outs or OptOuts(),
        publish=events.append,
        clock=clock,
    )
    return sender, events, clock


VARIABLES = {"account": "5101000001", "amount": "86.40", "due": "20日"}


def test_a_sent_message_is_published_with_the_number_masked() -> None:
    gateway = FakeGateway()
    sender, events, _clock = _sender(gateway)
    message = sender.send("13800138000", "电费通知", VARIABLES, campaign="c7", entry="e1")
    assert message is not None
    assert gateway.sent == [message]
    assert message.number == "13800138000"  # in clear for the gateway only
    assert message.text == BILL.render(VARIABLES)
    assert events == [
        SmsSent(
            at=START,
            message=message.id,
            number="138****8000",
            template="电费通知",
            campaign="c7",
            entry="e1",
            segments=1,
        )
    ]
    assert sender.pending == 1


def test_an_opted_out_number_is_skipped_and_logged() -> None:
    gateway = FakeGateway()
    sender, events, clock = _sender(gateway)
    clock.advance(30)
    assert sender.reply("13800138000", " 退订 ")
    assert sender.reply("13800138000", "TD")  # an opt-out again: no second event
    assert not sender.reply("13900139000", "好的")
    assert sender.send("13800138000", "电费通知", VARIABLES) is None
    assert gateway.sent == []
    assert events == [
        SmsOptedOut(at=START + 30, number="138****8000"),
        SmsSkipped(
            at=START + 30,
            number="138****8000",
            template="电费通知",
            campaign="",
            entry="",
            reason="opted_out",
        ),
    ]


def test_reports_publish_delivered_or_failed_once() -> None:
    gateway = FakeGateway()
    sender, events, clock = _sender(gateway)
    first = sender.send("13800138000", "电费通知", VARIABLES, campaign="c7")
    second = sender.send("13900139000", "电费通知", VARIABLES)
    assert first is not None
    assert second is not None
    assert first.id != second.id
    clock.advance(5)
    assert sender.report(first.id, True, "DELIVRD")
    assert sender.report(second.id, False, "UNDELIV")
    assert not sender.report(second.id, False, "UNDELIV")  # reported twice: ignored
    assert not sender.report("sms-unknown", True, "DELIVRD")
    assert events[2:] == [
        SmsDelivered(
            at=START + 5,
            message=first.id,
            number="138****8000",
            template="电费通知",
            campaign="c7",
            entry="",
        ),
        SmsFailed(
            at=START + 5,
            message=second.id,
            number="139****9000",
            template="电费通知",
            campaign="",
            entry="",
            reason="UNDELIV",
        ),
    ]
    assert sender.pending == 0


def test_a_refused_message_raises_and_publishes_nothing() -> None:
    gateway = FakeGateway()
    gateway.refusing = True
    sender, events, _clock = _sender(gateway)
    with pytest.raises(SmsRefusedError):
        sender.send("13800138000", "电费通知", VARIABLES)
    assert events == []
    assert sender.pending == 0


def test_a_bad_number_an_unknown_template_or_a_missing_variable_raise() -> None:
    gateway = FakeGateway()
    sender, events, _clock = _sender(gateway)
    with pytest.raises(SmsNumberError) as bad:
        sender.send("138 0013 8000", "电费通知", VARIABLES)
    assert bad.value.error_id == "bad-sms-number"
    with pytest.raises(SmsUnknownTemplateError) as unknown:
        sender.send("13800138000", "欠费通知", VARIABLES)
    assert unknown.value.details == {"template": "欠费通知"}
    with pytest.raises(SmsVariableMissingError):
        sender.send("13800138000", "电费通知", {"account": "5101000001"})
    assert gateway.sent == []
    assert events == []


def test_two_templates_of_one_name_are_refused() -> None:
    with pytest.raises(SmsTemplateError):
        SmsSender(FakeGateway(), [BILL, BILL], OptOuts(), print, VirtualClock(START))


# -- the simulated gateway ---------------------------------------------------------------


def _simulate(seed: int, count: int = 2000) -> list[tuple[float, str, bool, str]]:
    clock = VirtualClock(START)
    reports: list[tuple[float, str, bool, str]] = []

    def report(message: str, delivered: bool, reason: str) -> None:
        reports.append((clock.now(), message, delivered, reason))

    gateway = SimulatedGateway(clock, report, random.Random(seed))
    for n in range(count):
        gateway.send(SmsMessage(f"m{n}", "13800138000", "【国网】停电通知", "停电通知"))
    clock.run(until=START + 1.999)
    assert reports == []  # none before the least delay
    clock.run(until=START + 20.0)
    return reports


def test_simulated_reports_arrive_on_the_virtual_clock_at_the_configured_share() -> None:
    reports = _simulate(seed=7)
    assert len(reports) == 2000
    assert sorted(message for _, message, _, _ in reports) == sorted(f"m{n}" for n in range(2000))
    assert all(START + 2.0 <= at <= START + 20.0 for at, _, _, _ in reports)
    delivered = sum(1 for _, _, ok, _ in reports if ok)
    # binomial(2000, 0.97): one standard deviation is 7.6 messages; allow about four
    assert abs(delivered - 0.97 * 2000) <= 30
    reasons = Counter(reason for _, _, ok, reason in reports if not ok)
    assert set(reasons) <= {"UNDELIV", "EXPIRED", "REJECTD"}
    assert {reason for _, _, ok, reason in reports if ok} == {"DELIVRD"}


def test_the_same_seed_gives_the_same_reports() -> None:
    assert _simulate(seed=11, count=300) == _simulate(seed=11, count=300)
    assert _simulate(seed=11, count=300) != _simulate(seed=12, count=300)


def test_the_simulated_gateway_drives_the_sender() -> None:
    clock = VirtualClock(START)
    events: list[Event] = []
    sender: SmsSender | None = None

    def report(message: str, delivered: bool, reason: str) -> None:
        assert sender is not None
        sender.report(message, delivered, reason)

    gateway = SimulatedGateway(clock, report, random.Random(3), delivered_share=0.5)
    sender = SmsSender(gateway, [BILL], OptOuts(), events.append, clock)
    for n in range(20):
        sender.send(f"138001380{n:02d}", "电费通知", VARIABLES, campaign="c1", entry=f"e{n}")
    clock.run()
    kinds = Counter(e.kind for e in events)
    assert kinds["outbound.sms_sent"] == 20
    assert kinds["outbound.sms_delivered"] + kinds["outbound.sms_failed"] == 20
    assert sender.pending == 0


@pytest.mark.parametrize("settings", [{"delivered_share": 1.5}, {"delay": (5.0, 1.0)}])
def test_the_simulated_gateway_refuses_impossible_settings(settings: dict[str, Any]) -> None:
    with pytest.raises(SmsError):
        SimulatedGateway(VirtualClock(START), print, random.Random(1), **settings)


# -- the HTTP gateway ----------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: _PlatformServer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        self.server.requests.append(
            (self.headers.get("authorization"), json.loads(self.rfile.read(length)))
        )
        if self.path == "/slow":
            time.sleep(1.0)
            return  # the gateway gave up waiting: nothing to answer
        status, body = (500, '{"msg": "签名未报备"}') if self.path == "/fail" else (202, "{}")
        data = body.encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _PlatformServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str | None, dict[str, Any]]] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture
def platform() -> Iterator[_PlatformServer]:
    server = _PlatformServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


MESSAGE = SmsMessage("sms-1-1", "13800138000", "【国网XX供电公司】明日停电。", "停电通知")


def test_a_2xx_answer_is_accepted_with_the_fields_renamed(platform: _PlatformServer) -> None:
    gateway = HttpGateway(
        platform.url("/sms"), token="s3cret", fields={"number": "mobile", "text": "content"}
    )
    gateway.send(MESSAGE)
    gateway.close()
    assert platform.requests == [
        (
            "Bearer s3cret",
            {"mobile": "13800138000", "content": "【国网XX供电公司】明日停电。", "id": "sms-1-1"},
        )
    ]


def test_a_500_is_a_refusal_with_its_status(platform: _PlatformServer) -> None:
    gateway = HttpGateway(platform.url("/fail"))
    with pytest.raises(SmsRefusedError) as refused:
        gateway.send(MESSAGE)
    assert refused.value.error_id == "sms-refused"
    assert refused.value.details["reason"] == "status"
    assert refused.value.details["status"] == 500
    assert refused.value.details["sms"] == "sms-1-1"
    assert "签名未报备" in refused.value.details["reply"]
    assert platform.requests[0][0] is None  # no token, no header


def test_a_timeout_is_a_refusal_with_the_timeout(platform: _PlatformServer) -> None:
    gateway = HttpGateway(platform.url("/slow"), timeout=0.2)
    with pytest.raises(SmsRefusedError) as refused:
        gateway.send(MESSAGE)
    assert refused.value.details["reason"] == "timeout"
    assert refused.value.details["timeout"] == 0.2
    assert refused.value.__suppress_context__  # the error says it all: no httpx traceback


def test_an_unknown_field_name_is_refused() -> None:
    with pytest.raises(SmsError):
        HttpGateway("http://127.0.0.1:9/sms", fields={"phone": "mobile"})


def test_a_delivery_report_is_read_with_clear_errors() -> None:
    assert parse_report({"id": "sms-1-1", "delivered": True}) == ("sms-1-1", True, "DELIVRD")
    assert parse_report({"id": "m", "delivered": False, "reason": "EXPIRED"}) == (
        "m",
        False,
        "EXPIRED",
    )
    renamed = {"msgid": "m", "ok": False, "stat": "UNDELIV"}
    fields = {"id": "msgid", "delivered": "ok", "reason": "stat"}
    assert parse_report(renamed, fields=fields) == ("m", False, "UNDELIV")
    bad_bodies: list[tuple[dict[str, object], str]] = [
        ({"delivered": True}, "id"),
        ({"id": "", "delivered": True}, "id"),
        ({"id": "m"}, "delivered"),
        ({"id": "m", "delivered": "yes"}, "delivered"),
        ({"id": "m", "delivered": False, "reason": 5}, "reason"),
    ]
    for body, field in bad_bodies:
        with pytest.raises(SmsError) as bad:
            parse_report(body)
        assert bad.value.error_id == "bad-sms-report"
        assert bad.value.details == {"field": field}

"""The shipped 95598 flows load cleanly and every menu branch leads where it should."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.calls.config import load_hotline
from hotline.core.customer import Tier
from hotline.ivr import (
    Flow,
    IdentityChecked,
    IvrExit,
    SurveyScored,
    load_flow,
    load_flows,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "95598" / "ivr"
QUEUES = ("complaint", "english", "fault", "query", "vip")
LOOKUPS = ("bill", "outage")


def load(name: str) -> Flow:
    return load_flow(EXAMPLES / name, known_queues=QUEUES, known_lookups=LOOKUPS)


@pytest.fixture
def main(harness):
    harness.build(load("main.yaml"), load("survey.yaml"))
    return harness


def queued(queue: str, node: str) -> IvrExit:
    return IvrExit(kind="queue", node=node, queue=queue, outcome="queued")


def test_both_example_flows_load_without_warnings() -> None:
    flows = load_flows(EXAMPLES, known_queues=QUEUES, known_lookups=LOOKUPS)
    assert sorted(flows) == ["main", "survey"]
    # alone, the main flow's voicemail prompts look unused: the hotline plays them itself
    # (ivr.voicemail in hotline.yaml), and loaded by its hotline the flows warn of nothing
    alone = {problem.path for flow in flows.values() for problem in flow.warnings}
    assert alone == {"prompts.leave_message", "prompts.message_thanks"}
    site = load_hotline(EXAMPLES.parent / "hotline.yaml")
    assert all(flow.warnings == () for flow in site.flows.values())
    main = flows["main"]
    assert main.prompts["welcome"].text == "您好，欢迎致电95598供电服务热线"
    assert main.prompts["menu_main"].text == (
        "自助查询请按1，故障报修请按2，业务咨询请按3，投诉举报请按4，"
        "For English service, press 9，人工服务请按0"
    )
    for prompt in main.prompts.values():  # about 4 Chinese characters a second
        assert 0.5 <= prompt.duration <= 15


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("2", queued("fault", "to_fault")),  # no outage known where the caller is
        ("3", queued("query", "to_query")),
        ("4", queued("complaint", "to_complaint")),
        ("9", queued("english", "to_english")),
        ("0", queued("query", "to_agent")),
    ],
)
def test_main_menu_keys(main, key: str, expected: IvrExit) -> None:
    main.call("main", key, caller="13700000000")
    assert main.exit == expected
    assert main.switch.prompts()[:2] == ["welcome", "menu_main"]


def test_vip_callers_go_straight_to_the_vip_queue(main) -> None:
    main.call("main", tier=Tier.HIGH)
    assert main.exit == queued("vip", "to_vip")
    assert main.switch.prompts() == ["welcome", "vip_transfer"]


def test_holidays_get_a_greeting_before_the_menu(harness_at) -> None:
    harness = harness_at(2025, 10, 1, 9, 0)  # 国庆节
    harness.build(load("main.yaml"))
    harness.call("main", "3")
    assert harness.switch.prompts() == ["welcome", "holiday_greeting", "menu_main", "to_agent"]
    assert harness.exit.queue == "query"


def test_no_holiday_greeting_on_a_working_sunday(harness_at) -> None:
    harness = harness_at(2025, 9, 28, 9, 0)  # Sunday, a 调休 working day
    harness.build(load("main.yaml"))
    harness.call("main", "3")
    assert "holiday_greeting" not in harness.switch.prompts()


def test_no_key_at_the_main_menu_ends_with_an_agent(main) -> None:
    main.call("main", "", "8", "")
    assert main.exit == queued("query", "to_agent")
    assert main.switch.prompts().count("invalid_key") == 2


def test_bill_for_a_caller_known_by_phone(main) -> None:
    ctx = main.call("main", "1", "", account="1234567890", caller="13800000001")
    assert main.exit == IvrExit(kind="hangup", node="bill_done", outcome="self_served")
    assert main.switch.prompts() == [
        "welcome",
        "menu_main",
        "bill_amount",
        "after_bill",
        "goodbye",
    ]
    assert ctx.verified
    assert load("main.yaml").render("bill_amount", ctx.variables) == (
        "您的户号1234567890本期电费128.50元，缴费截止日期为2025-10-25，账户余额0.00元"
    )
    (checked,) = main.events.of(IdentityChecked)
    assert checked.method == "bound_phone"


def test_bill_with_account_and_password_then_back_to_the_menu(main) -> None:
    ctx = main.call("main", "1", "9876543210#", "654321#", "*", "4", caller="13700000000")
    assert ctx.variables["amount"] == "56.20"
    assert main.exit == queued("complaint", "to_complaint")
    assert main.switch.prompts() == [
        "welcome",
        "menu_main",
        "enter_account",
        "enter_password",
        "bill_amount",
        "after_bill",
        "menu_main",
        "to_complaint",
    ]
    assert main.lookups.calls == [("bill", {"account": "9876543210"})]


def test_bill_with_a_wrong_password_goes_to_an_agent(main) -> None:
    main.call("main", "1", "9876543210#", "1#", "2#", "3#", caller="13700000000")
    assert main.exit == queued("query", "verify_failed")
    assert main.switch.prompts().count("password_wrong") == 2


def test_bill_not_found_goes_to_an_agent(main) -> None:
    main.verifier.passwords["1111111111"] = "111111"
    main.call("main", "1", "1111111111#", "111111#", caller="13700000000")
    assert main.exit == queued("query", "bill_missing")


def test_a_known_outage_is_told_before_fault_reporting(main) -> None:
    ctx = main.call("main", "2", "", caller="13900000009")
    assert main.exit == IvrExit(kind="hangup", node="outage_done", outcome="self_served")
    assert ctx.variables["area"] == "西湖区"
    assert main.switch.prompts()[2:] == ["outage_info", "after_outage", "goodbye"]
    assert main.lookups.calls == [("outage", {"phone": "13900000009"})]


def test_after_an_outage_notice_the_caller_can_still_report(main) -> None:
    main.call("main", "2", "1", caller="13900000009")
    assert main.exit == queued("fault", "to_fault")


@pytest.mark.parametrize(("key", "kind"), [("1", "callback"), ("2", "queue")])
def test_middle_tier_callers_are_offered_a_callback(main, key: str, kind: str) -> None:
    main.call("main", "0", key, tier=Tier.MIDDLE, caller="13700000000")
    assert main.exit.kind == kind
    assert main.exit.queue == "query"
    assert "callback_offer" in main.switch.prompts()


def test_survey_flow(main) -> None:
    main.call("main", "3", call="c1", caller="13700000000")
    main.exits.clear()
    main.call("survey", "5", call="c1", agent="A012")
    (scored,) = main.events.of(SurveyScored)
    assert (scored.agent, scored.score) == ("A012", 5)
    assert main.switch.prompts()[-2:] == ["survey_ask", "survey_thanks"]

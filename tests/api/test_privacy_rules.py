"""The pure rules of the edge: masking formats, who sees numbers, tokens, login throttling."""

from __future__ import annotations

import pytest

from hotline.api.auth import LoginThrottle, Sessions, hash_password, verify_password
from hotline.api.masking import (
    mask_account,
    mask_customer,
    mask_id_number,
    mask_numbers,
    mask_phone,
)
from hotline.api.roles import Role, sees_unmasked
from hotline.api.schemas import AgentReason
from hotline.routing.model import AGENT_REASONS


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13800138000", "138****8000"),
        ("02188886666", "021****6666"),
        ("95598", "***98"),
        ("1", "*"),
    ],
)
def test_phone_keeps_the_first_three_and_last_four_digits(value: str, masked: str) -> None:
    assert mask_phone(value) == masked


def test_a_caller_without_a_number_is_shown_as_such() -> None:
    """SIP's ``anonymous`` (no trusted party asserted a number) hides nothing personal:
    masked it would read ``ano**mous``; the console shows it as 未显示号码."""
    assert mask_phone("anonymous") == "anonymous"


def test_id_number_keeps_only_the_last_four() -> None:
    assert mask_id_number("110101199001011234") == "**************1234"
    assert mask_id_number("11010519491231002X") == "**************002X"


def test_account_keeps_the_first_and_last_two() -> None:
    assert mask_account("0101234567") == "01******67"


def test_a_value_too_short_to_keep_parts_is_masked_whole() -> None:
    assert mask_account("0123") == "****"
    assert mask_id_number("12345") == "*****"


def test_mask_customer_masks_numbers_and_address_and_keeps_the_rest() -> None:
    customer = {
        "id": 7,
        "name": "李娜",
        "phone": "13800138000",
        "id_number": "110101199001011234",
        "account": "0101234567",
        "address": "北京市西城区金融大街17号",
        "tier": "high",
    }
    masked = mask_customer(customer)
    assert masked == {
        "id": 7,
        "name": "李娜",
        "phone": "138****8000",
        "id_number": "**************1234",
        "account": "01******67",
        "address": "北京市西城区****",
        "tier": "high",
    }
    assert customer["phone"] == "13800138000"  # the input is not changed


def test_mask_numbers_masks_the_caller_of_an_event_record() -> None:
    record = {"kind": "call.arrived", "caller": "13800138000", "call": "c-1"}
    assert mask_numbers(record) == {"kind": "call.arrived", "caller": "138****8000", "call": "c-1"}


@pytest.mark.parametrize(
    ("role", "on_the_call", "clear"),
    [
        (Role.AGENT, True, True),
        (Role.AGENT, False, False),
        (Role.SHIFT_LEAD, False, True),
        (Role.SUPERVISOR, False, False),
        (Role.QA, False, False),
        (Role.ADMIN, False, False),
        (Role.ADMIN, True, False),
    ],
)
def test_only_the_agent_on_the_call_and_the_shift_lead_see_numbers(
    role: Role, on_the_call: bool, clear: bool
) -> None:
    assert sees_unmasked(role, on_the_call=on_the_call) is clear


def test_the_reasons_an_agent_may_pick_are_the_routing_engines() -> None:
    assert {r.value for r in AgentReason} == {r.value for r in AGENT_REASONS}


def test_password_hash_is_argon2id_and_verifies_only_the_password() -> None:
    hashed = hash_password("demo123")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "demo123")
    assert not verify_password(hashed, "demo124")
    assert not verify_password(None, "demo123")
    assert not verify_password("not a hash", "demo123")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_session_token_is_refused_when_forged_expired_or_logged_out() -> None:
    clock = FakeClock()
    sessions = Sessions("secret", lifetime=60.0, clock=clock)
    token, session = sessions.issue("9001")
    assert sessions.check(token) == session
    assert Sessions("another secret", clock=clock).check(token) is None
    head, payload, signature = token.split(".")
    assert sessions.check(f"{head}.{payload}x.{signature}") is None
    assert sessions.check("v1.garbage") is None
    clock.now += 61
    assert sessions.check(token) is None
    token, session = sessions.issue("9001")
    sessions.revoke(session)
    assert sessions.check(token) is None


def test_throttle_refuses_after_five_failures_in_five_minutes_then_forgets() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(5):
        assert throttle.retry_after("9001", "10.0.0.1") is None
        throttle.failed("9001", "10.0.0.1")
    wait = throttle.retry_after("9001", "10.0.0.1")
    assert wait is not None
    assert 299 <= wait <= 300
    assert throttle.retry_after("9001", "10.0.0.2") is None  # another client
    assert throttle.retry_after("9002", "10.0.0.1") is None  # another user
    clock.now += 301
    assert throttle.retry_after("9001", "10.0.0.1") is None


def test_throttle_keeps_a_bounded_number_of_keys() -> None:
    throttle = LoginThrottle(max_keys=3, clock=FakeClock())
    for name in ("a", "b", "c", "d"):
        throttle.failed(name, "x")
    assert len(throttle._failures) == 3

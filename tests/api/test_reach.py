"""接听方式 (移动坐席): an agent chooses at the desk to be rung on a mobile through the trunk;
the choice reaches the switch, is kept across a restart, refuses numbers the trunk may not
call (naming the field), is audited with the number masked, and is off without a trunk."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.core.ids import AgentId
from hotline.live import DemoSettings, LiveHotline
from hotline.live.mobiles import MobileNumberError, MobileSeats, normalize
from hotline.sip.kamailio import DIAL_PLAN
from hotline.store.db import Audit
from tests.api.conftest import SCENARIO, login, make_runtime


class Switch:
    """What the SIP switch was told (`SipService.set_mobile`)."""

    def __init__(self) -> None:
        self.rings: dict[AgentId, str | None] = {}

    def __call__(self, agent: AgentId, number: str | None) -> None:
        self.rings[agent] = number


@pytest.mark.parametrize(
    ("typed", "dialled"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("(010) 6655 1234", "01066551234"),
    ],
)
def test_a_number_is_dialled_as_the_trunk_dials_it(typed: str, dialled: str) -> None:
    assert normalize(typed, DIAL_PLAN) == dialled


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "请填写"),
        ("138abc", "只能包含数字"),
        ("12345", "不能呼叫"),
        ("95598", "不能呼叫"),  # a service code, not a person
        ("001 202 555 0100", "不能呼叫"),  # international: not on the dial plan
    ],
)
def test_a_number_the_trunk_may_not_call_is_refused(typed: str, says: str) -> None:
    with pytest.raises(MobileNumberError, match=says):
        normalize(typed, DIAL_PLAN)


def test_an_agent_moves_to_a_mobile_and_back(client: TestClient, runtime: LiveHotline) -> None:
    switch = Switch()
    runtime.mobiles = MobileSeats(runtime.db, dial_plan=DIAL_PLAN, apply=switch)
    agent = login(client, "9001")
    assert client.get("/api/desk/reach", headers=agent).json() == {
        "mode": "phone",
        "number": None,
        "available": True,
    }
    moved = client.put("/api/desk/reach", json={"number": "138 0013 8000"}, headers=agent)
    assert moved.status_code == 200, moved.text
    assert moved.json() == {"mode": "mobile", "number": "13800138000", "available": True}
    assert switch.rings == {AgentId("9001"): "13800138000"}
    back = client.put("/api/desk/reach", json={"number": None}, headers=agent)
    assert back.json()["mode"] == "phone"
    assert switch.rings == {AgentId("9001"): None}
    rows = [row for row in Audit(runtime.db).list() if row.action == "desk.reach"]
    details = sorted((row.detail["from"], row.detail["to"]) for row in rows)
    assert details == [("138****8000", "phone"), ("phone", "138****8000")]
    assert all(row.subject_id == "9001" for row in rows)


def test_a_bad_number_names_the_field_and_changes_nothing(
    client: TestClient, runtime: LiveHotline
) -> None:
    switch = Switch()
    runtime.mobiles = MobileSeats(runtime.db, dial_plan=DIAL_PLAN, apply=switch)
    agent = login(client, "9001")
    assert client.put("/api/desk/reach", json={"number": "13800138000"}, headers=agent).is_success
    refused = client.put("/api/desk/reach", json={"number": "110"}, headers=agent)
    assert refused.status_code == 422
    assert refused.json()["field"] == "body.number"
    assert "110" in refused.json()["message"]
    assert client.get("/api/desk/reach", headers=agent).json()["number"] == "13800138000"
    assert switch.rings == {AgentId("9001"): "13800138000"}


def test_only_an_agent_sets_their_own_and_only_with_a_trunk(
    client: TestClient, runtime: LiveHotline
) -> None:
    for username in ("supervisor", "lead", "qa"):
        headers = login(client, username)
        assert client.get("/api/desk/reach", headers=headers).status_code == 403
    agent = login(client, "9001")
    # the demo (no trunk): the choice is not offered and a change is refused
    assert client.get("/api/desk/reach", headers=agent).json()["available"] is False
    off = client.put("/api/desk/reach", json={"number": "13800138000"}, headers=agent)
    assert (off.status_code, off.json()["error"]) == (409, "mobile-off")


def test_the_choice_is_kept_across_a_restart(tmp_path: Path) -> None:
    first = make_runtime(tmp_path)
    first.mobiles = MobileSeats(first.db, dial_plan=DIAL_PLAN, apply=Switch())
    with TestClient(create_app(first, secret="s")) as client:
        agent = login(client, "9002")
        client.put("/api/desk/reach", json={"number": "13900139000"}, headers=agent)
    again = LiveHotline.demo(
        DemoSettings(
            db_url=f"sqlite:///{tmp_path / 'hotline.db'}",
            scenario=SCENARIO,
            speed=0.0,
            traffic=False,
        )
    )
    switch = Switch()
    again.mobiles = MobileSeats(again.db, dial_plan=DIAL_PLAN, apply=switch)
    with TestClient(create_app(again, secret="s")):
        assert switch.rings == {AgentId("9002"): "13900139000"}

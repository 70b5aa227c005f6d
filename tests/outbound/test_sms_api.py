"""The SMS platform's endpoints and the opt-out list through the API, on a real runtime (the
example hotline with its SMS gateway pointed at a local HTTP server, a paused clock, SQLite
in tmp): a delivery report becomes ``outbound.sms_delivered`` in the log, a 退订 reply keeps
the number so the next text to it is skipped, the list survives a restart, the platform's
token, bodies refused field by field, and who may read or change the list."""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.core.events import Event
from hotline.live import LiveHotline
from hotline.outbound.sms import SmsSender
from hotline.outbound.sms_api import running_sms
from hotline.outbound.store import OptOutStore
from hotline.store.db.database import Database
from tests.api.conftest import SCENARIO, login, make_runtime

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "95598"
TOKEN_ENV = "HOTLINE_TEST_SMS_TOKEN"
TOKEN = "platform-s3cret"
PLATFORM = {"Authorization": f"Bearer {TOKEN}"}
CUSTOMER = "13912345678"
MASKED = "139****5678"
BILL = {"account": "5101000001", "amount": "88.50", "amount_due": "88.50"}
REPORT = "/api/outbound/sms/report"
REPLY = "/api/outbound/sms/reply"
OPT_OUTS = "/api/outbound/sms/opt-outs"


class _Handler(BaseHTTPRequestHandler):
    server: _Platform

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        body = json.loads(self.rfile.read(length))
        self.server.posts.append((self.headers.get("authorization"), body))
        self.send_response(200)
        self.send_header("content-length", "2")
        self.end_headers()
        self.wfile.write(b"{}")


class _Platform(ThreadingHTTPServer):
    """The carrier's SMS platform: accepts every message and keeps what it was sent."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.posts: list[tuple[str | None, dict[str, Any]]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/send"


@pytest.fixture
def platform() -> Iterator[_Platform]:
    server = _Platform()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def http_site(tmp_path: Path, platform: _Platform) -> Path:
    """The example site with its SMS gateway at `platform` (the token in `TOKEN_ENV`);
    the scenario file that runs it."""
    site = tmp_path / "site"
    if not site.exists():
        shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("scenarios"))
        outbound = site / "outbound.yaml"
        text, found = re.subn(
            r"^  gateway: simulated.*$",
            f'  gateway: {{url: "{platform.url}", timeout: 2, token_env: {TOKEN_ENV}}}',
            outbound.read_text("utf-8"),
            flags=re.MULTILINE,
        )
        assert found == 1
        outbound.write_text(text, "utf-8")
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        SCENARIO.read_text("utf-8").replace(
            "../../examples/95598/hotline.yaml", str(site / "hotline.yaml")
        ),
        "utf-8",
    )
    return scenario


def start(tmp_path: Path, scenario: Path, *, users: bool) -> LiveHotline:
    return make_runtime(tmp_path, scenario=scenario, users=users)


@pytest.fixture
def http_hotline(
    tmp_path: Path, platform: _Platform, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[LiveHotline, TestClient]]:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    runtime = start(tmp_path, http_site(tmp_path, platform), users=True)
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        yield runtime, client


@pytest.fixture
def simulated_hotline(tmp_path: Path) -> Iterator[tuple[LiveHotline, TestClient]]:
    runtime = make_runtime(tmp_path)  # the example as it is: the simulated gateway
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        yield runtime, client


def sender(runtime: LiveHotline) -> SmsSender:
    found = running_sms(runtime)
    assert found is not None
    return found.sender


def logged(runtime: LiveHotline, kind: str) -> list[Event]:
    runtime.flush()
    return [s.event for s in runtime.log.read(kinds=[kind], limit=10_000)]


# ---- the platform --------------------------------------------------------------------------


def test_a_delivery_report_through_the_endpoint_is_in_the_log(http_hotline, platform) -> None:
    runtime, client = http_hotline
    sms = sender(runtime)
    message = sms.send(CUSTOMER, "bill_notice", BILL, campaign="bill_notice", entry="o1")
    assert message is not None
    # the hotline posted it to the platform with the same token the platform answers with
    assert platform.posts[-1] == (
        f"Bearer {TOKEN}",
        {"number": CUSTOMER, "text": message.text, "id": message.id},
    )
    assert logged(runtime, "outbound.sms_delivered") == []

    response = client.post(REPORT, json={"id": message.id, "delivered": True}, headers=PLATFORM)
    assert response.status_code == 200, response.text
    assert response.json() == {"message": message.id, "delivered": True, "reason": "DELIVRD"}
    [delivered] = logged(runtime, "outbound.sms_delivered")  # committed before the answer
    assert (delivered.message, delivered.number, delivered.template) == (  # type: ignore[attr-defined]
        message.id,
        MASKED,
        "bill_notice",
    )
    assert (delivered.campaign, delivered.entry) == ("bill_notice", "o1")  # type: ignore[attr-defined]
    assert [e.message for e in logged(runtime, "outbound.sms_sent")] == [message.id]  # type: ignore[attr-defined]

    # reported twice (the platform retries): 404 naming the message, nothing logged again
    again = client.post(REPORT, json={"id": message.id, "delivered": True}, headers=PLATFORM)
    assert again.status_code == 404, again.text
    assert again.json()["error"] == "no-such-sms-message"
    assert message.id in again.json()["message"]
    unknown = client.post(REPORT, json={"id": "sms-1-999", "delivered": True}, headers=PLATFORM)
    assert unknown.status_code == 404
    assert "sms-1-999" in unknown.json()["message"]
    assert len(logged(runtime, "outbound.sms_delivered")) == 1

    second = sms.send("13712345670", "bill_notice", BILL)
    assert second is not None
    response = client.post(
        REPORT, json={"id": second.id, "delivered": False, "reason": "UNDELIV"}, headers=PLATFORM
    )
    assert response.status_code == 200, response.text
    [failed] = logged(runtime, "outbound.sms_failed")
    assert (failed.message, failed.number, failed.reason) == (second.id, "137****5670", "UNDELIV")  # type: ignore[attr-defined]


def test_a_td_reply_keeps_the_number_and_the_next_text_to_it_is_skipped(
    http_hotline, platform
) -> None:
    runtime, client = http_hotline
    response = client.post(
        REPLY, json={"number": "+86 139 1234 5678", "text": "ＴＤ"}, headers=PLATFORM
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"opted_out": True}
    assert [e.number for e in logged(runtime, "outbound.sms_opted_out")] == [MASKED]  # type: ignore[attr-defined]
    # the same customer again: still opted out, published once
    again = client.post(REPLY, json={"number": CUSTOMER, "text": "退订"}, headers=PLATFORM)
    assert again.json() == {"opted_out": True}
    other = client.post(
        REPLY, json={"number": "13712345670", "text": "好的，谢谢"}, headers=PLATFORM
    )
    assert other.json() == {"opted_out": False}
    assert len(logged(runtime, "outbound.sms_opted_out")) == 1

    posted = len(platform.posts)
    sms = sender(runtime)
    assert sms.send(CUSTOMER, "bill_notice", BILL, campaign="bill_notice", entry="o1") is None
    assert len(platform.posts) == posted  # nothing went to the platform
    assert sms.send("13712345670", "bill_notice", BILL) is not None  # a plain reply opts nobody out

    listed = client.get(OPT_OUTS, headers=login(client, "lead")).json()
    assert listed["total"] == 1
    [entry] = listed["opt_outs"]
    assert (entry["number"], entry["source"], entry["by"]) == (MASKED, "reply", "")
    assert entry["at"] == runtime.clock.now()  # the paused clock: the reply's time


def test_opt_outs_survive_a_restart(tmp_path: Path, platform, monkeypatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    scenario = http_site(tmp_path, platform)
    first = start(tmp_path, scenario, users=True)
    with TestClient(create_app(first, secret="test-secret")) as client:
        reply = client.post(REPLY, json={"number": CUSTOMER, "text": "退订"}, headers=PLATFORM)
        assert reply.json() == {"opted_out": True}
        added = client.post(
            OPT_OUTS, json={"number": "137-1234-5670"}, headers=login(client, "supervisor")
        )
        assert added.status_code == 201, added.text
        replied_at = sender(first).opt_outs.since(CUSTOMER)

    second = start(tmp_path, scenario, users=False)  # the same database file, a new hotline
    with TestClient(create_app(second, secret="test-secret")) as client:
        sms = sender(second)
        assert CUSTOMER in sms.opt_outs
        assert "13712345670" in sms.opt_outs
        assert sms.opt_outs.since(CUSTOMER) == replied_at
        assert sms.send(CUSTOMER, "bill_notice", BILL) is None
        supervisor = login(client, "supervisor")
        listed = client.get(OPT_OUTS, headers=supervisor).json()
        assert sorted((e["number"], e["source"], e["by"]) for e in listed["opt_outs"]) == [
            ("137****5670", "manual", "supervisor"),
            (MASKED, "reply", ""),
        ]
        removed = client.delete(f"{OPT_OUTS}/13712345670", headers=supervisor)
        assert removed.status_code == 200, removed.text

    db = Database.open(f"sqlite:///{tmp_path / 'hotline.db'}")
    try:  # what the third start would read back
        assert [(o.number, o.source) for o in OptOutStore(db).load()] == [(CUSTOMER, "reply")]
    finally:
        db.close()


def test_the_platform_needs_its_token(http_hotline, monkeypatch) -> None:
    runtime, client = http_hotline
    body = {"number": CUSTOMER, "text": "退订"}
    supervisor = login(client, "supervisor")  # a person's session is not the platform's token
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": f"Bearer {TOKEN}x"},
        supervisor,
    ):
        for path, sent in ((REPLY, body), (REPORT, {"id": "sms-1-1", "delivered": True})):
            response = client.post(path, json=sent, headers=headers)
            assert response.status_code == 401, (path, headers, response.text)
            assert response.json()["error"] == "not-authenticated"
    # a bad body without the token: still 401, nothing said about the body
    assert client.post(REPORT, json={"id": 5}).status_code == 401
    monkeypatch.delenv(TOKEN_ENV)  # no token set: nobody is trusted
    response = client.post(REPLY, json=body, headers=PLATFORM)
    assert response.status_code == 401
    assert TOKEN_ENV in response.json()["message"]
    assert CUSTOMER not in sender(runtime).opt_outs
    assert logged(runtime, "outbound.sms_opted_out") == []


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (REPORT, ["sms-1-1", True], "body"),
        (REPORT, {"delivered": True}, "body.id"),
        (REPORT, {"id": "", "delivered": True}, "body.id"),
        (REPORT, {"id": "sms-1-1", "delivered": "yes"}, "body.delivered"),
        (REPORT, {"id": "sms-1-1", "delivered": False, "reason": 5}, "body.reason"),
        (REPLY, {"text": "退订"}, "body.number"),
        (REPLY, {"number": "退订", "text": "退订"}, "body.number"),
        (REPLY, {"number": CUSTOMER}, "body.text"),
        (REPLY, {"number": CUSTOMER, "text": "退" * 1001}, "body.text"),
    ],
)
def test_a_bad_body_is_422_naming_the_field(http_hotline, path, body, field) -> None:
    runtime, client = http_hotline
    response = client.post(path, json=body, headers=PLATFORM)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert len(sender(runtime).opt_outs) == 0


def test_without_an_http_gateway_the_platform_gets_404(simulated_hotline) -> None:
    _, client = simulated_hotline
    for path, body in ((REPLY, {"number": CUSTOMER, "text": "退订"}), (REPORT, {"id": "x"})):
        response = client.post(path, json=body, headers=PLATFORM)
        assert response.status_code == 404, response.text
        assert response.json()["error"] == "no-sms-gateway"
        assert "短信平台" in response.json()["message"]


def test_a_site_without_sms_answers_409_to_people_and_404_to_the_platform(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("outbound.yaml", "scenarios"))
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        SCENARIO.read_text("utf-8").replace(
            "../../examples/95598/hotline.yaml", "site/hotline.yaml"
        ),
        "utf-8",
    )
    runtime = start(tmp_path, scenario, users=True)
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        supervisor = login(client, "supervisor")
        for response in (
            client.get(OPT_OUTS, headers=supervisor),
            client.post(OPT_OUTS, json={"number": CUSTOMER}, headers=supervisor),
            client.delete(f"{OPT_OUTS}/{CUSTOMER}", headers=supervisor),
        ):
            assert response.status_code == 409, response.text
            assert response.json()["error"] == "no-sms"
        response = client.post(REPLY, json={"number": CUSTOMER, "text": "TD"}, headers=PLATFORM)
        assert response.status_code == 404
        assert response.json()["error"] == "no-sms-gateway"


# ---- people ----------------------------------------------------------------------------------


def test_who_may_read_and_change_the_opt_out_list(simulated_hotline) -> None:
    runtime, client = simulated_hotline
    lead, supervisor = login(client, "lead"), login(client, "supervisor")
    for user in ("9001", "qa", "admin"):
        assert client.get(OPT_OUTS, headers=login(client, user)).status_code == 403
    assert client.post(OPT_OUTS, json={"number": CUSTOMER}, headers=lead).status_code == 403
    assert CUSTOMER not in sender(runtime).opt_outs

    added = client.post(OPT_OUTS, json={"number": f"+86{CUSTOMER}"}, headers=supervisor)
    assert added.status_code == 201, added.text
    assert added.json()["added"] is True
    assert added.json()["opt_out"] | {"at": 0} == {
        "number": MASKED,
        "at": 0,
        "source": "manual",
        "by": "supervisor",
    }
    again = client.post(OPT_OUTS, json={"number": CUSTOMER}, headers=supervisor)
    assert (again.status_code, again.json()["added"]) == (200, False)
    assert sender(runtime).send(CUSTOMER, "bill_notice", BILL) is None  # not texted now
    [audited] = runtime.services.audit.list(action="outbound.sms_opt_out_added")
    assert (audited.username, audited.subject_id) == ("supervisor", MASKED)

    for user in (lead, supervisor):
        listed = client.get(OPT_OUTS, headers=user)
        assert listed.status_code == 200, listed.text
        assert [e["number"] for e in listed.json()["opt_outs"]] == [MASKED]  # masked for both

    bad = client.post(OPT_OUTS, json={"number": "call me"}, headers=supervisor)
    assert (bad.status_code, bad.json()["field"]) == (422, "body.number")
    bad = client.delete(f"{OPT_OUTS}/abc", headers=supervisor)
    assert (bad.status_code, bad.json()["field"]) == (422, "path.number")

    assert client.delete(f"{OPT_OUTS}/{CUSTOMER}", headers=lead).status_code == 403
    removed = client.delete(f"{OPT_OUTS}/{CUSTOMER}", headers=supervisor)
    assert removed.status_code == 200, removed.text
    assert (removed.json()["number"], removed.json()["source"]) == (MASKED, "manual")
    assert CUSTOMER not in sender(runtime).opt_outs
    [audited] = runtime.services.audit.list(action="outbound.sms_opt_out_removed")
    assert (audited.username, audited.subject_id) == ("supervisor", MASKED)
    gone = client.delete(f"{OPT_OUTS}/{CUSTOMER}", headers=supervisor)
    assert gone.status_code == 404
    assert CUSTOMER in gone.json()["message"]
    assert client.get(OPT_OUTS, headers=lead).json() == {"total": 0, "opt_outs": []}

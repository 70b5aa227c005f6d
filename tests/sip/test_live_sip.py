"""The whole product on a real call: `LiveHotline` on SIP behind Kamailio, driven through the API.

One SIPp caller (13800138000, a customer of the CRM) dials 95598 through Kamailio,
presses 3 and is queued; agent 9001's baresip phone (registered, which logs the
seat in) rings. The agent at the desk sees the ringing call; the desk's answer is
refused (409 ``answer-on-phone``) and the phone picks up. While they talk the desk
shows the caller, the CRM's customer and tier; the agent holds, retrieves and then
hangs up from the desk, which ends the phone's SIP dialog (BYE); the caller rates
the call in the survey. Afterwards the database holds the call's events from
``call.arrived`` to ``call.ended`` and its ``calls`` row; the conversation's
recording is listed and played for the supervisor (a two-channel WAV), refused to
agent 9002, and the playback is in the audit log.

`hotline serve` as a process: the console answers, the first start prints the
administrator's password, SIGTERM stops everything and exits 0.
"""

from __future__ import annotations

import asyncio
import io
import re
import signal
import socket
import subprocess
import sys
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.api.users import create_user
from hotline.live import LiveHotline, phones
from hotline.site import Site
from hotline.store.db import Audit, EventLog
from hotline.store.db.crm import CustomerAccounts, import_file
from tests.sip.test_end_to_end import EXAMPLE, SCENARIOS
from tests.support.sip import Baresip, free_port, need, serve_settings, sipp, stop_process

pytestmark = pytest.mark.realtime  # wall-clock calls: -m "not realtime" skips them

CALLER = "13800138000"
PASSWORD = "secret123"
CUSTOMERS_HEADER = (
    "户号,户名,联系电话,证件号码,地址,客户类型,ARPU(元),在网月数,信用分,本月电费,"
    "近6月平均电费,欠费,预付费余额,绑定电话,客户经理,名单,名单原因"
)
CUSTOMER_ROW = (
    f"1101000099,赵敏,{CALLER},110105198001011238,北京市朝阳区建国路1号,居民,"
    "1800,120,90,1900,1750,0,,,,,"
)

SOLVED = {"disposition": "solved", "note": "已解答"}


def until(what: Callable[[], Any], timeout: float, every: float = 0.2) -> Any:
    """The first truthy value of `what()` within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = what()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(every)


def tone(path: Path, hz: int, *, ulaw: bool = False) -> Path:
    encoding = ["-e", "u-law"] if ulaw else ["-b", "16", "-e", "signed"]
    subprocess.run(
        ["sox", "-n", "-r", "8000", "-c", "1", *encoding, str(path),
         "synth", "60", "sine", str(hz), "vol", "0.5"],
        check=True,
    )  # fmt: skip
    return path


def login(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_a_real_call_through_kamailio_runs_the_whole_product(tmp_path: Path, prompts: Path) -> None:
    need("kamailio", "kamcmd", "sipp", "baresip", "sox")
    tone(tmp_path / "caller_tone.wav", 400, ulaw=True)
    carrier = free_port()  # the SIPp caller calls from the trunk: its caller ID is trusted
    settings = serve_settings(tmp_path, prompts, call_prefix="t1-", trunk=("127.0.0.1", carrier))
    runtime = LiveHotline.on_sip(
        Site.load(EXAMPLE), settings, db_url=f"sqlite:///{tmp_path / 'hotline.db'}"
    )
    phone_dir = tmp_path / "phone"
    phone_dir.mkdir()
    caller: subprocess.Popen[bytes] | None = None
    for username, role in (("9001", "agent"), ("9002", "agent"), ("supervisor", "supervisor")):
        create_user(runtime.services.users, username, PASSWORD, role)
    phone = Baresip(
        phone_dir,
        user="9001",
        registrar=(settings.host, settings.kamailio_port),
        source=tone(phone_dir / "tone.wav", 1000),
        answermode="manual",
        password=phones.issue(runtime.db, "9001", settings.realm, by="admin"),
    )
    try:
        customers = tmp_path / "customers.csv"
        customers.write_text(f"{CUSTOMERS_HEADER}\n{CUSTOMER_ROW}\n", encoding="utf-8")
        imported = import_file(runtime.db, customers, runtime.crm_config, by="test")
        assert imported.created == 1, imported.rejected
        with TestClient(create_app(runtime, secret="test-secret")) as client:
            agent = login(client, "9001")

            def desk() -> dict[str, Any]:
                view: dict[str, Any] = client.get("/api/desk", headers=agent).json()
                return view

            assert desk()["agent"]["state"] == "logged_out"
            phone.start()
            seated = until(lambda: desk()["agent"]["state"] == "ready" and desk(), 15)
            assert seated["agent"]["answers_on_phone"] is True

            caller = sipp(
                SCENARIOS / "caller_rates_5.xml",
                (settings.host, settings.kamailio_port),
                tmp_path,
                service="95598",
                extra=("-d", "14000"),
                port=carrier,
            )
            ringing = until(
                lambda: (v := desk())["call"] and v["call"]["phase"] == "ringing" and v, 40
            )
            call = ringing["call"]["id"]
            assert call.startswith("t1-")
            refused = client.post("/api/desk/answer", headers=agent)
            assert refused.status_code == 409
            assert refused.json()["error"] == "answer-on-phone"
            assert "pick up the phone" in refused.json()["message"]
            phone.command("accept")
            talking = until(lambda: (v := desk())["call"]["phase"] == "talking" and v, 5)

            # what the desk shows on a real call: the caller, the CRM's customer and tier
            profile = CustomerAccounts(runtime.db).get(talking["call"]["customer"]["id"])
            assert profile is not None
            assert talking["call"]["caller"] == CALLER
            assert talking["call"]["customer"]["name"] == "赵敏"
            assert talking["call"]["customer"]["masked"] is False
            assert talking["call"]["tier"] == profile.tier.value
            assert talking["agent"]["state"] == "talking"

            assert client.post("/api/desk/hold", headers=agent).json()["state"] == "hold"
            time.sleep(1.0)
            assert client.post("/api/desk/retrieve", headers=agent).json()["state"] == "talking"
            time.sleep(1.5)
            assert client.post("/api/desk/hangup", headers=agent).json()["state"] == "wrap_up"
            phone.wait_event("CALL_CLOSED", timeout=5.0)  # the desk's hang-up sent a BYE

            assert caller.wait(60) == 0, caller.stderr.read().decode() if caller.stderr else ""

            def ended() -> list[str]:
                runtime.flush()
                kinds = [s.event.kind for s in EventLog(runtime.db).read(call=call)]
                return kinds if "call.ended" in kinds else []

            kinds = until(ended, 10)
            assert kinds[0] == "call.arrived"
            assert kinds[-1] == "call.ended"
            for kind in ("contact.queued", "contact.answered", "call.held", "call.retrieved"):
                assert kind in kinds
            assert "survey.scored" in kinds
            arrived = EventLog(runtime.db).read(call=call, kinds=["call.arrived"])[0].event
            assert arrived.tier.value == profile.tier.value  # type: ignore[attr-defined]

            supervisor = login(client, "supervisor")
            row = client.get(f"/api/calls/{call}", headers=supervisor).json()
            assert row["agent"] == "9001"
            assert row["outcome"] == "answered"
            assert row["ended_at"] is not None
            assert (row["hold_s"] or 0) >= 0.5

            listed = client.get(f"/api/calls/{call}/recordings", headers=supervisor)
            assert listed.status_code == 200, listed.text
            [recording] = listed.json()
            assert recording["name"] == f"{call}-9001.wav"
            assert recording["agent"] == "9001"
            assert recording["seconds"] > 2.0
            url = f"/api/calls/{call}/recordings/{recording['name']}"
            played = client.get(url, headers=supervisor)
            assert played.status_code == 200
            assert played.headers["content-type"] == "audio/wav"
            with wave.open(io.BytesIO(played.content)) as wav:
                assert wav.getnchannels() == 2
                assert wav.getnframes() / wav.getframerate() > 2.0
            other = login(client, "9002")
            assert client.get(f"/api/calls/{call}/recordings", headers=other).status_code == 403
            assert client.get(url, headers=other).status_code == 403
            plays = Audit(runtime.db).list(action="recording.play", limit=10)
            assert [(e.username, e.subject_id) for e in plays] == [("supervisor", call)]

            done = client.post("/api/desk/wrap-up", json=SOLVED, headers=agent)
            assert done.json()["state"] == "ready"
    finally:
        phone.stop()
        if caller is not None:
            stop_process(caller)
        asyncio.run(runtime.stop())  # if the app's lifespan did not (it stops only once)


def test_hotline_serve_runs_the_console_and_stops_on_sigterm(tmp_path: Path) -> None:
    need("kamailio", "kamcmd", "espeak-ng", "sox")
    kamailio_port, console_port = free_port(), free_port()
    output = tmp_path / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "hotline.cli", "serve", str(EXAMPLE),
         "--sip-port", str(free_port()), "--kamailio-port", str(kamailio_port),
         "--port", str(console_port), "--workdir", str(tmp_path / "sip"),
         "--prompts", str(tmp_path / "prompts")],
        stdout=output.open("wb"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        until(lambda: "phones register at" in output.read_text(errors="replace"), 90, 0.2)
        printed = output.read_text(errors="replace")
        found = re.search(r"user admin, password (\S+)", printed)
        assert found is not None, printed
        base = f"http://127.0.0.1:{console_port}"
        assert httpx.get(f"{base}/api/health", timeout=5).status_code == 200
        login = httpx.post(
            f"{base}/api/auth/login",
            json={"username": "admin", "password": found.group(1)},
            timeout=5,
        )
        assert login.status_code == 200, login.text
        assert (tmp_path / "sip" / "hotline.db").is_file()
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0, output.read_text(errors="replace")
        assert "Traceback" not in output.read_text(errors="replace")
        with httpx.Client() as check:
            try:
                check.get(f"{base}/api/health", timeout=2)
                raise AssertionError("the console still answers")
            except httpx.TransportError:
                pass
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind(("127.0.0.1", kamailio_port))  # Kamailio is gone
    finally:
        stop_process(process)

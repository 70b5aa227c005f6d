"""The CRM routes: roles, masking, one audit row per read, import reports and bad files."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.api.routers.crm import router
from hotline.core.customer import ListMark
from hotline.core.events import EventRecorder
from hotline.crm.events import CustomerListChanged
from hotline.live import LiveHotline
from hotline.store.db import Audit, Customers, EventLog
from hotline.store.db.crm import crm_directory
from tests.api.conftest import login, make_runtime, ready, ring

CSV = (
    "户号,户名,联系电话,证件号码,地址,ARPU,在网月数,信用分,欠费,绑定电话\n"
    "0101000001,张伟,13800138000,11010519491231002X,北京市朝阳区建国路1号,400,60,80,86.5,"
    "13900139000\n"
    "0101000002,李娜,1380013800,,,100,10,60,,\n"
)


@pytest.fixture
def runtime(tmp_path: Path) -> LiveHotline:
    return make_runtime(tmp_path)


@pytest.fixture
def client(runtime: LiveHotline) -> Iterator[TestClient]:
    app = create_app(runtime, secret="test-secret")
    app.include_router(router)
    with TestClient(app) as client:
        yield client


def upload(client: TestClient, headers: dict[str, str], data: bytes, name: str = "c.csv") -> object:
    return client.post("/api/crm/import", files={"file": (name, data)}, headers=headers)


def imported(client: TestClient) -> int:
    response = upload(client, login(client, "admin"), CSV.encode())
    assert response.status_code == 200, response.text
    return int(Customers(client.app.state.runtime.db).by_account("0101000001").id)


def test_import_reports_bad_rows_and_keeps_good_ones(client):
    admin = login(client, "admin")
    response = upload(client, admin, CSV.encode())
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["created"], report["updated"], report["rejected_rows"]) == (1, 0, 1)
    (problem,) = report["rejected"]
    assert (problem["row"], problem["column"]) == (3, "联系电话")
    assert "not a phone number" in problem["reason"]
    again = upload(client, login(client, "supervisor"), CSV.encode()).json()
    assert (again["created"], again["updated"]) == (0, 1)
    entries = Audit(client.app.state.runtime.db).list(action="customer.import")
    assert sorted((e.username, e.detail["created"], e.detail["updated"]) for e in entries) == [
        ("admin", 1, 0),
        ("supervisor", 0, 1),
    ]


def test_xlsx_upload(client):
    book = openpyxl.Workbook()
    book.active.append(["户号", "户名", "联系电话"])
    book.active.append(["0101000003", "王芳", "13700137000"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, login(client, "admin"), buffer.getvalue(), "c.xlsx")
    assert response.status_code == 200, response.text
    assert (response.json()["format"], response.json()["created"]) == ("xlsx", 1)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04garbage", "not a readable XLSX workbook"),
        ("户名,地址\n张伟,北京\n".encode(), "missing required column(s)"),
        (b"", "the file is empty"),
    ],
)
def test_an_unreadable_file_is_422_naming_the_problem(client, data, words):
    response = upload(client, login(client, "admin"), data, "bad.csv")
    assert response.status_code == 422
    body = response.json()
    assert (body["error"], body["field"]) == ("invalid-request", "body.file")
    assert body["message"].startswith("bad.csv: ")
    assert words in body["message"]


@pytest.mark.parametrize("username", ["lead", "qa", "9001"])
def test_only_admin_and_supervisor_import(client, username):
    assert upload(client, login(client, username), CSV.encode()).status_code == 403


def test_search_is_masked_per_role_and_every_read_audited(client):
    customer = imported(client)
    runtime = client.app.state.runtime
    for username, (phone, masked) in {
        "supervisor": ("138****8000", True),
        "admin": ("138****8000", True),
        "lead": ("13800138000", False),
    }.items():
        body = client.get("/api/crm/customers?q=13900139000", headers=login(client, username))
        assert body.status_code == 200, body.text
        (found,) = body.json()
        assert (found["id"], found["phone"], found["masked"]) == (customer, phone, masked)
        assert found["id_number"] == "**************002X"  # the last four, for every role
        if masked:
            assert found["account"] == "01******01"
    reads = Audit(runtime.db).list(action="customer.read")
    assert sorted(
        (r.username, r.detail["masked"], r.detail["via"], r.subject_id) for r in reads
    ) == [
        ("admin", True, "crm.find", str(customer)),
        ("lead", False, "crm.find", str(customer)),
        ("supervisor", True, "crm.find", str(customer)),
    ]
    assert client.get("/api/crm/customers?tier=middle", headers=login(client, "lead")).json()
    assert client.get("/api/crm/customers?q=x", headers=login(client, "9001")).status_code == 403


def test_the_customer_page_has_tier_breakdown_lists_contacts_and_hints(client):
    customer = imported(client)
    body = client.get(f"/api/crm/customers/{customer}", headers=login(client, "lead")).json()
    assert (body["tier"], body["lifecycle"], body["masked"]) == ("middle", "stable", False)
    # 0.5·400/800 + 0.2·60/120 + 0.3·0.8 → 25 + 10 + 24 = 59
    assert (body["scoring"]["arpu_points"], body["scoring"]["tenure_points"]) == (25.0, 10.0)
    assert body["scoring"]["credit_points"] == pytest.approx(24.0)
    assert body["score"] == pytest.approx(59.0)
    assert body["bound_phones"] == ["13900139000"]
    assert [h["rule"] for h in body["hints"]] == ["arrears"]
    assert body["hints"][0]["message"].startswith("欠费 86.5 元")
    masked = client.get(f"/api/crm/customers/{customer}", headers=login(client, "qa")).json()
    assert masked["bound_phones"] == ["139****9000"]
    assert masked["address"] == "北京市朝阳区****"
    assert client.get("/api/crm/customers/999", headers=login(client, "lead")).status_code == 404


def test_an_agent_reads_the_page_of_the_customer_on_their_call_only(client):
    customer = imported(client)
    runtime = client.app.state.runtime
    agent = login(client, "9001")
    assert client.get(f"/api/crm/customers/{customer}", headers=agent).status_code == 403
    ready(client, "9001", agent)
    call = ring(client, runtime, agent, "13800138000")
    assert call["customer"]["id"] == customer
    runtime.flush()  # the calls ledger is written from the event writer's batches
    body = client.get(f"/api/crm/customers/{customer}", headers=agent).json()
    assert (body["phone"], body["masked"]) == ("13800138000", False)
    assert [(c["ref"], c["caller"]) for c in body["contacts"]] == [(call["id"], "13800138000")]
    assert client.get(f"/api/crm/customers/{customer + 1}", headers=agent).status_code == 403


def test_lists_are_set_by_shift_lead_or_supervisor_with_a_reason_for_black(client):
    customer = imported(client)
    runtime = client.app.state.runtime
    directory, _ = crm_directory(runtime.db)
    assert directory.identify("13800138000").list_mark.value == "none"
    url = f"/api/crm/customers/{customer}/list"
    for username in ("admin", "qa", "9001"):
        body = {"mark": "red", "reason": ""}
        assert client.post(url, json=body, headers=login(client, username)).status_code == 403
    lead = login(client, "lead")
    refused = client.post(url, json={"mark": "black", "reason": " "}, headers=lead)
    assert refused.status_code == 422
    assert refused.json()["field"] == "body.reason"
    done = client.post(url, json={"mark": "black", "reason": "恶意骚扰"}, headers=lead)
    assert done.status_code == 200, done.text
    assert (done.json()["previous"], done.json()["set_by"]) == ("none", "lead")
    assert directory.identify("13800138000").list_mark.value == "black"
    page = client.get(f"/api/crm/customers/{customer}", headers=lead).json()
    assert page["list_status"]["reason"] == "恶意骚扰"
    assert [c["mark"] for c in page["list_history"]] == ["black"]
    (entry,) = Audit(runtime.db).list(action="customer.list")
    assert (entry.username, entry.subject_id, entry.detail["mark"]) == (
        "lead",
        str(customer),
        "black",
    )


def test_admin_sets_the_query_password_and_recomputes_tiers(client):
    customer = imported(client)
    runtime = client.app.state.runtime
    _, verifier = crm_directory(runtime.db)
    url = f"/api/crm/customers/{customer}/password"
    admin = login(client, "admin")
    assert client.post(url, json={"password": "12ab56"}, headers=admin).status_code == 422
    assert (
        client.post(url, json={"password": "135790"}, headers=login(client, "lead")).status_code
        == 403
    )
    assert client.post(url, json={"password": "135790"}, headers=admin).status_code == 204
    assert verifier.check_password("0101000001", "135790")
    (entry,) = Audit(runtime.db).list(action="customer.password_set")
    assert "135790" not in str(entry.detail)
    recomputed = client.post("/api/crm/tiers/recompute", headers=admin)
    assert recomputed.json() == {"customers": 1, "changed": 0}
    assert (
        client.post("/api/crm/tiers/recompute", headers=login(client, "supervisor")).status_code
        == 403
    )


def test_a_list_change_is_published_on_the_bus_and_stored_once(client):
    customer = imported(client)
    runtime = client.app.state.runtime
    seen = EventRecorder(runtime.bus)
    url = f"/api/crm/customers/{customer}/list"
    done = client.post(url, json={"mark": "red", "reason": ""}, headers=login(client, "lead"))
    assert done.status_code == 200, done.text
    (published,) = [e for e in seen.events if isinstance(e, CustomerListChanged)]
    assert (published.customer, published.mark, published.by) == (customer, ListMark.RED, "lead")
    runtime.flush()
    stored = [s.event for s in EventLog(runtime.db).read() if s.event.kind == "crm.list_changed"]
    assert stored == [published]  # committed with the change; the writer did not add it again

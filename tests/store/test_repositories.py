"""Repositories keep users, customers, the audit log, configuration and the directory tables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hotline.store.db import (
    Agents,
    Audit,
    ConfigDocuments,
    Customers,
    Database,
    DuplicateError,
    Queues,
    Skills,
    Users,
)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.open(database_url)
    yield database
    database.close()


def test_users_are_unique_by_username_and_can_be_changed(db):
    users = Users(db)
    created = users.create("9001", "argon2-hash", "agent", display_name="坐席9001", agent_id="9001")
    assert created.username == "9001"
    assert created.active
    assert created.agent_id == "9001"
    assert users.get("9001") == created
    assert users.by_agent("9001") == created
    assert users.get("nobody") is None
    with pytest.raises(DuplicateError, match="already exists"):
        users.create("9001", "other", "admin")
    users.create("admin", "h", "admin")
    assert [u.username for u in users.list()] == ["9001", "admin"]
    changed = users.update("9001", active=False, role="shift_lead")
    assert not changed.active
    assert changed.role == "shift_lead"


def test_customers_are_found_by_phone_account_and_id_and_updated_by_account(db):
    customers = Customers(db)
    li = customers.upsert(
        account="0101234567",
        name="李娜",
        phone="13800138000",
        id_number="110101199001011234",
        address="北京市东城区",
        tier="high",
    )
    assert customers.by_phone("13800138000") == li
    assert customers.get(li.id) == li
    again = customers.upsert(
        account="0101234567", name="李娜", phone="13800138000", list_mark="red"
    )
    assert again.id == li.id
    assert again.list_mark == "red"
    assert customers.by_phone("13900000000") is None
    assert [c.account for c in customers.list()] == ["0101234567"]


def test_audit_entries_are_listed_newest_first_and_filtered(db):
    audit = Audit(db)
    first = audit.record(
        "lead", "shift_lead", "customer.read", subject_type="customer", subject_id="7",
        detail={"masked": False}, client="127.0.0.1", at=100.0,
    )  # fmt: skip
    audit.record("qa", "qa", "customer.read", subject_type="customer", subject_id="7", at=101.0)
    audit.record("admin", "admin", "config.put", subject_type="config", subject_id="hotline.yaml")
    entries = audit.list(subject_type="customer", subject_id="7")
    assert [e.username for e in entries] == ["qa", "lead"]
    assert entries[1].id == first
    assert entries[1].detail == {"masked": False}
    assert [e.action for e in audit.list(username="admin")] == ["config.put"]
    assert len(audit.list(limit=2)) == 2


def test_config_documents_keep_every_version(db):
    documents = ConfigDocuments(db)
    assert documents.get("hotline.yaml") is None
    v1 = documents.put("hotline.yaml", "name: 95598\n", by="admin")
    v2 = documents.put("hotline.yaml", "name: 95598 热线\n", by="admin2")
    documents.put("ivr/main.yaml", "flow: main\n", by="admin")
    assert (v1.version, v2.version) == (1, 2)
    assert documents.get("hotline.yaml") == v2
    assert documents.get("hotline.yaml", version=1) == v1
    assert [d.version for d in documents.history("hotline.yaml")] == [2, 1]
    assert documents.names() == ["hotline.yaml", "ivr/main.yaml"]


def test_agents_skills_and_queues_upsert_and_list(db):
    agents, skills, queues = Agents(db), Skills(db), Queues(db)
    agents.upsert("1002", "王芳", team="B", skills={"query": 2})
    agents.upsert("1001", "张伟", team="A", skills={"query": 1, "repair": 3})
    agents.upsert("1001", "张伟", team="C", skills={"query": 1}, human=True)
    assert [(a.id, a.team, a.human) for a in agents.list()] == [
        ("1001", "C", True),
        ("1002", "B", False),
    ]
    assert agents.get("1001") is not None
    assert agents.get("1001").skills == {"query": 1}
    skills.upsert("query", "查询")
    skills.upsert("query", "业务查询")
    assert [(s.name, s.title) for s in skills.list()] == [("query", "业务查询")]
    queues.upsert("general", "综合业务", {"skill": "query", "ring_timeout": 15})
    assert queues.get("general").spec == {"skill": "query", "ring_timeout": 15}  # type: ignore[union-attr]
    assert agents.delete("1002")
    assert not agents.delete("1002")

"""The CRM's outbox: a list change and its ``crm.list_changed`` event commit together.

A child process changes a customer's list (through `CrmService`, or by importing a
row that sets it) the way the live runtime does and is SIGKILLed inside the store's
transaction, right after the store call, or after publishing; the database then
holds the change and its event, once each, or neither.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from hotline.core.customer import ListMark
from hotline.core.events import EventBus, EventRecorder
from hotline.crm import CrmConfig
from hotline.crm.events import CustomerListChanged
from hotline.crm.service import CrmService
from hotline.store.db import Customers, Database, EventLog
from hotline.store.db.crm import CustomerAccounts

ROOT = Path(__file__).parents[2]
AT = 1_784_131_162.5


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with Database.open(database_url) as database:
        yield database


def killed(url: str, operation: str, point: str) -> str:
    """Run the child until it kills itself; what it printed last."""
    child = subprocess.run(
        [sys.executable, "-m", "tests.crm.list_outbox_child", url, operation, point],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    return child.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("operation", ["list", "import"])
@pytest.mark.parametrize(
    ("point", "stored"),
    [("before_commit", False), ("after_save", True), ("after_publish", True)],
)
def test_a_kill_leaves_the_list_change_and_its_event_or_neither(
    database_url: str, operation: str, point: str, stored: bool
) -> None:
    assert killed(database_url, operation, point) == f"reached {point}"
    with Database.open(database_url) as db:
        with db.engine.connect() as c:
            changes = c.execute(sa.text("SELECT count(*) FROM crm_list_changes")).scalar_one()
            black = c.execute(
                sa.text("SELECT count(*) FROM customers WHERE list_mark = 'black'")
            ).scalar_one()
        events = [s.event for s in EventLog(db).read() if s.event.kind == "crm.list_changed"]
    # both or neither; and once, never twice (the writer skips what the outbox wrote)
    assert (changes, black, len(events)) == ((1, 1, 1) if stored else (0, 0, 0))
    if stored:
        (event,) = events
        assert isinstance(event, CustomerListChanged)
        assert (event.mark, event.previous) == (ListMark.BLACK, ListMark.NONE)


def test_the_event_names_the_customer_and_marks_but_not_the_reason(db: Database) -> None:
    customer = Customers(db).upsert(account="0101000001", name="张伟", phone="13800138000")
    crm = CrmService(CrmConfig, CustomerAccounts(db), Customers(db), lambda: AT)
    bus = EventBus()
    seen = EventRecorder(bus)
    outcome = crm.change_list(customer.id, ListMark.RED, " 重点保供电 ", by="lead")
    for event in outcome.events:
        bus.publish(event)
    assert outcome.change.reason == "重点保供电"
    assert seen.events == [
        CustomerListChanged(AT, customer.id, ListMark.RED, ListMark.NONE, "lead")
    ]
    (stored,) = EventLog(db).read()
    assert stored.event == outcome.events[0]
    assert "重点保供电" not in str(stored.event.to_record())

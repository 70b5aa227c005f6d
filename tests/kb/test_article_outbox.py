"""The knowledge base's outbox: an article change and its ``kb.article_*`` event commit together.

A child process adds, retitles or deletes an article through `KnowledgeService` the
way the live runtime does and is SIGKILLed inside the store's transaction, right
after the store call, or after publishing; the database then holds the change and
its event, once each, or neither. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from hotline.kb.events import ArticleAdded, ArticleDeleted, ArticleUpdated
from hotline.store.db import Database, EventLog
from tests.kb.article_outbox_child import AT, OUTAGE, RETITLED

ROOT = Path(__file__).parents[2]
EVENT = {"add": ArticleAdded, "update": ArticleUpdated, "delete": ArticleDeleted}


def killed(url: str, operation: str, point: str) -> list[str]:
    """Run the child until it kills itself; the lines it printed."""
    child = subprocess.run(
        [sys.executable, "-m", "tests.kb.article_outbox_child", url, operation, point],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    return child.stdout.strip().splitlines()


def titles(db: Database) -> list[str]:
    with db.engine.connect() as c:
        return list(c.execute(sa.text("SELECT title FROM kb_articles ORDER BY id")).scalars())


@pytest.mark.parametrize("operation", ["add", "update", "delete"])
@pytest.mark.parametrize(
    ("point", "stored"),
    [("before_commit", False), ("after_save", True), ("after_publish", True)],
)
def test_a_kill_leaves_the_article_change_and_its_event_or_neither(
    database_url: str, operation: str, point: str, stored: bool
) -> None:
    printed = killed(database_url, operation, point)
    assert printed[-1] == f"reached {point}"
    if point == "after_save":  # one transaction: no moment with the article and no event
        assert printed[-2] == "commits 1"
    before = {"add": [], "update": [OUTAGE.title], "delete": [OUTAGE.title]}[operation]
    after = {"add": [OUTAGE.title], "update": [RETITLED], "delete": []}[operation]
    with Database.open(database_url) as db:
        articles = titles(db)
        events = [s.event for s in EventLog(db).read() if s.event.kind.startswith("kb.")]
    # both or neither; and once, never twice (the writer skips what the outbox wrote)
    assert articles == (after if stored else before)
    assert len(events) == (1 if stored else 0)
    if stored:
        (event,) = events
        assert isinstance(event, EVENT[operation])
        assert (event.at, event.by, event.category) == (AT, "supervisor", OUTAGE.category)
        assert event.title == (RETITLED if operation == "update" else OUTAGE.title)

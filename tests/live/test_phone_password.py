"""`hotline phone-password`: the operator's way to give an agent's phone its SIP password."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hotline.api.users import create_user
from hotline.cli import main
from hotline.live.phones import provider
from hotline.sip.kamailio import ha1
from hotline.store.db import Database, Users


def test_a_password_is_issued_shown_once_rotated_and_revoked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_file = tmp_path / "hotline.db"
    with Database.open(f"sqlite:///{db_file}") as db:
        create_user(Users(db), "9001", "a long enough password", "agent")
        create_user(Users(db), "lead", "a long enough password", "shift_lead")
    assert main(["phone-password", "9001", "--db", str(db_file)]) == 0
    shown = re.search(r"SIP password (\S+) \(realm hotline\)", capsys.readouterr().out)
    assert shown is not None
    with Database.open(f"sqlite:///{db_file}") as db:
        assert provider(db, "hotline")() == {"9001": ha1("9001", "hotline", shown.group(1))}
    assert main(["phone-password", "9001", "--db", str(db_file)]) == 0
    rotated = re.search(r"SIP password (\S+)", capsys.readouterr().out)
    assert rotated is not None
    assert rotated.group(1) != shown.group(1)
    assert main(["phone-password", "9001", "--db", str(db_file), "--revoke"]) == 0
    assert "revoked" in capsys.readouterr().out
    with Database.open(f"sqlite:///{db_file}") as db:
        assert provider(db, "hotline")() == {}


def test_only_an_active_agent_lead_or_supervisor_user_gets_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_file = tmp_path / "hotline.db"
    with Database.open(f"sqlite:///{db_file}") as db:
        create_user(Users(db), "lead", "a long enough password", "shift_lead")
        create_user(Users(db), "qa", "a long enough password", "qa")
    assert main(["phone-password", "9009", "--db", str(db_file)]) == 2
    error = capsys.readouterr().err
    assert "9009" in error
    assert "Traceback" not in error
    assert main(["phone-password", "qa", "--db", str(db_file)]) == 2
    # the shift lead's phone (班长席: 监听, 强插 ring it): the extension is the username
    assert main(["phone-password", "lead", "--db", str(db_file)]) == 0

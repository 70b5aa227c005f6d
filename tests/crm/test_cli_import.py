"""`hotline import customers FILE` as an administrator runs it: good rows kept, bad rows named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hotline.store.db import Customers, Database

EXAMPLE = Path(__file__).parents[2] / "examples" / "95598" / "customers.csv"


def _hotline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hotline.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_import_keeps_good_rows_and_names_each_bad_one(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    first = _hotline("import", "customers", str(EXAMPLE), "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "50 rows — 50 created, 0 updated, 0 rejected" in first.stdout

    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        "户名,联系电话,户号\n王五,12345,0199000001\n赵六,13912345678,0199000002\n",
        encoding="utf-8",
    )
    second = _hotline("import", "customers", str(mixed), "--db", str(db))
    assert second.returncode == 1  # some rows were rejected
    assert f"{mixed}:2: 联系电话:" in second.stderr
    assert "1 created, 0 updated, 1 rejected" in second.stdout
    with Database.open(f"sqlite:///{db}") as opened:
        assert Customers(opened).by_account("0199000002") is not None
        assert Customers(opened).by_account("0199000001") is None
        assert len(Customers(opened).list(limit=1000)) == 51

    missing = _hotline("import", "customers", str(tmp_path / "none.csv"), "--db", str(db))
    assert missing.returncode == 2
    assert "cannot read the file" in missing.stderr

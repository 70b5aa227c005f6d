"""`hotline check` on every kind of configuration file: the example passes, a mistake is located."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[1] / "examples" / "95598"
METRICS = (
    "timezone: Asia/Shanghai\n"
    "costs: [{from: 2026-07-01, to: 2026-07-31, yuan: 1200000}]\n"
    'shifts: [{agent: "1001", start: "2026-07-15 07:00", end: "2026-07-15 16:00"}]\n'
    'staff: [{agent: "1001", hired: 2024-03-01}]\n'
    'qa: [{agent: "1001", date: 2026-07-15, score: 92}]\n'
)


def check(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hotline.cli", "check", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the example hotline, with a metrics.yaml beside its hotline.yaml."""
    target = tmp_path / "95598"
    shutil.copytree(EXAMPLE, target)
    (target / "metrics.yaml").write_text(METRICS, encoding="utf-8")
    return target


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` by `new` in the file; returns the 1-based line of the change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_every_file_of_the_example_is_recognised_and_ok(site):
    files = sorted(site.rglob("*.yaml"))
    assert len(files) == 20  # hotline, 2 flows, 6 kb, orders, crm, metrics, 2 scenarios, demo,
    # wfm, qa, training, incentives, outbound

    result = check(*files)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert [line.split(": OK — ")[0] for line in lines] == [str(f) for f in files]
    said = dict(line.split(": OK — ") for line in lines)
    assert said[str(site / "orders.yaml")] == "orders: 11 order types, 6 departments"
    assert said[str(site / "crm.yaml")] == "CRM: tier scoring, lifecycle, 5 hint rules"
    assert said[str(site / "metrics.yaml")] == (
        "metrics: 1 costs, 1 shifts, 1 staff records, 1 QA scores"
    )
    assert said[str(site / "backoffice.yaml")] == "demo back office: 5 intents take orders"
    assert said[str(site / "qa.yaml")] == (
        "QA forms: 95598 v1 (13 questions); 1 versions in all; sampling 4 calls per agent a "
        "week; 3 questions answered by phrase rules"
    )
    assert said[str(site / "training.yaml")] == (
        "training: 4 stages, 6 exams, 36 questions, 4 checklists (33 items)"
    )
    assert said[str(site / "incentives.yaml")] == (
        "incentives: points for QA score bands, satisfaction, attendance, case library; "
        "manual grants up to ±20; 2 monthly awards"
    )
    assert said[str(site / "outbound.yaml")] == (
        "outbound: 5 standing campaigns (callbacks, return_visits, bill_notice, "
        "arrears_reminder, outage_notice), 2 calling windows, progressive pacing, drop cap 3%, "
        "3 SMS templates"
    )
    assert said[str(site / "kb" / "billing.yaml")] == "knowledge base: 7 articles"
    assert said[str(site / "ivr" / "main.yaml")] == "flow 'main', 28 nodes"
    assert said[str(site / "hotline.yaml")].startswith("95598 供电服务热线: 7 queues")
    assert said[str(site / "scenarios" / "weekday.yaml")].startswith("scenario '95598 普通工作日'")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("orders.yaml", "near_share: 0.2", "near_shares: 0.2", "near_shares: unknown key"),
        ("orders.yaml", "department: repair", "department: repairs", "repairs"),
        ("crm.yaml", "credit: 0.3}", "credit: 0.4}", "add up to 1"),
        ("crm.yaml", "warning_arpu_below: 50", "warning_below: 50", "warning_below"),
        ("kb/billing.yaml", "  - title: 如何查询电费和用电量？", "  - titel: x", "titel"),
        ("kb/billing.yaml", "review_due: 2027-06-30", "review_due: someday", "review_due"),
        ("metrics.yaml", "score: 92", "score: 120", "less than or equal to 100"),
        ("metrics.yaml", "timezone: Asia/Shanghai", "timezone: Mars/Olympus", "Mars/Olympus"),
        ("qa.yaml", "scale: 5, weight: 12}", "scale: 12, weight: 12}", "less than or equal to 10"),
        ("outbound.yaml", "prompt: notice_bill", "prompt: notice_bil", "no prompt 'notice_bil'"),
        ("outbound.yaml", "resident: after_work", "resident: evening", "no window 'evening'"),
        ("outbound.yaml", "drop_cap: 0.03", "drop_cap: 0.6", "less than 0.5"),
    ],
)
def test_a_mistake_is_located_by_file_line_and_key(site, file, old, new, message):
    path = site / file
    line = edit(path, old, new)
    result = check(path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"{path}:{line}:" in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_named_otherwise_is_recognised_by_its_keys(site, tmp_path):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    orders = folder / "orders-2027.yaml"
    shutil.copy(site / "orders.yaml", orders)
    crm = folder / "tiers.yaml"
    shutil.copy(site / "crm.yaml", crm)
    costs = folder / "costs-july.yaml"
    costs.write_text(METRICS, encoding="utf-8")
    faq = folder / "faq.yaml"
    shutil.copy(site / "kb" / "meter.yaml", faq)
    result = check(orders, crm, costs, faq)
    assert result.returncode == 0, result.stderr
    assert [line.split(": OK — ")[1].split(":")[0] for line in result.stdout.splitlines()] == [
        "orders",
        "CRM",
        "metrics",
        "knowledge base",
    ]


def test_every_file_is_checked_and_an_unknown_one_is_named(site, tmp_path):
    stray = tmp_path / "notes.yaml"
    stray.write_text("shopping: [milk]\n", encoding="utf-8")
    line = edit(site / "crm.yaml", "warning_arpu_below: 50", "warning_below: 50")
    result = check(stray, site / "crm.yaml", site / "orders.yaml")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"{stray}:1:1: cannot tell which configuration file this is: name it hotline.yaml, "
        "orders.yaml, crm.yaml, metrics.yaml, wfm.yaml, qa.yaml, training.yaml, incentives.yaml, "
        "outbound.yaml or backoffice.yaml, or put it in an ivr/, kb/ or scenarios/ folder"
    )
    assert f"{site / 'crm.yaml'}:{line}:" in result.stderr
    assert result.stdout == f"{site / 'orders.yaml'}: OK — orders: 11 order types, 6 departments\n"

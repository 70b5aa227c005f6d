"""What an import read, wrote and left out: counts, names, time span, located problems."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from hotline.interop.queue_log.lines import Problem

SHOWN = 20
"""Problems listed one by one; the rest are counted."""


@dataclass(slots=True)
class ImportReport:
    """The story of one import (all lists sorted, problems in file order)."""

    files: tuple[str, ...]
    records: int = 0  # lines read as records
    events: int = 0  # Hotline events produced
    written: bool = False  # committed to the database
    calls: int = 0  # calls imported
    outcomes: Counter[str] = field(default_factory=Counter)
    contacts: int = 0  # times a call entered a queue (overflow not counted)
    first_at: float | None = None
    last_at: float | None = None
    agents: dict[str, list[str]] = field(default_factory=dict)  # 工号 -> names in the log
    queues: list[str] = field(default_factory=list)
    unknown_agents: list[str] = field(default_factory=list)  # not in hotline.yaml nor the DB
    unknown_queues: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)  # still going at the end of the log
    orphans: list[str] = field(default_factory=list)  # begun before the log
    ignored: Counter[str] = field(default_factory=Counter)  # events with nothing to import
    pause_reasons: dict[str, str] = field(default_factory=dict)  # Asterisk -> Hotline reason
    overlaps: int = 0
    restarts: int = 0
    lost: int = 0  # calls cut by a restart
    logged_out_at_end: int = 0

    def lines(self, zone: datetime.tzinfo) -> list[str]:
        """The report as text lines (for the command line), times in `zone`."""
        out = [
            f"{', '.join(self.files)}: {self.records:,} lines read, "
            f"{len(self.problems):,} with problems",
        ]
        if self.first_at is not None and self.last_at is not None:
            start = datetime.datetime.fromtimestamp(self.first_at, zone)
            end = datetime.datetime.fromtimestamp(self.last_at, zone)
            out.append(f"time span: {start:%Y-%m-%d %H:%M:%S} – {end:%Y-%m-%d %H:%M:%S} ({zone})")
        outcomes = ", ".join(f"{n:,} {k}" for k, n in sorted(self.outcomes.items()))
        entries = f"{self.contacts:,} queue entries"
        out.append(f"calls: {self.calls:,} imported ({outcomes or 'none'}), {entries}")
        if self.unfinished:
            out.append(
                f"calls still going at the end of the log, not imported: {len(self.unfinished):,}"
                f" ({_first(self.unfinished)}) — import the next file together with this one"
            )
        if self.orphans:
            out.append(
                f"calls begun before the log, not imported: {len(self.orphans):,}"
                f" ({_first(self.orphans)})"
            )
        renamed = {a: n for a, n in self.agents.items() if n != [a]}
        agents = ", ".join(
            f"{a} ({'/'.join(renamed[a])})" if a in renamed else a for a in self.agents
        )
        out.append(f"agents: {len(self.agents)}: {agents or 'none'}")
        out.append(f"queues: {len(self.queues)}: {', '.join(self.queues) or 'none'}")
        if self.unknown_queues:
            out.append(f"queues not in the configuration: {', '.join(self.unknown_queues)}")
        if self.unknown_agents:
            out.append(f"agents not in the configuration: {', '.join(self.unknown_agents)}")
        if self.pause_reasons:
            reasons = ", ".join(f"{k or '(none)'} → {v}" for k, v in self.pause_reasons.items())
            out.append(f"pause reasons: {reasons}")
        if self.ignored:
            ignored = ", ".join(f"{k} ×{n:,}" for k, n in sorted(self.ignored.items()))
            out.append(f"lines with nothing to import: {ignored}")
        if self.restarts:
            out.append(
                f"Asterisk restarts (QUEUESTART): {self.restarts}; "
                f"calls they cut, ended as lost: {self.lost:,}"
            )
        if self.overlaps:
            out.append(
                f"offers to agents already in another call (state left alone): {self.overlaps:,}"
            )
        if self.logged_out_at_end:
            out.append(f"agents logged out at the end of the log: {self.logged_out_at_end}")
        if self.written:
            out.append(f"{self.events:,} events written")
        elif self.problems:
            lines = "the line" if len(self.problems) == 1 else f"the {len(self.problems):,} lines"
            out.append(
                f"{self.events:,} events not written: correct {lines} named above and import "
                "again (nothing is written while a line has a problem)"
            )
        else:
            out.append(f"{self.events:,} events not written (dry run)")
        return out

    def problem_lines(self) -> list[str]:
        """The first `SHOWN` problems as ``file:line: reason``, then how many more."""
        shown = [str(p) for p in self.problems[:SHOWN]]
        if len(self.problems) > SHOWN:
            shown.append(f"… and {len(self.problems) - SHOWN:,} more lines with problems")
        return shown


def _first(names: list[str], count: int = 3) -> str:
    more = ", …" if len(names) > count else ""
    return ", ".join(names[:count]) + more

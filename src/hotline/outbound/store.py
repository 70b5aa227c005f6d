"""Campaigns and their lists in the database (tables ``outbound_campaigns`` and
``outbound_entries``; Alembic branch ``outbound``), and the numbers that opted out of SMS
(``outbound_sms_opt_outs``).

Only what a person decided is stored here: a campaign's settings and the entries put on
its list. What happened to them — every call, its result, the next try, the entry's close,
the campaign started or paused — is in the event log (`hotline.outbound.events`), and a
restart folds the log over the stored lists (`fold`), so the log stays the truth.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.events import Event
from hotline.outbound.campaign import CampaignSpec, Entry, EntryState
from hotline.outbound.events import AttemptEnded, CampaignChanged, EntryClosed, EntryDialed
from hotline.outbound.sms import OptOut
from hotline.store.db.database import Database
from hotline.store.db.schema import Base, Json


class CampaignRow(Base):
    __tablename__ = "outbound_campaigns"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    spec: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)
    created_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    created_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)


class EntryRow(Base):
    __tablename__ = "outbound_entries"
    campaign: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    entry: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    number: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    customer_class: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    important: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)
    source: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    variables: Mapped[dict[str, str]] = mapped_column(Json, nullable=False)
    due: Mapped[float] = mapped_column(sa.Double, nullable=False)


class OptOutRow(Base):
    __tablename__ = "outbound_sms_opt_outs"
    number: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    source: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    by: Mapped[str] = mapped_column(sa.String(64), nullable=False)


@dataclass(frozen=True)
class StoredCampaign:
    spec: CampaignSpec
    created_at: float
    created_by: str
    entries: tuple[Entry, ...]


def spec_to_json(spec: CampaignSpec) -> dict[str, Any]:
    data = dataclasses.asdict(spec)
    data["retry"] = {str(k): float(v) for k, v in spec.retry.items()}
    data["windows"] = dict(spec.windows)
    return data


def spec_from_json(data: dict[str, Any]) -> CampaignSpec:
    return CampaignSpec(**data)


class Campaigns:
    """The campaigns' settings and lists on `db`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def exists(self, campaign_id: str) -> bool:
        with self.db.engine.connect() as c:
            found = c.execute(sa.select(CampaignRow.id).where(CampaignRow.id == campaign_id))
            return found.first() is not None

    def add(self, spec: CampaignSpec, *, by: str, at: float, exist_ok: bool = False) -> None:
        """Store a new campaign; with `exist_ok`, one already stored under its id is kept."""
        try:
            self._insert(spec, by=by, at=at)
        except IntegrityError:
            if not exist_ok:
                raise

    def _insert(self, spec: CampaignSpec, *, by: str, at: float) -> None:
        with self.db.engine.begin() as c:
            c.execute(
                sa.insert(CampaignRow),
                {
                    "id": spec.id,
                    "name": spec.name,
                    "kind": spec.kind,
                    "spec": spec_to_json(spec),
                    "created_at": at,
                    "created_by": by,
                },
            )

    def add_entries(self, campaign_id: str, entries: Sequence[Entry]) -> None:
        """Put `entries` on the list (those already on it are left as they are)."""
        if not entries:
            return
        with self.db.engine.begin() as c:
            known = set(
                c.execute(
                    sa.select(EntryRow.entry).where(
                        EntryRow.campaign == campaign_id,
                        EntryRow.entry.in_([e.id for e in entries]),
                    )
                ).scalars()
            )
            start = c.execute(
                sa.select(sa.func.coalesce(sa.func.max(EntryRow.seq), 0)).where(
                    EntryRow.campaign == campaign_id
                )
            ).scalar_one()
            rows = [
                {
                    "campaign": campaign_id,
                    "entry": e.id,
                    "seq": start + i + 1,
                    "number": e.number,
                    "name": e.name,
                    "customer_class": e.customer_class,
                    "important": e.important,
                    "source": e.source,
                    "variables": dict(e.variables),
                    "due": e.due,
                }
                for i, e in enumerate(x for x in entries if x.id not in known)
            ]
            if rows:
                c.execute(sa.insert(EntryRow).prefix_with("OR IGNORE", dialect="sqlite"), rows)

    def load(self) -> list[StoredCampaign]:
        """Every campaign with its list, oldest first (entries in list order)."""
        with self.db.engine.connect() as c:
            campaigns = c.execute(sa.select(CampaignRow).order_by(CampaignRow.created_at)).all()
            rows = c.execute(sa.select(EntryRow).order_by(EntryRow.campaign, EntryRow.seq)).all()
        lists: dict[str, list[Entry]] = {}
        for r in rows:
            lists.setdefault(r.campaign, []).append(
                Entry(
                    r.entry,
                    r.number,
                    r.name,
                    r.customer_class,
                    r.important,
                    r.source,
                    dict(r.variables),
                    due=r.due,
                )
            )
        return [
            StoredCampaign(
                spec_from_json(dict(r.spec)), r.created_at, r.created_by, tuple(lists.get(r.id, ()))
            )
            for r in campaigns
        ]


def fold(stored: Iterable[StoredCampaign], log: Iterable[Event]) -> dict[str, str]:
    """Bring the stored lists up to what the log says happened (tries, next due time,
    closed entries) and return each campaign's last state (``running``, ``paused`` …)."""
    entries = {(s.spec.id, e.id): e for s in stored for e in s.entries}
    states: dict[str, str] = {}
    for e in log:
        if isinstance(e, CampaignChanged):
            states[e.campaign] = e.campaign_state
        elif isinstance(e, EntryDialed):
            entry = entries.get((e.campaign, e.entry))
            if entry is not None:
                entry.tries = e.tries
        elif isinstance(e, AttemptEnded):
            entry = entries.get((e.campaign, e.entry))
            if entry is not None:
                entry.tries = e.tries
                entry.due = e.next_at
        elif isinstance(e, EntryClosed):
            entry = entries.get((e.campaign, e.entry))
            if entry is not None:
                entry.state = EntryState.CLOSED
                entry.result = e.result
                entry.tries = e.tries
    return states


class OptOutStore:
    """The SMS opt-out list on `db` (退订: a number is kept until a supervisor takes it off).

    `add` and `remove` are `hotline.outbound.sms.OptOuts`' `on_add` and `on_remove`: each
    change is committed before the list in memory makes it, so a restart reads back
    (`load`) what the running hotline had.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    def load(self) -> list[OptOut]:
        """Every kept opt-out, oldest first."""
        with self.db.engine.connect() as c:
            rows = c.execute(sa.select(OptOutRow).order_by(OptOutRow.at, OptOutRow.number)).all()
        return [OptOut(r.number, r.at, r.source, r.by) for r in rows]

    def add(self, entry: OptOut) -> None:
        """Keep `entry`; a number kept already (by another hotline on this database) stays
        as it was first kept."""
        try:
            with self.db.engine.begin() as c:
                c.execute(
                    sa.insert(OptOutRow),
                    {
                        "number": entry.number,
                        "at": entry.at,
                        "source": entry.source,
                        "by": entry.by,
                    },
                )
        except IntegrityError:
            pass

    def remove(self, number: str) -> bool:
        """Forget `number`'s opt-out; whether one was kept."""
        with self.db.engine.begin() as c:
            done = c.execute(sa.delete(OptOutRow).where(OptOutRow.number == number))
            return bool(done.rowcount)

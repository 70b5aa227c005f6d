"""The agents' SIP credentials: one digest HA1 per extension, for Kamailio's `auth`.

The password itself is never stored: only MD5(``extension:realm:password``), which is
what a digest check needs (and what Kamailio's `auth_db` would keep). A credential
belongs to the console user whose `agent_id` is the extension; `active` lists only
those of active agent users, so deactivating the user revokes the phone's access.
"""

from __future__ import annotations

import time
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hotline.store.db.database import Database
from hotline.store.db.schema import Base, UserRow


class SipCredentialRow(Base):
    __tablename__ = "sip_credentials"
    extension: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    realm: Mapped[str] = mapped_column(sa.String(128), nullable=False)
    ha1: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    issued_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    issued_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)


_t = cast(sa.Table, SipCredentialRow.__table__)
_users = cast(sa.Table, UserRow.__table__)


class SipCredentials:
    """Issue, revoke and read the phones' credentials."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def issue(self, extension: str, realm: str, ha1: str, *, by: str) -> None:
        """Store (or replace: a rotation) the HA1 of `extension` in `realm`."""
        values = {"realm": realm, "ha1": ha1, "issued_at": time.time(), "issued_by": by}
        with self.db.engine.begin() as c:
            updated = c.execute(sa.update(_t).where(_t.c.extension == extension).values(values))
            if updated.rowcount == 0:
                c.execute(sa.insert(_t).values(extension=extension, **values))

    def revoke(self, extension: str) -> bool:
        """Remove the credential; False when there was none."""
        with self.db.engine.begin() as c:
            return bool(c.execute(sa.delete(_t).where(_t.c.extension == extension)).rowcount)

    def all(self) -> dict[str, float]:
        """Extension → when its credential was issued, for every credential."""
        with self.db.engine.connect() as c:
            rows = c.execute(sa.select(_t.c.extension, _t.c.issued_at)).all()
        return {row.extension: float(row.issued_at) for row in rows}

    def issued(self, extension: str) -> float | None:
        """When the credential of `extension` was issued, if it has one."""
        with self.db.engine.connect() as c:
            at = c.execute(sa.select(_t.c.issued_at).where(_t.c.extension == extension)).scalar()
        return None if at is None else float(at)

    def active(self, realm: str) -> dict[str, str]:
        """Extension → HA1 of every credential in `realm` whose user is active: an agent
        (extension = 工号), or a shift lead or supervisor (extension = 工号, else username)."""
        extension = sa.func.coalesce(_users.c.agent_id, _users.c.username)
        query = (
            sa.select(_t.c.extension, _t.c.ha1)
            .join(
                _users,
                sa.or_(
                    sa.and_(_users.c.agent_id == _t.c.extension, _users.c.role == "agent"),
                    sa.and_(
                        extension == _t.c.extension,
                        _users.c.role.in_(("shift_lead", "supervisor")),
                    ),
                ),
            )
            .where(_t.c.realm == realm, _users.c.active.is_(True))
        )
        with self.db.engine.connect() as c:
            return {row.extension: row.ha1 for row in c.execute(query)}


class AgentMobileRow(Base):
    __tablename__ = "agent_mobiles"
    agent_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    set_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    set_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)


_m = cast(sa.Table, AgentMobileRow.__table__)


class AgentMobiles:
    """The mobile numbers agents take calls on (移动坐席): one per agent, kept across
    restarts; an agent without a row answers on their extension's phone."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def set(self, agent: str, number: str | None, *, by: str, at: float) -> None:
        """Take `agent`'s calls on `number` from now on, or on the extension's phone (None)."""
        with self.db.engine.begin() as c:
            c.execute(sa.delete(_m).where(_m.c.agent_id == agent))
            if number is not None:
                c.execute(sa.insert(_m).values(agent_id=agent, number=number, set_at=at, set_by=by))

    def all(self) -> dict[str, str]:
        """Agent → mobile number, for every agent who takes calls on one."""
        with self.db.engine.connect() as c:
            rows = c.execute(sa.select(_m.c.agent_id, _m.c.number)).all()
        return {row.agent_id: row.number for row in rows}

"""The outbound desk (外呼管理): the campaigns a shift lead or supervisor sets up, from an
imported list or from the hotline's own lists, and what the dialer is told about them.

The desk owns what is stored (`hotline.outbound.store`) and ``outbound.yaml``; the dialer
(`hotline.outbound.dialer.Dialer`, one per engine) is attached by the feature's job builder
(`hotline.outbound.jobs`) and runs on the engine's thread: the API calls the dialer there
and the desk's storing in a worker thread.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hotline.core.errors import HotlineError
from hotline.outbound.campaign import CampaignError, CampaignSpec, Entry
from hotline.outbound.config import OutboundConfig, load_outbound
from hotline.outbound.dialer import Dialer
from hotline.outbound.lists import ListRow
from hotline.outbound.pacing import PacingName
from hotline.outbound.store import Campaigns, StoredCampaign
from hotline.site.config import Site
from hotline.store.db.database import Database

OUTBOUND_FILE = "outbound.yaml"
_ID = re.compile(r"[^a-z0-9_]+")


class NoOutboundError(HotlineError):
    """The site has no ``outbound.yaml``: no campaigns."""

    error_id = "no-outbound"


class OutboundDesk:
    """Campaign settings and lists on `db`, with the site's ``outbound.yaml``."""

    def __init__(self, site: Site, db: Database) -> None:
        self.site = site
        self.db = db
        self.store = Campaigns(db)
        self.dialer: Dialer | None = None
        self._config: OutboundConfig | None = None

    @property
    def file(self) -> Path:
        return self.site.config.folder / OUTBOUND_FILE

    def config(self) -> OutboundConfig:
        """The site's ``outbound.yaml`` (read once: a change takes a restart, as the
        engine's queues do); raises `NoOutboundError` without one."""
        if self._config is None:
            if not self.file.is_file():
                raise NoOutboundError(f"{self.file}: no outbound.yaml on this site")
            self._config = load_outbound(self.file)
        return self._config

    def attached(self) -> Dialer:
        if self.dialer is None:
            raise NoOutboundError("outbound calling is not running on this hotline")
        return self.dialer

    def new_campaign(
        self,
        name: str,
        *,
        queue: str | None,
        prompt: str | None,
        pacing: PacingName,
        rows: Sequence[ListRow],
        by: str,
        at: float,
        known_queues: Sequence[str] = (),
        known_prompts: Sequence[str] = (),
    ) -> tuple[CampaignSpec, list[Entry]]:
        """A campaign of an imported list, stored (not running yet). Raises
        `CampaignError` for a queue or prompt the hotline does not have, or no rows."""
        if queue is not None and queue not in known_queues:
            raise CampaignError(f"no queue {queue!r}", queue=queue)
        if prompt is not None and prompt not in known_prompts:
            raise CampaignError(f"no prompt {prompt!r}", prompt=prompt)
        if not rows:
            raise CampaignError("the list has no callable rows")
        campaign_id = self._fresh_id(name, at)
        spec = self.config().spec(campaign_id, name, queue=queue, prompt=prompt, pacing=pacing)
        entries = [row.entry() for row in rows]
        self.store.add(spec, by=by, at=at)
        self.store.add_entries(spec.id, entries)
        return spec, entries

    def standing(self, source: str, *, at: float) -> CampaignSpec | None:
        """The standing campaign of `source` (created and stored the first time), or None
        when ``outbound.yaml`` has none."""
        spec = self.config().source_spec(source)
        if spec is None:
            return None
        if not self.store.exists(spec.id):
            self.store.add(spec, by="outbound.yaml", at=at, exist_ok=True)
        return spec

    def add_entries(self, campaign_id: str, entries: Sequence[Entry]) -> None:
        self.store.add_entries(campaign_id, entries)

    def stored(self) -> list[StoredCampaign]:
        return self.store.load()

    def _fresh_id(self, name: str, at: float) -> str:
        base = _ID.sub("_", name.lower()).strip("_")[:24] or "campaign"
        stamp = f"{int(at):x}"
        candidate = f"{base}_{stamp}"
        n = 1
        while self.store.exists(candidate):
            n += 1
            candidate = f"{base}_{stamp}_{n}"
        return candidate


def build_service(site: Site, db: Database, orders: Any) -> OutboundDesk:
    """The outbound desk (the feature's service factory)."""
    return OutboundDesk(site, db)

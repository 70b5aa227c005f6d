"""``lookups`` in ``hotline.yaml``: where the IVR's named look-ups are answered on real calls.

On ``hotline serve`` the flows' look-ups (``bill``, ``arrears``, ``outage`` in the
example) answer from the CRM's accounts and the work orders' open outage notices
(`hotline.live.business`), or, for the names listed under ``http``, from a center's own
system over HTTP (`hotline.interop.http_lookup`). Each runs off the engine's loop; the
caller waits at most ``timeout`` (``http.timeout`` for the HTTP ones) and then hears
the node's ``failed`` branch (its ``not_found`` branch when it has none).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class HttpLookupModel(BaseModel):
    """A center's own system answering some look-ups (JSON over HTTP, docs/configuration.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = Field(pattern=r"^https?://[^\s]+$", max_length=500)
    timeout: float = Field(default=2.0, gt=0, le=30)
    names: list[str] = Field(min_length=1)


class LookupsModel(BaseModel):
    """How the IVR's look-ups are answered on real calls."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    timeout: float = Field(default=3.0, gt=0, le=30)
    """Seconds a CRM or orders look-up may take before the caller hears the fallback."""
    due_day: int = Field(default=25, ge=1, le=28)
    """The day of the month a bill is due (缴费截止日), read out by the ``bill`` look-up."""
    http: HttpLookupModel | None = None

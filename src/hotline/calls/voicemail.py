"""Voicemail (语音留言): what a queue's ``on_max_wait: voicemail`` records.

With ``ivr.voicemail`` configured, a caller who reaches the queue's maximum wait leaves
the queue (``contact.left`` reason ``voicemail``), gets a callback task at once
(``callback.created``, reason ``voicemail``), hears the prompt and speaks after the
beep; the message ends at the terminator key, after `silence_timeout` seconds without
voice, at `max_seconds`, or when the caller hangs up. ``voicemail.recorded``
(`calls.events.VoicemailRecorded`) then names the task and the message (the WAV in
the recordings folder on real calls; on the simulated switch a length only, marked
simulated), and the hotline hangs up (after the thanks prompt, when one is set).
Without ``ivr.voicemail`` the action only creates the task, as before.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class VoicemailModel(BaseModel):
    """``ivr.voicemail`` in ``hotline.yaml``: the prompts and limits of a message."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prompt: str
    max_seconds: float = Field(default=120.0, gt=0, le=600)
    silence_timeout: float = Field(default=5.0, gt=0, le=60)
    terminator: str | None = Field(default="#", pattern=r"^[0-9*#]$")
    thanks_prompt: str | None = None

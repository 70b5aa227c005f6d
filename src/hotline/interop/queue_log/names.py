"""Agent names: Asterisk's member names and interfaces turned into Hotline 工号."""

from __future__ import annotations

import re

NO_ONE = frozenset({"", "NONE"})
"""What Asterisk writes in the agent or queue field when there is none."""

_INTERFACE = re.compile(r"(?P<tech>[A-Za-z][A-Za-z0-9_]*)/(?P<rest>.+)")
_CHANNEL_SUFFIX = re.compile(r"-[0-9a-fA-F]{8}(?:;\d+)?$")  # SIP/1001-0000000a, Local/…;1


def agent_id(raw: str) -> str | None:
    """The 工号 in a queue_log agent field, or None for ``NONE``.

    ``SIP/1001``, ``PJSIP/1001``, ``Agent/1001``, ``Local/1001@from-queue/n`` and a
    channel name such as ``SIP/1001-0000000a`` all give ``1001``; a member name
    without a technology (``1001``, ``王芳``) is kept as it is.
    """
    name = raw.strip()
    if name in NO_ONE:
        return None
    match = _INTERFACE.fullmatch(name)
    if match is None:
        return name
    rest = match["rest"]
    rest = rest.split("@", 1)[0]  # Local/1001@from-queue/n, 1001@context
    rest = _CHANNEL_SUFFIX.sub("", rest)
    rest = rest.split("/", 1)[0]
    return rest or name

"""The HTTP edge: REST and a live WebSocket stream over `hotline.live.LiveHotline`.

Authentication (argon2 passwords, signed session cookie or bearer token, login
throttling), roles (agent, shift lead, supervisor, QA, admin), masking of
customers' numbers by role, and an audit row for every read of customer data.
See ``docs/api.md``.
"""

from hotline.api.app import create_app

__all__ = ["create_app"]

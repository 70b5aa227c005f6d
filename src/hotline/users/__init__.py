"""Console users (登录账号) below the edge: their events and the store they need.

The password hash, the password policy and the role enum are the API's
(`hotline.api.users`, `hotline.api.passwords`, `hotline.api.roles`); this package
holds what the store and the log share with it: the ``user.*`` events, committed
with the user's row (the outbox), and the `UserStore` port the store implements.
"""

from hotline.users.events import UserChanged, UserCreated
from hotline.users.ports import AuditLog, UserRecord, UserStore

__all__ = ["AuditLog", "UserChanged", "UserCreated", "UserRecord", "UserStore"]

"""我的工单 tests: the page on the web tests' console, the order API on a real runtime."""

from tests.web.conftest import client, tokens

__all__ = ["client", "tokens"]

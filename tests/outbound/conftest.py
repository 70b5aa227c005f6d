"""外呼 tests: the page on the web tests' console (the API tests build their own runtime)."""

from tests.web.conftest import client, tokens

__all__ = ["client", "tokens"]

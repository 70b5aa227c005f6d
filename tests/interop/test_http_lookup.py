"""The HTTP adapter to a center's own system, against a real server on loopback: a good
answer, nothing found, slow, failing and malformed answers."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from hotline.interop.http_lookup import HttpLookup, LookupRequest, LookupUnavailableError
from tests.support.lookup_server import LookupServer, lookup_server

REQUEST = LookupRequest(
    "bill", "s1", "13800138000", "95598", "5101000001", {"account": "5101000001"}
)


@pytest.fixture
def server() -> Iterator[LookupServer]:
    with lookup_server() as running:
        yield running


def test_a_good_answer_gives_its_variables_as_text(server: LookupServer) -> None:
    found = HttpLookup(server.url("/good"), timeout=2.0)(REQUEST)
    assert found == {"amount": "123.45", "due_date": "20日", "balance": "6.70", "arrears": "0"}
    assert server.requests == [
        {
            "lookup": "bill",
            "call": "s1",
            "caller": "13800138000",
            "dialed": "95598",
            "account": "5101000001",
            "args": {"account": "5101000001"},
        }
    ]


def test_nothing_found_is_none(server: LookupServer) -> None:
    assert HttpLookup(server.url("/none"), timeout=2.0)(REQUEST) is None


def test_a_slow_system_times_out_within_the_timeout(server: LookupServer) -> None:
    started = time.monotonic()
    with pytest.raises(LookupUnavailableError) as raised:
        HttpLookup(server.url("/slow"), timeout=0.5)(REQUEST)
    assert raised.value.reason == "timeout"
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize(
    ("path", "says"),
    [("/fail", "status 500"), ("/bad", "boolean 'found'"), ("/text", "not JSON")],
)
def test_a_failing_or_malformed_answer_is_an_error_naming_what(
    server: LookupServer, path: str, says: str
) -> None:
    with pytest.raises(LookupUnavailableError, match=says) as raised:
        HttpLookup(server.url(path), timeout=2.0)(REQUEST)
    assert raised.value.reason == "error"


def test_nobody_listening_is_an_error() -> None:
    with pytest.raises(LookupUnavailableError) as raised:
        HttpLookup("http://127.0.0.1:9/lookup", timeout=1.0)(REQUEST)
    assert raised.value.reason == "error"

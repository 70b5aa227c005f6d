"""A center's look-up system for the tests: a real HTTP server on loopback, in a thread.

Paths: ``/good`` finds a bill, ``/none`` finds nothing, ``/slow`` answers ``/good``'s
after `SLOW` seconds, ``/fail`` is a 500, ``/bad`` answers JSON of the wrong shape,
``/text`` answers something that is not JSON. Every request body is kept (`requests`).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SLOW = 3.0
GOOD = {"amount": "123.45", "due_date": "20日", "balance": "6.70", "arrears": 0}


class _Handler(BaseHTTPRequestHandler):
    server: LookupServer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        self.server.requests.append(json.loads(self.rfile.read(length)))
        if self.path == "/slow":
            time.sleep(SLOW)
        if self.path == "/fail":
            self._send(500, b'{"error": "down"}')
        elif self.path == "/bad":
            self._send(200, b'{"found": "yes"}')
        elif self.path == "/text":
            self._send(200, b"<html>maintenance</html>")
        elif self.path == "/none":
            self._send(200, b'{"found": false}')
        else:
            self._send(200, json.dumps({"found": True, "variables": GOOD}).encode())

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class LookupServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, Any]] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@contextmanager
def lookup_server() -> Iterator[LookupServer]:
    server = LookupServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()

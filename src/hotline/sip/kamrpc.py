"""Kamailio's JSON-RPC over its FIFO (the `jsonrpcs` module, transport 2).

One request per call: we create a reply FIFO in Kamailio's `fifo_reply_dir` (the
workdir), write the request, naming that FIFO, to Kamailio's FIFO, and read the
reply until it is one whole JSON document. Unlike ``kamcmd`` over the binrpc socket,
there is no reply size limit (``ul.dump`` of thousands of contacts fits), and no
process is started per call. Anything but a well-formed result raises `RpcError`:
a failed call never reads as an empty answer.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from hotline.core.errors import HotlineError

_COUNTER = itertools.count(1)
_LOCK = threading.Lock()


class RpcError(HotlineError):
    error_id = "kamailio-rpc-error"


def call(fifo: Path, method: str, *params: str | int, timeout: float = 5.0) -> Any:
    """The `result` of `method(params)` at the Kamailio listening on `fifo`; raises
    `RpcError` if Kamailio does not answer within `timeout`, answers an error, or
    answers something that is not JSON."""
    with _LOCK:
        serial = next(_COUNTER)
    reply = fifo.parent / f"hotline_reply_{os.getpid()}_{serial}"
    request = {
        "jsonrpc": "2.0",
        "method": method,
        "params": list(params),
        "reply_name": reply.name,
        "id": serial,
    }
    deadline = time.monotonic() + timeout
    try:
        os.mkfifo(reply, 0o600)
    except OSError as e:
        raise RpcError(f"cannot make the reply FIFO {reply}: {e}") from e
    try:
        reader = os.open(reply, os.O_RDONLY | os.O_NONBLOCK)
        try:
            _send(fifo, json.dumps(request).encode() + b"\n")
            answer = _read(reader, deadline, method)
        finally:
            os.close(reader)
    finally:
        with contextlib.suppress(OSError):
            reply.unlink()
    if not isinstance(answer, dict):
        raise RpcError(f"{method}: not a JSON-RPC reply")
    if "error" in answer:
        error = answer["error"]
        message = error.get("message") if isinstance(error, dict) else error
        raise RpcError(f"{method}: {message}")
    if "result" not in answer:
        raise RpcError(f"{method}: a reply without a result")
    return answer["result"]


def _send(fifo: Path, data: bytes) -> None:
    try:
        writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as e:
        reason = "Kamailio is not running" if e.errno == errno.ENXIO else str(e)
        raise RpcError(f"cannot reach Kamailio's FIFO {fifo}: {reason}") from e
    try:
        os.write(writer, data)
    except OSError as e:
        raise RpcError(f"cannot write to Kamailio's FIFO {fifo}: {e}") from e
    finally:
        os.close(writer)


def _read(reader: int, deadline: float, method: str) -> Any:
    buffer = b""
    decoder = json.JSONDecoder()
    while True:
        try:
            chunk = os.read(reader, 65536)
        except BlockingIOError:
            chunk = b""
        if chunk:
            buffer += chunk
            text = buffer.decode(errors="replace").strip()
            try:
                answer, _end = decoder.raw_decode(text)
            except ValueError:
                continue
            return answer
        if time.monotonic() > deadline:
            what = "an incomplete reply" if buffer else "no reply"
            raise RpcError(f"{method}: {what} from Kamailio in time")
        time.sleep(0.002)

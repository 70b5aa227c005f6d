"""Configuration documents (hotline.yaml, IVR flows): read, validate and store new versions.

A document's text is its latest version in ``config_documents``, or the file in
the hotline's directory when none was stored. A new text is validated the way
the hotline is loaded at start: the whole configuration (every current
document, the new text in its place) is written to a temporary directory and
read with `calls.config.load_hotline`, which checks the hotline file, every IVR
flow (`ivr.loader`) and the references between them. A refused text is not
stored, and the answer lists each problem as ``file:line:col: path: message``.
An accepted one is stored as a new version, applied at the next start.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam
from starlette.concurrency import run_in_threadpool

from hotline.api.deps import Runtime, client_of, require
from hotline.api.errors import NotFoundError
from hotline.api.masking import plain
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.schemas import (
    CONFIG_NAME_PATTERN,
    ConfigDocumentOut,
    ConfigListItem,
    ConfigPut,
    ConfigSaved,
)
from hotline.api.users import User
from hotline.calls.config import load_hotline
from hotline.core.config import ConfigError, ConfigProblem
from hotline.live import LiveHotline

router = APIRouter(prefix="/api/config", tags=["configuration"])

Admin = Annotated[User, Depends(require(Role.ADMIN))]
DocumentName = Annotated[
    str,
    PathParam(
        max_length=80,
        pattern=CONFIG_NAME_PATTERN,
        description="`hotline.yaml` or `ivr/<flow>.yaml`",
    ),
]
HOTLINE_FILE = "hotline.yaml"
APPLIED = "applied at the next start of the hotline"


def _files(runtime: LiveHotline) -> dict[str, Path]:
    """The configuration files in the hotline's directory, by document name."""
    hotline_file = runtime.hotline.path
    flows = hotline_file.parent / runtime.hotline.model.ivr.flows
    files = {HOTLINE_FILE: hotline_file}
    if flows.is_dir():
        files.update({f"ivr/{path.name}": path for path in sorted(flows.glob("*.yaml"))})
    return files


def _stored(runtime: LiveHotline, name: str) -> dict[str, Any] | None:
    stored = runtime.services.documents.get(name)
    return None if stored is None else plain(stored)


def _document(runtime: LiveHotline, name: str) -> dict[str, Any] | None:
    stored = _stored(runtime, name)
    if stored is not None:
        return {
            "name": name,
            "text": stored["text"],
            "version": stored["version"],
            "updated_by": stored["updated_by"],
            "updated_at": stored["updated_at"],
        }
    path = _files(runtime).get(name)
    if path is None:
        return None
    return {"name": name, "text": path.read_text(encoding="utf-8"), "version": None}


def _names(runtime: LiveHotline) -> list[str]:
    return sorted(set(_files(runtime)) | set(runtime.services.documents.names()))


def _current_texts(runtime: LiveHotline) -> dict[str, str]:
    texts = {}
    for name in _names(runtime):
        document = _document(runtime, name)
        if document is not None:
            texts[name] = document["text"]
    return texts


def _unreadable(name: str, text: str) -> ConfigProblem | None:
    """A character YAML refuses anywhere in the text (PyYAML checks it before parsing).

    `hotline.core.config.parse_yaml` lets PyYAML's `ReaderError` escape; checked here
    first so that such a text is a located problem, not a crash.
    """
    try:
        yaml.reader.Reader(text)
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        message = f"YAML syntax: character #x{error.character:04x} is not allowed"
        return ConfigProblem(name, line, column, "", message)
    return None


def validate_configuration(texts: dict[str, str]) -> None:
    """Load the configuration made of these documents; raises `ConfigError` (files as named)."""
    unreadable = [p for name, text in texts.items() if (p := _unreadable(name, text))]
    if unreadable:
        raise ConfigError(unreadable)
    with tempfile.TemporaryDirectory(prefix="hotline-config-") as tmp:
        root = Path(tmp)
        (root / "ivr").mkdir()
        for name, text in texts.items():
            (root / name).write_text(text, encoding="utf-8")
        try:
            load_hotline(root / HOTLINE_FILE)
        except ConfigError as error:
            prefix = f"{root}/"
            raise ConfigError(
                dataclasses.replace(p, file=p.file.removeprefix(prefix)) for p in error.problems
            ) from None


def _save(runtime: LiveHotline, user: User, name: str, text: str, client: str) -> int:
    texts = _current_texts(runtime)
    texts[name] = text
    validate_configuration(texts)
    version = runtime.services.documents.put(name, text, user.username).version
    runtime.services.audit.record(
        username=user.username,
        role=user.role.value,
        action="config.put",
        subject_type="config",
        subject_id=name,
        detail={"version": version},
        client=client,
    )
    return version


@router.get("", response_model=list[ConfigListItem], responses=errors(401, 403))
async def list_documents(_: Admin, runtime: Runtime) -> list[dict[str, Any]]:
    """Every configuration document, with its stored version (null: still the shipped file)."""

    def listing() -> list[dict[str, Any]]:
        items = []
        for name in _names(runtime):
            stored = _stored(runtime, name)
            items.append(
                {"name": name}
                if stored is None
                else {
                    "name": name,
                    "version": stored["version"],
                    "updated_by": stored["updated_by"],
                    "updated_at": stored["updated_at"],
                }
            )
        return items

    return await run_in_threadpool(listing)


@router.get("/{name:path}", response_model=ConfigDocumentOut, responses=errors(401, 403, 404, 422))
async def get_document(name: DocumentName, _: Admin, runtime: Runtime) -> dict[str, Any]:
    document = await run_in_threadpool(_document, runtime, name)
    if document is None:
        raise NotFoundError(f"no configuration document {name!r}")
    return document


@router.put("/{name:path}", response_model=ConfigSaved, responses=errors(401, 403, 404, 422))
async def put_document(
    name: DocumentName, body: ConfigPut, request: Request, user: Admin, runtime: Runtime
) -> ConfigSaved:
    """Validate and store a new version (422 with every problem located; nothing stored then)."""
    version = await run_in_threadpool(_save, runtime, user, name, body.text, client_of(request))
    return ConfigSaved(name=name, version=version, message=f"saved as version {version}; {APPLIED}")

"""Configuration files: YAML read with the position of every key, checked by pydantic models.

Every configuration file of Hotline (IVR flows, hotline settings, simulation
scenarios) is YAML validated by a pydantic model (``extra="forbid"``). A wrong
file is refused with one `ConfigError` that lists every problem found, each with
the file, line, column, the path of the offending value and a plain message::

    examples/95598/ivr/main.yaml:23:5: nodes.menu.retries: Input should be a valid integer

How the YAML is read, and how it differs from plain ``yaml.safe_load``:

- a duplicate key in a mapping is an error (PyYAML silently keeps the last one);
- mapping keys are always strings, taken as written (``1:`` is the key ``"1"``);
- as in YAML 1.2, ``22:00`` is the string ``"22:00"``, not the base-60 integer
  1320 of YAML 1.1 (times of day are written that way in our files), and only
  ``true``/``false`` are booleans: ``no``, ``yes``, ``on``, ``off`` are strings
  (a node named ``no`` stays a name; pydantic still reads them as booleans
  where a field is one);
- only the standard tags are accepted; anchors, aliases and ``<<`` merges work.

Semantic checks done after parsing (a ``goto`` naming no node, say) report
through `YamlDocument.problem`, so they carry a file and line too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from hotline.core.errors import HotlineError

PathPart = str | int
ConfigPath = tuple[PathPart, ...]
M = TypeVar("M", bound=BaseModel)


def format_path(path: Iterable[PathPart]) -> str:
    """A path as written in messages: ``nodes.menu.choices.2``."""
    return ".".join(str(part) for part in path)


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One thing wrong in a configuration file; `line` and `column` count from 1."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.path:
            return f"{where}: {self.path}: {self.message}"
        return f"{where}: {self.message}"


class ConfigError(HotlineError):
    """A configuration file (or several) was refused; `problems` lists every reason.

    ``str(error)`` is one human line per problem, ``file:line:column: path: message``.
    """

    error_id = "invalid-config"

    def __init__(self, problems: Iterable[ConfigProblem]) -> None:
        self.problems = list(problems)
        message = "\n".join(str(p) for p in self.problems) or "invalid configuration"
        super().__init__(message, problems=self.problems)


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """A parsed YAML file: plain data, and where each key and list item was written.

    `positions` maps a path (mapping keys and list indexes from the root) to the
    1-based ``(line, column)`` of that key or item; ``()`` is the document itself.
    """

    file: str
    data: Any
    positions: Mapping[ConfigPath, tuple[int, int]]

    def locate(self, path: Sequence[PathPart]) -> tuple[int, int]:
        """Where `path` was written, else where its nearest known ancestor was."""
        key = tuple(path)
        positions = self.positions
        while key:
            found = positions.get(key)
            if found is not None:
                return found
            key = key[:-1]
        return positions.get((), (1, 1))

    def problem(self, path: Sequence[PathPart], message: str) -> ConfigProblem:
        """A problem at `path` of this file, located (for checks done after parsing)."""
        line, column = self.locate(path)
        return ConfigProblem(self.file, line, column, format_path(path), message)


# --- reading YAML ------------------------------------------------------------------

_INT = re.compile(
    r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0[0-7_]+
    |[-+]?(?:0|[1-9][0-9_]*)
    |[-+]?0x[0-9a-fA-F_]+)$""",
    re.X,
)
_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """SafeLoader's implicit resolvers without YAML 1.1's base-60 numbers and yes/no/on/off."""
    replaced = {_BOOL_TAG: _BOOL, _INT_TAG: _INT, _FLOAT_TAG: _FLOAT}
    return {
        first: [(tag, replaced.get(tag, regexp)) for tag, regexp in entries]
        for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


class _Loader(yaml.SafeLoader):
    """SafeLoader reading ``22:00`` and ``no`` as strings; composes, then `_Builder` walks."""


_Loader.yaml_implicit_resolvers = _resolvers()


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    """Turns a composed node tree into plain data, recording positions and problems."""

    def __init__(self, loader: _Loader, file: str) -> None:
        self.loader = loader
        self.file = file
        self.positions: dict[ConfigPath, tuple[int, int]] = {}
        self.problems: list[ConfigProblem] = []
        self._open: set[int] = set()  # nodes being built: an alias back to one is a cycle

    def fail(self, node: yaml.Node, path: ConfigPath, message: str) -> None:
        line, column = _mark(node)
        self.problems.append(ConfigProblem(self.file, line, column, format_path(path), message))

    def build(self, node: yaml.Node, path: ConfigPath) -> Any:
        if isinstance(node, yaml.ScalarNode):
            try:
                return self.loader.construct_object(node)
            except yaml.MarkedYAMLError as exc:
                self.fail(node, path, exc.problem or "cannot read this value")
                return None
        if id(node) in self._open:
            self.fail(node, path, "an alias refers to a value that contains it")
            return None
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
                return self._sequence(node, path)
            if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
                return self._mapping(node, path)
            self.fail(node, path, f"unsupported YAML tag {node.tag!r}")
            return None
        finally:
            self._open.discard(id(node))

    def _sequence(self, node: yaml.SequenceNode, path: ConfigPath) -> list[Any]:
        items: list[Any] = []
        for index, item in enumerate(node.value):
            self.positions[(*path, index)] = _mark(item)
            items.append(self.build(item, (*path, index)))
        return items

    def _mapping(self, node: yaml.MappingNode, path: ConfigPath) -> dict[str, Any]:
        merges: list[yaml.Node] = []
        explicit: list[tuple[str, yaml.Node, yaml.Node]] = []
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merges.extend(
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
            elif not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, path, "a mapping key must be a plain value")
            elif (key := str(key_node.value)) in first_seen:
                message = f"duplicate key {key!r} (first at line {first_seen[key]})"
                self.fail(key_node, (*path, key), message)
            else:
                first_seen[key] = key_node.start_mark.line + 1
                explicit.append((key, key_node, value_node))
        result: dict[str, Any] = {}
        # `<<: *base` (or a list of them): earlier sources win, explicit keys win over all.
        # Built from the lowest priority up, so the winner's positions are recorded last.
        for source in reversed(merges):
            merged = self.build(source, path)
            if isinstance(merged, dict):
                result.update(merged)
            else:
                self.fail(source, path, "'<<' merges only mappings")
        for key, key_node, value_node in explicit:
            self.positions[(*path, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result


def _syntax_problem(file: str, exc: yaml.MarkedYAMLError) -> ConfigProblem:
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or "not valid YAML"
    if exc.context:
        message += f" ({exc.context})"
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return ConfigProblem(file, line, column, "", f"YAML syntax: {message}")


def parse_yaml(text: str, *, file: str = "<string>") -> YamlDocument:
    """Parse one YAML document; `file` names it in messages.

    Raises `ConfigError` for syntax errors, duplicate keys, unsupported tags and
    recursive aliases (every such problem of the document, not only the first).
    An empty document has ``data`` None.
    """
    try:
        loader = _Loader(text)  # the reader refuses control characters at once
    except yaml.YAMLError as exc:
        raise ConfigError([ConfigProblem(file, None, None, "", f"not valid YAML: {exc}")]) from None
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise ConfigError([_syntax_problem(file, exc)]) from None
        except yaml.YAMLError as exc:
            raise ConfigError(
                [ConfigProblem(file, None, None, "", f"not valid YAML: {exc}")]
            ) from None
        if root is None:
            return YamlDocument(file=file, data=None, positions={(): (1, 1)})
        builder = _Builder(loader, file)
        builder.positions[()] = _mark(root)
        data = builder.build(root, ())
        if builder.problems:
            raise ConfigError(builder.problems)
        return YamlDocument(file=file, data=data, positions=builder.positions)
    finally:
        loader.dispose()


def load_yaml(path: str | os.PathLike[str]) -> YamlDocument:
    """Read and parse a UTF-8 YAML file; the file is named in messages as given.

    Raises `ConfigError` when the file is missing, unreadable or not valid YAML.
    """
    file = os.fspath(path)
    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError([ConfigProblem(file, None, None, "", "file not found")]) from None
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text (bad byte at offset {exc.start})"
        raise ConfigError([ConfigProblem(file, None, None, "", message)]) from None
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror or exc}"
        raise ConfigError([ConfigProblem(file, None, None, "", message)]) from None
    return parse_yaml(text, file=file)


# --- validating with pydantic ------------------------------------------------------

_ABSENT = object()


def _child(data: Any, part: PathPart) -> Any:
    if isinstance(data, dict):
        return data.get(part, _ABSENT) if isinstance(part, str) else _ABSENT
    if isinstance(data, list) and type(part) is int and 0 <= part < len(data):
        return data[part]
    return _ABSENT


def _data_path(data: Any, loc: Sequence[PathPart]) -> ConfigPath:
    """The part of a pydantic error location that names places in the data.

    Pydantic puts union tags (``menu``) and validator names in locations; they
    are dropped. Where a part could be either (a node of type ``queue`` has a
    key ``queue``), the reading that follows the data further wins.
    """
    if not loc:
        return ()
    part, rest = loc[0], loc[1:]
    child = _child(data, part)
    taken: ConfigPath = ()
    if child is not _ABSENT:
        taken = (part, *_data_path(child, rest))
        if len(taken) == len(loc):
            return taken
    skipped = _data_path(data, rest)
    return taken if child is not _ABSENT and len(taken) >= len(skipped) else skipped


def _unquote(text: Any) -> str:
    return str(text).strip("'\"")


def _problem(document: YamlDocument, error: ErrorDetails) -> ConfigProblem:
    kind = error["type"]
    loc = error["loc"]
    ctx = error.get("ctx") or {}
    message = error["msg"]
    if kind == "missing" and loc:
        path = _data_path(document.data, loc[:-1])
        message = f"missing required key {loc[-1]!r}"
    elif kind == "extra_forbidden" and loc:
        path = _data_path(document.data, loc)
        message = f"unknown key {loc[-1]!r}"
    elif kind == "union_tag_invalid":
        key = _unquote(ctx.get("discriminator", "type"))
        path = (*_data_path(document.data, loc), key)
        message = f"unknown {key} {ctx.get('tag')!r} (expected one of: {ctx.get('expected_tags')})"
    elif kind == "union_tag_not_found":
        path = _data_path(document.data, loc)
        message = f"missing required key {_unquote(ctx.get('discriminator', 'type'))!r}"
    else:
        path = _data_path(document.data, loc)
        if kind in ("value_error", "assertion_error") and "error" in ctx:
            message = str(ctx["error"])
    return document.problem(path, message)


def validate(document: YamlDocument, model: type[M], *, context: Any = None) -> M:
    """Validate the document's data with `model` (pydantic), located on failure.

    `context` is passed to pydantic validators. Raises `ConfigError` listing
    every validation error, each with the line of the offending key or item
    (for a missing key, the line of the mapping that lacks it).
    """
    try:
        return model.model_validate(document.data, context=context)
    except ValidationError as exc:
        problems = [_problem(document, error) for error in exc.errors(include_url=False)]
        raise ConfigError(problems) from None


def load_model(
    path: str | os.PathLike[str], model: type[M], *, context: Any = None
) -> tuple[M, YamlDocument]:
    """Read a YAML file and validate it with `model`; raises `ConfigError`."""
    document = load_yaml(path)
    return validate(document, model, context=context), document

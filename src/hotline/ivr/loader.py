"""Loading IVR flow files: shape by the pydantic models, then every cross-reference.

A flow is refused with a `ConfigError` listing every problem with file and
line: unknown node types and keys, wrong types, a ``start`` or target naming no
node, a prompt missing from the catalogue, and (when the names are given) an
unknown queue or lookup. Unreachable nodes and unused prompts are only warnings,
kept in `Flow.warnings`.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Collection, Iterable
from pathlib import Path

from hotline.core.config import (
    ConfigError,
    ConfigPath,
    ConfigProblem,
    YamlDocument,
    load_yaml,
    parse_yaml,
    validate,
)
from hotline.ivr.flow import (
    BranchNode,
    CallbackNode,
    CollectNode,
    Flow,
    HangupNode,
    LookupNode,
    MenuNode,
    Node,
    PlayNode,
    QueueNode,
    SetNode,
    VerifyNode,
)

_PROMPT_KEYS = ("prompt", "invalid_prompt", "password_prompt", "thanks_prompt")


def node_targets(node: Node) -> list[tuple[ConfigPath, str]]:
    """Every node `node` can go to, with the path of the key naming it inside the node."""
    match node:
        case PlayNode() | SetNode():
            return [(("next",), node.next)]
        case MenuNode():
            choices: list[tuple[ConfigPath, str]] = [
                (("choices", key), target) for key, target in node.choices.items()
            ]
            return [*choices, (("on_fail",), node.on_fail)]
        case CollectNode():
            return [(("next",), node.next), (("on_fail",), node.on_fail)]
        case VerifyNode():
            return [(("ok",), node.ok), (("fail",), node.fail)]
        case LookupNode():
            failed = [] if node.failed is None else [(("failed",), node.failed)]
            return [(("ok",), node.ok), (("not_found",), node.not_found), *failed]
        case BranchNode():
            cases: list[tuple[ConfigPath, str]] = [
                (("cases", i, "goto"), case.goto) for i, case in enumerate(node.cases)
            ]
            return [*cases, (("default",), node.default)]
        case CallbackNode():
            return [(("accepted",), node.accepted), (("declined",), node.declined)]
        case _:
            return []


def node_prompts(node: Node) -> list[tuple[str, str]]:
    """Every prompt `node` may play, with the key naming it."""
    found = []
    for key in _PROMPT_KEYS:
        value = getattr(node, key, None)
        if isinstance(value, str):
            found.append((key, value))
    return found


def _unknown(what: str, name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what} {name!r}{hint}"


def _unknown_listed(what: str, name: str, known: Collection[str]) -> str:
    return f"unknown {what} {name!r} (known: {', '.join(sorted(known)) or 'none'})"


def check_flow(
    flow: Flow,
    document: YamlDocument,
    *,
    known_queues: Collection[str] | None = None,
    known_lookups: Collection[str] | None = None,
) -> tuple[list[ConfigProblem], list[ConfigProblem]]:
    """Cross-reference checks of a validated flow: (problems, warnings), located in `document`."""
    problems: list[ConfigProblem] = []
    nodes, prompts = flow.nodes, flow.prompts
    if flow.start not in nodes:
        problems.append(document.problem(("start",), _unknown("node", flow.start, nodes)))
    used_prompts: set[str] = set()
    for name, node in nodes.items():
        here: ConfigPath = ("nodes", name)
        for sub, target in node_targets(node):
            if target not in nodes:
                problems.append(document.problem((*here, *sub), _unknown("node", target, nodes)))
        for key, prompt in node_prompts(node):
            used_prompts.add(prompt)
            if prompt not in prompts:
                message = _unknown("prompt", prompt, prompts)
                problems.append(document.problem((*here, key), message))
        queue = node.queue if isinstance(node, QueueNode | HangupNode) else None
        if queue is not None and known_queues is not None and queue not in known_queues:
            message = _unknown_listed("queue", queue, known_queues)
            problems.append(document.problem((*here, "queue"), message))
        lookup = node.lookup if isinstance(node, LookupNode) else None
        if lookup is not None and known_lookups is not None and lookup not in known_lookups:
            message = _unknown_listed("lookup", lookup, known_lookups)
            problems.append(document.problem((*here, "lookup"), message))
    reachable = _reachable(flow)
    warnings = [
        document.problem(("nodes", name), f"node {name!r} is never reached from {flow.start!r}")
        for name in nodes
        if name not in reachable
    ]
    warnings += [
        document.problem(("prompts", name), f"prompt {name!r} is never played")
        for name in prompts
        if name not in used_prompts
    ]
    return problems, warnings


def _reachable(flow: Flow) -> set[str]:
    seen: set[str] = set()
    todo = [flow.start]
    while todo:
        name = todo.pop()
        node = flow.nodes.get(name)
        if name in seen or node is None:
            continue
        seen.add(name)
        todo.extend(target for _, target in node_targets(node))
    return seen


def flow_from_document(
    document: YamlDocument,
    *,
    known_queues: Collection[str] | None = None,
    known_lookups: Collection[str] | None = None,
) -> Flow:
    """Validate a parsed flow file and check its references; raises `ConfigError`."""
    flow = validate(document, Flow)
    problems, warnings = check_flow(
        flow, document, known_queues=known_queues, known_lookups=known_lookups
    )
    if problems:
        raise ConfigError(problems)
    flow._warnings = tuple(warnings)
    return flow


def load_flow(
    path: str | os.PathLike[str],
    *,
    known_queues: Collection[str] | None = None,
    known_lookups: Collection[str] | None = None,
) -> Flow:
    """Load one flow file; queue and lookup names are checked when their names are given.

    Raises `ConfigError` with every problem found, each with file and line.
    """
    document = load_yaml(path)
    return flow_from_document(document, known_queues=known_queues, known_lookups=known_lookups)


def parse_flow(
    text: str,
    *,
    file: str = "<flow>",
    known_queues: Collection[str] | None = None,
    known_lookups: Collection[str] | None = None,
) -> Flow:
    """`load_flow` for text not read from a file (a flow edited in the console, a test)."""
    document = parse_yaml(text, file=file)
    return flow_from_document(document, known_queues=known_queues, known_lookups=known_lookups)


def load_flows(
    directory: str | os.PathLike[str],
    *,
    known_queues: Collection[str] | None = None,
    known_lookups: Collection[str] | None = None,
) -> dict[str, Flow]:
    """Load every ``*.yaml`` of `directory` (in name order) into a dict by flow name.

    Raises one `ConfigError` with the problems of every file, and also when two
    files define the same flow name, or the same prompt name differently (a
    switch plays prompts by name, so a name means one recording).
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise ConfigError([ConfigProblem(os.fspath(directory), None, None, "", "not a directory")])
    problems: list[ConfigProblem] = []
    flows: dict[str, tuple[Flow, YamlDocument]] = {}
    prompts: dict[str, tuple[Flow, YamlDocument]] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            document = load_yaml(path)
            flow = flow_from_document(
                document, known_queues=known_queues, known_lookups=known_lookups
            )
        except ConfigError as exc:
            problems.extend(exc.problems)
            continue
        if flow.flow in flows:
            first = flows[flow.flow][1]
            message = f"flow {flow.flow!r} is already defined in {first.file}"
            problems.append(document.problem(("flow",), message))
            continue
        flows[flow.flow] = (flow, document)
        for name, prompt in flow.prompts.items():
            if name not in prompts:
                prompts[name] = (flow, document)
            elif prompts[name][0].prompts[name] != prompt:
                other = prompts[name][1]
                line, _ = other.locate(("prompts", name))
                message = f"prompt {name!r} differs from its definition in {other.file}:{line}"
                problems.append(document.problem(("prompts", name), message))
    if problems:
        raise ConfigError(problems)
    return {name: flow for name, (flow, _) in flows.items()}

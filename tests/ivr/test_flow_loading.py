"""Loading flow files: bad ones are refused with file, line and the offending name."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.core.config import ConfigError
from hotline.ivr import Flow, load_flow, load_flows

QUEUES = ("complaint", "english", "fault", "query", "vip")

GOOD = """\
flow: main
start: welcome
prompts:
  welcome: {text: "您好，欢迎致电95598供电服务热线", duration: 4.5}
  menu: {text: "故障报修请按1，人工服务请按0"}
nodes:
  welcome: {type: play, prompt: welcome, next: menu}
  menu:
    type: menu
    prompt: menu
    choices: {"1": to_fault, "0": to_query}
    timeout: 5
    retries: 3
    on_fail: to_query
  to_fault: {type: queue, queue: fault}
  to_query: {type: queue, queue: query}
"""


def write(tmp_path: Path, text: str, name: str = "main.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path: Path, text: str, **known: object) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_flow(path, **known)  # type: ignore[arg-type]
    message = str(caught.value)
    assert str(path) in message
    return message


def test_a_good_flow_loads(tmp_path: Path) -> None:
    flow = load_flow(write(tmp_path, GOOD), known_queues=QUEUES, known_lookups=())
    assert isinstance(flow, Flow)
    assert flow.start == "welcome"
    assert flow.prompts["menu"].duration == 3.8  # estimated: 15 characters at 4 a second
    assert flow.warnings == ()


def test_wrong_type(tmp_path: Path) -> None:
    message = refused(tmp_path, GOOD.replace("retries: 3", "retries: many"))
    assert ":13:5: nodes.menu.retries: Input should be a valid integer" in message


def test_unknown_key(tmp_path: Path) -> None:
    message = refused(tmp_path, GOOD.replace("retries: 3", "retires: 3"))
    assert ":13:5: nodes.menu.retires: unknown key 'retires'" in message


def test_unknown_node_type(tmp_path: Path) -> None:
    message = refused(tmp_path, GOOD.replace("type: menu", "type: menue"))
    assert ":9:5: nodes.menu.type: unknown type 'menue'" in message


def test_unknown_goto_target(tmp_path: Path) -> None:
    message = refused(tmp_path, GOOD.replace('"0": to_query', '"0": to_qeury'))
    assert ":11:30: nodes.menu.choices.0: unknown node 'to_qeury' (did you mean 'to_query'?)" in (
        message
    )


def test_unknown_start_and_next(tmp_path: Path) -> None:
    text = GOOD.replace("start: welcome", "start: hello").replace("next: menu", "next: menu2")
    lines = refused(tmp_path, text).splitlines()
    assert lines[0].endswith(":2:1: start: unknown node 'hello'")
    assert lines[1].endswith(
        ":7:42: nodes.welcome.next: unknown node 'menu2' (did you mean 'menu'?)"
    )


def test_unknown_prompt(tmp_path: Path) -> None:
    message = refused(tmp_path, GOOD.replace("prompt: welcome", "prompt: welcom"))
    assert ":7:25: nodes.welcome.prompt: unknown prompt 'welcom' (did you mean 'welcome'?)" in (
        message
    )


def test_unknown_queue_lists_the_known_ones(tmp_path: Path) -> None:
    message = refused(tmp_path, GOOD.replace("queue: fault", "queue: faults"), known_queues=QUEUES)
    assert (
        ":15:27: nodes.to_fault.queue: unknown queue 'faults' "
        "(known: complaint, english, fault, query, vip)"
    ) in message
    load_flow(write(tmp_path, GOOD.replace("queue: fault", "queue: faults")))  # names not given


def test_unknown_lookup(tmp_path: Path) -> None:
    text = GOOD.replace(
        "  to_fault: {type: queue, queue: fault}",
        "  to_fault: {type: lookup, lookup: bil, ok: to_query, not_found: to_query}",
    )
    message = refused(tmp_path, text, known_lookups=("bill", "outage"))
    assert ":15:28: nodes.to_fault.lookup: unknown lookup 'bil' (known: bill, outage)" in message


def test_shape_checks(tmp_path: Path) -> None:
    text = GOOD.replace('"1": to_fault', '"12": to_fault').replace("timeout: 5", "timeout: 0")
    text = text.replace("duration: 4.5", "duration: -1")
    lines = refused(tmp_path, text).splitlines()
    assert any(
        ":4:41: prompts.welcome.duration: Input should be greater than 0" in x for x in lines
    )
    assert any(":11:15: nodes.menu.choices.12: '12' is not one key" in x for x in lines)
    assert any(":12:5: nodes.menu.timeout: Input should be greater than 0" in x for x in lines)


def test_branch_conditions_are_checked(tmp_path: Path) -> None:
    text = GOOD.replace(
        "  to_fault: {type: queue, queue: fault}",
        "  to_fault:\n"
        "    type: branch\n"
        "    cases:\n"
        "      - {when: {time: {from: '7:00', to: '08:00'}}, goto: to_query}\n"
        "      - {when: {tier: [gold]}, goto: to_query}\n"
        "      - {when: {var: {name: x, op: like, value: a}}, goto: to_query}\n"
        "    default: to_query",
    )
    lines = refused(tmp_path, text).splitlines()
    assert len(lines) == 3
    assert ":18:24: nodes.to_fault.cases.0.when.time.from: '7:00' is not a time" in lines[0]
    assert ":19:24: nodes.to_fault.cases.1.when.tier.0: Input should be 'high'" in lines[1]
    assert ":20:32: nodes.to_fault.cases.2.when.var.op: Input should be 'eq'" in lines[2]


def test_every_problem_is_reported(tmp_path: Path) -> None:
    text = GOOD.replace("next: menu", "next: nowhere").replace("queue: query", "queue: q")
    text = text.replace("prompt: menu", "prompt: menu_x")
    lines = refused(tmp_path, text, known_queues=QUEUES).splitlines()
    assert len(lines) == 3


def test_unreachable_nodes_and_unused_prompts_are_only_warnings(tmp_path: Path) -> None:
    text = GOOD + "  orphan: {type: queue, queue: vip}\n"
    text = text.replace("prompts:\n", "prompts:\n  spare: {text: 备用}\n")
    flow = load_flow(write(tmp_path, text))
    assert [str(w).split(": ", 1)[1] for w in flow.warnings] == [
        "nodes.orphan: node 'orphan' is never reached from 'welcome'",
        "prompts.spare: prompt 'spare' is never played",
    ]


def test_load_flows_by_name_and_duplicate_names(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD.replace("flow: main", "flow: other"), "b.yaml")
    assert sorted(load_flows(tmp_path)) == ["main", "other"]
    write(tmp_path, GOOD, "c.yaml")
    with pytest.raises(ConfigError) as caught:
        load_flows(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / 'c.yaml'}:1:1: flow: flow 'main' is already defined in {tmp_path / 'a.yaml'}"
    )


def test_load_flows_refuses_one_prompt_name_with_two_recordings(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.yaml")
    other = GOOD.replace("flow: main", "flow: other").replace("duration: 4.5", "duration: 5")
    write(tmp_path, other, "b.yaml")
    with pytest.raises(
        ConfigError, match=r"b\.yaml:4:3: prompts\.welcome: prompt 'welcome' differs"
    ):
        load_flows(tmp_path)


def test_load_flows_reports_the_problems_of_every_file(tmp_path: Path) -> None:
    write(tmp_path, GOOD.replace("retries: 3", "retries: x"), "a.yaml")
    write(
        tmp_path, GOOD.replace("flow: main", "flow: b").replace("next: menu", "next: m"), "b.yaml"
    )
    with pytest.raises(ConfigError) as caught:
        load_flows(tmp_path)
    assert [Path(p.file).name for p in caught.value.problems] == ["a.yaml", "b.yaml"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.yaml: file not found"):
        load_flow(tmp_path / "nope.yaml")

"""Configuration loading: every problem is reported with its file, line and path."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from hotline.core.config import (
    ConfigError,
    ConfigProblem,
    load_model,
    load_yaml,
    parse_yaml,
    validate,
)
from hotline.core.errors import HotlineError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Choice(_Strict):
    key: str
    goto: str


class Menu(_Strict):
    prompt: str
    retries: int = 3
    choices: list[Choice] = []


class Hotline(_Strict):
    name: str
    menus: dict[str, Menu]


GOOD = """\
name: "95598"
menus:
  main:
    prompt: welcome
    retries: 3
    choices:
      - {key: "1", goto: bill}
      - key: "2"
        goto: fault
"""


def write(tmp_path: Path, text: str, name: str = "hotline.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[ConfigProblem]:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_model(path, Hotline)
    return caught.value.problems


def test_a_good_file_loads_and_every_key_is_located(tmp_path: Path) -> None:
    model, document = load_model(write(tmp_path, GOOD), Hotline)
    assert model.menus["main"].choices[1].goto == "fault"
    assert document.locate(("menus", "main", "retries")) == (5, 5)
    assert document.locate(("menus", "main", "choices", 0)) == (7, 9)
    assert document.locate(("menus", "main", "choices", 1, "goto")) == (9, 9)
    # an unknown path falls back to its nearest known ancestor
    assert document.locate(("menus", "main", "nowhere", 3)) == (3, 3)


def test_wrong_type_points_to_the_key(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, GOOD.replace("retries: 3", "retries: three"))
    assert (problem.line, problem.column) == (5, 5)
    assert problem.path == "menus.main.retries"
    assert str(problem) == (
        f"{tmp_path / 'hotline.yaml'}:5:5: menus.main.retries: "
        "Input should be a valid integer, unable to parse string as an integer"
    )


def test_unknown_key_is_named(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, GOOD.replace("retries: 3", "retires: 3"))
    assert problem.line == 5
    assert problem.path == "menus.main.retires"
    assert problem.message == "unknown key 'retires'"


def test_missing_key_points_to_the_mapping_that_lacks_it(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, GOOD.replace("    prompt: welcome\n", ""))
    assert problem.line == 3  # `main:`
    assert problem.path == "menus.main"
    assert problem.message == "missing required key 'prompt'"


def test_duplicate_key_is_refused_with_both_lines(tmp_path: Path) -> None:
    text = GOOD.replace("    retries: 3\n", "    retries: 3\n    retries: 4\n")
    (problem,) = problems_of(tmp_path, text)
    assert problem.line == 6
    assert problem.path == "menus.main.retries"
    assert problem.message == "duplicate key 'retries' (first at line 5)"


def test_duplicate_keys_in_flow_mappings_are_refused_too() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_yaml("a: {x: 1, x: 2}\n", file="f.yaml")
    assert str(caught.value) == "f.yaml:1:11: a.x: duplicate key 'x' (first at line 1)"


def test_yaml_syntax_error_reports_its_line(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, GOOD.replace("prompt: welcome", "prompt: [welcome"))
    assert problem.line is not None
    assert problem.line >= 4
    assert problem.message.startswith("YAML syntax: ")
    assert str(problem).startswith(f"{tmp_path / 'hotline.yaml'}:{problem.line}:")


def test_syntax_error_on_a_known_line() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_yaml("name: x\nmenus: a: b\n", file="f.yaml")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == ("f.yaml", 2)
    assert "mapping values are not allowed here" in problem.message


def test_nested_list_item_error_points_to_the_item(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, GOOD.replace("goto: bill}", "goto: bill, go: x}"))
    assert problem.path == "menus.main.choices.0.go"
    assert (problem.line, problem.column) == (7, 32)
    (problem,) = problems_of(tmp_path, GOOD.replace("        goto: fault\n", ""))
    assert problem.path == "menus.main.choices.1"
    assert problem.line == 8  # the list item that lacks `goto`
    assert problem.message == "missing required key 'goto'"


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path) -> None:
    text = GOOD.replace("retries: 3", "retries: x").replace("goto: fault", "goto: [1]")
    problems = problems_of(tmp_path, text)
    assert [(p.path, p.line) for p in problems] == [
        ("menus.main.retries", 5),
        ("menus.main.choices.1.goto", 9),
    ]
    with pytest.raises(ConfigError) as caught:
        load_model(write(tmp_path, text), Hotline)
    assert len(str(caught.value).splitlines()) == 2


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_yaml(tmp_path / "nope.yaml")
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}: file not found"
    assert isinstance(caught.value, HotlineError)
    assert caught.value.error_id == "invalid-config"


def test_semantic_problems_are_located_through_the_document(tmp_path: Path) -> None:
    document = load_yaml(write(tmp_path, GOOD))
    model = validate(document, Hotline)
    problems = [
        document.problem(("menus", name, "choices", i, "goto"), f"unknown node {c.goto!r}")
        for name, menu in model.menus.items()
        for i, c in enumerate(menu.choices)
        if c.goto != "bill"
    ]
    error = ConfigError(problems)
    assert (
        str(error)
        == f"{tmp_path / 'hotline.yaml'}:9:9: menus.main.choices.1.goto: unknown node 'fault'"
    )


def test_times_of_day_and_no_stay_strings() -> None:
    document = parse_yaml("from: 22:00\nto: 08:00\nlang: no\nok: true\n1: one\n")
    assert document.data == {"from": "22:00", "to": "08:00", "lang": "no", "ok": True, "1": "one"}


def test_anchors_and_merges_work_and_keep_positions() -> None:
    text = "base: &b {retries: 2, prompt: p}\nmenus:\n  m:\n    <<: *b\n    prompt: q\n"
    document = parse_yaml(text)
    assert document.data["menus"]["m"] == {"retries": 2, "prompt": "q"}
    assert document.locate(("menus", "m", "prompt")) == (5, 5)


def test_unsupported_tags_and_recursive_aliases_are_refused() -> None:
    with pytest.raises(ConfigError, match=r"<string>:1:4: a: could not determine a constructor"):
        parse_yaml("a: !include other.yaml\n")
    with pytest.raises(ConfigError, match="an alias refers to a value that contains it"):
        parse_yaml("a: &x [*x]\n")


def test_an_empty_document_is_refused_by_the_model() -> None:
    with pytest.raises(ConfigError) as caught:
        validate(parse_yaml("", file="empty.yaml"), Hotline)
    assert str(caught.value).startswith("empty.yaml:1:1: ")


def test_control_characters_are_a_config_error_not_a_crash() -> None:
    with pytest.raises(ConfigError, match=r"bad\.yaml: not valid YAML: unacceptable character"):
        parse_yaml("name: \x8b\x00", file="bad.yaml")

"""qa.yaml whole (hotline.quality.config): the forms with the sampling policy and the phrase
rules; the example loads, and a rule answering a question the form does not have as a
yes/no question is refused with its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.core.config import ConfigError
from hotline.quality.config import load_qa

EXAMPLE = Path(__file__).parents[2] / "examples" / "95598" / "qa.yaml"


def test_the_example_has_its_policy_and_rules() -> None:
    qa = load_qa(EXAMPLE)
    assert qa.forms.current()[0].id == "95598"
    assert (qa.sampling.weekly_per_agent, qa.sampling.daily_cap) == (4, 40)
    assert qa.phrases is not None
    assert set(qa.phrases.questions) == {"forbidden", "greeting", "more_help"}


@pytest.mark.parametrize(
    ("question", "why"),
    [("nonesuch", "no question"), ("listening", "not a yes/no question")],
)
def test_a_rule_must_answer_a_yes_no_question_of_the_form(
    tmp_path: Path, question: str, why: str
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "      question: more_help\n", f"      question: {question}\n"
    )
    path = tmp_path / "qa.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_qa(path)
    line = text.splitlines().index(f"      question: {question}") + 1
    assert f"qa.yaml:{line}:" in str(caught.value)
    assert why in str(caught.value)


def test_an_unknown_sampling_key_is_named_with_its_line(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("  daily_cap: 40", "  daily_caps: 40")
    path = tmp_path / "qa.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_qa(path)
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "daily_caps" in x)
    assert f"qa.yaml:{line}:" in str(caught.value)
    assert "daily_caps" in str(caught.value)

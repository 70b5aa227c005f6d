"""The site's ``qa.yaml`` whole: the evaluation forms and the policies around them — how
calls are sampled (``sampling``), what speech analytics flags and which recognizer
transcribes (``speech``), and the phrase rules over transcripts (``phrases``).

Each section is optional and has its defaults; a file is refused whole with every
problem as ``file:line:column: key: message``, as the forms are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from pydantic import Field

from hotline.core.config import ConfigError, YamlDocument, load_model
from hotline.quality.forms import Forms, FormsFile, build_forms
from hotline.quality.rules import PhraseRules, PhraseRulesModel
from hotline.quality.sampling import SamplingPolicy

__all__ = ["QaConfig", "QaFile", "load_qa"]


class QaFile(FormsFile):
    sampling: SamplingPolicy = Field(default_factory=SamplingPolicy)  # type: ignore[assignment]
    phrases: PhraseRulesModel | None = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class QaConfig:
    forms: Forms
    sampling: SamplingPolicy
    phrases: PhraseRules | None


def load_qa(path: str | os.PathLike[str]) -> QaConfig:
    """Read and check a ``qa.yaml``; raises `ConfigError` listing every problem."""
    model, document = load_model(path, QaFile)
    forms = build_forms(document, model)
    phrases = PhraseRules(model.phrases) if model.phrases is not None else None
    if phrases is not None:
        _check_questions(document, model, forms, phrases)
    return QaConfig(forms, model.sampling, phrases)


def _check_questions(
    document: YamlDocument, model: QaFile, forms: Forms, phrases: PhraseRules
) -> None:
    """A rule's `question` is a yes/no question of every current form."""
    problems = []
    assert model.phrases is not None
    for i, rule in enumerate(model.phrases.rules):
        if rule.question is None:
            continue
        for form in forms.current():
            found = next((q for q in form.questions if q.id == rule.question), None)
            if found is None or found.kind != "yes_no":
                what = "no question" if found is None else "not a yes/no question"
                problems.append(
                    document.problem(
                        ("phrases", "rules", i, "question"),
                        f"{rule.question!r} is {what} of form {form.id} v{form.version}",
                    )
                )
    if problems:
        raise ConfigError(problems)

"""The site's ``qa.yaml`` whole: the evaluation forms and the policies around them — how
calls are sampled (``sampling``), what speech analytics flags and which recognizer
transcribes (``speech``), and the phrase rules over transcripts (``phrases``).

Each section is optional and has its defaults; a file is refused whole with every
problem as ``file:line:column: key: message``, as the forms are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hotline.core.config import ConfigError, YamlDocument, load_model
from hotline.quality.forms import Forms, FormsFile, build_forms
from hotline.quality.rules import PhraseRules, PhraseRulesModel
from hotline.quality.sampling import SamplingPolicy
from hotline.quality.speech import SpeechSettings
from hotline.quality.transcripts import RecognizerSettings

__all__ = ["QaConfig", "QaFile", "load_qa"]


class FlagAnswer(BaseModel):
    """A speech-analytics flag that suggests an answer to a yes/no question of the form."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    question: str = Field(min_length=1, max_length=64)
    answer: Literal["yes", "no"]


class SpeechSection(SpeechSettings):
    """``speech:``: the analytics' thresholds, the recognizer that transcribes, and the
    answers a raised flag suggests (``flag_answers: {long_silence: {question: hold,
    answer: "no"}}``)."""

    recognizer: RecognizerSettings = Field(default_factory=RecognizerSettings)
    flag_answers: dict[str, FlagAnswer] = Field(default_factory=dict)


class QaFile(FormsFile):
    sampling: SamplingPolicy = Field(default_factory=SamplingPolicy)  # type: ignore[assignment]
    speech: SpeechSection = Field(default_factory=SpeechSection)  # type: ignore[assignment]
    phrases: PhraseRulesModel | None = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class QaConfig:
    forms: Forms
    sampling: SamplingPolicy
    speech: SpeechSection
    phrases: PhraseRules | None


def load_qa(path: str | os.PathLike[str]) -> QaConfig:
    """Read and check a ``qa.yaml``; raises `ConfigError` listing every problem."""
    model, document = load_model(path, QaFile)
    forms = build_forms(document, model)
    phrases = PhraseRules(model.phrases) if model.phrases is not None else None
    _check_questions(document, model, forms)
    return QaConfig(forms, model.sampling, model.speech, phrases)


def _check_questions(document: YamlDocument, model: QaFile, forms: Forms) -> None:
    """A phrase rule's or a flag's `question` is a yes/no question of every current form."""
    named: list[tuple[tuple[str | int, ...], str]] = [
        (("speech", "flag_answers", flag, "question"), answer.question)
        for flag, answer in model.speech.flag_answers.items()
    ]
    if model.phrases is not None:
        named += [
            (("phrases", "rules", i, "question"), rule.question)
            for i, rule in enumerate(model.phrases.rules)
            if rule.question is not None
        ]
    problems = []
    for path, question in named:
        for form in forms.current():
            found = next((q for q in form.questions if q.id == question), None)
            if found is None or found.kind != "yes_no":
                what = "no question" if found is None else "not a yes/no question"
                problems.append(
                    document.problem(
                        path, f"{question!r} is {what} of form {form.id} v{form.version}"
                    )
                )
    if problems:
        raise ConfigError(problems)

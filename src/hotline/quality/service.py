"""The quality desk (质检台): open an evaluation of a call, score it on its form, let the
agent dispute it, and read the scores back from the event log for the reports.

The forms are ``qa.yaml`` beside hotline.yaml (`hotline.quality.forms`), read when used,
so an edited form applies at once; an evaluation keeps the form version it was opened
on. 监听分值 (figure 12) and the agent's scorecard read the log's
``qa.evaluation_scored`` events (`scores`), not a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hotline.core.errors import HotlineError
from hotline.core.events import Saved
from hotline.metrics.external import QaScore
from hotline.quality.forms import Answer, Form, Forms, load_forms
from hotline.quality.store import STATUSES, Evaluation, EvaluationError, Evaluations
from hotline.site.config import Site
from hotline.store.db.database import Database
from hotline.store.db.eventlog import EventLog

__all__ = [
    "STATUSES",
    "Evaluation",
    "NoFormsError",
    "QualityDesk",
    "UnknownFormError",
    "form_json",
]

QA_FILE = "qa.yaml"


class NoFormsError(HotlineError):
    """The site has no ``qa.yaml``: nothing can be scored."""

    error_id = "no-qa-forms"


class UnknownFormError(HotlineError):
    error_id = "no-such-form"


class QualityDesk:
    def __init__(self, site: Site, db: Database) -> None:
        self.site = site
        self.db = db
        self.store = Evaluations(db)

    @property
    def forms_file(self) -> Path:
        return self.site.config.folder / QA_FILE

    def forms(self) -> Forms:
        if not self.forms_file.is_file():
            raise NoFormsError(f"{self.forms_file}: no evaluation forms (qa.yaml) on this site")
        return load_forms(self.forms_file)

    def open(self, call: str, form_id: str | None, *, by: str, at: float) -> Evaluation:
        """An evaluation of `call` on the newest version of `form_id` (default: the
        file's first form), for the agent who answered it (the last answer in the log:
        after a transfer, the agent who took it over)."""
        form = self.form(form_id) if form_id else self.forms().current()[0]
        answered = EventLog(self.db).read(kinds=["contact.answered"], call=call, limit=100)
        if not answered:
            raise EvaluationError(
                f"call {call} was not answered by an agent: there is nothing to evaluate",
                call=call,
            )
        agent = str(getattr(answered[-1].event, "agent", ""))
        return self.store.open(call, agent, form.id, form.version, by=by, at=at)

    def score(
        self,
        evaluation_id: int,
        answers: dict[str, Answer],
        comment: str,
        *,
        by: str,
        at: float,
    ) -> Saved[Evaluation]:
        """Score an open evaluation on its own form version; raises `AnswerError`
        naming the question an answer does not fit."""
        evaluation = self.store.get(evaluation_id)
        try:
            form = self.forms().get(evaluation.form, evaluation.version)
        except KeyError:
            raise EvaluationError(
                f"form {evaluation.form} v{evaluation.version} is no longer in {QA_FILE}",
                evaluation=evaluation_id,
            ) from None
        result = form.score(answers)
        return self.store.score(evaluation_id, answers, result, comment, by=by, at=at)

    def dispute(self, evaluation_id: int, reason: str, *, at: float) -> Saved[Evaluation]:
        return self.store.dispute(evaluation_id, reason, at=at)

    def scores(self, start: float, end: float) -> tuple[QaScore, ...]:
        """监听分值 from the log: every evaluation scored in [start, end), at the time
        it was scored."""
        stored = EventLog(self.db).read(
            kinds=["qa.evaluation_scored"], start=start, end=end, limit=5_000_000
        )
        return tuple(
            QaScore(str(e.agent), e.at, float(e.score))  # type: ignore[attr-defined]
            for e in (s.event for s in stored)
        )

    def form(self, form_id: str, version: int | None = None) -> Form:
        """A form's `version` (default: its newest); raises `UnknownFormError`."""
        forms = self.forms()
        try:
            return forms.get(form_id, version)
        except KeyError:
            known = ", ".join(f.id for f in forms.current())
            raise UnknownFormError(f"no form {form_id!r} (forms: {known})", form=form_id) from None


def form_json(form: Form) -> dict[str, Any]:
    """A form as the scoring page shows it."""
    return {
        "id": form.id,
        "version": form.version,
        "title": form.title,
        "description": form.description,
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "questions": [
                    {
                        "id": q.id,
                        "text": q.text,
                        "weight": q.weight,
                        "answer": q.kind,
                        "steps": q.steps,
                        "na": q.na,
                        "fatal": q.fatal,
                        "critical": q.critical,
                        "when": None
                        if q.when is None
                        else {"question": q.when[0], "answer": q.when[1]},
                        "help": q.help,
                    }
                    for q in s.questions
                ],
            }
            for s in form.sections
        ],
    }


def build_service(site: Site, db: Database, orders: Any) -> QualityDesk:
    """The quality desk (the feature's service factory; a site without ``qa.yaml`` has
    one too — it says so when asked to score)."""
    return QualityDesk(site, db)

"""The quality desk (质检台): open an evaluation of a call (by hand or from the day's
sample), score it on its form, let the agent dispute it and a reviewer settle the dispute,
calibrate inspectors on one call, keep the case library, and read the scores back from
the event log for the reports.

The forms are ``qa.yaml`` beside hotline.yaml (`hotline.quality.forms`), read when used,
so an edited form applies at once; an evaluation keeps the form version it was opened
on. 监听分值 (figure 12) and the agent's scorecard read the log's
``qa.evaluation_scored`` events, each replaced by its ``qa.dispute_reviewed`` when a
dispute was overturned (`scores`), not a file.

A shift lead whose own 工号 belongs to a team (班组) scores only that team's calls; a lead
without a team (the floor's 值班长) and the inspectors score any.
"""

from __future__ import annotations

import dataclasses
import datetime
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline.core.errors import HotlineError
from hotline.core.events import Saved
from hotline.metrics.external import QaScore
from hotline.quality.config import QaConfig, load_qa
from hotline.quality.events import SamplesDrawn
from hotline.quality.forms import Answer, Form, Forms
from hotline.quality.rules import PhraseReport
from hotline.quality.sampling import (
    WEEKDAYS,
    AgentFacts,
    Calls,
    Sample,
    SamplingPolicy,
    assign,
    average_score,
    sample_day,
)
from hotline.quality.speech import SpeechError
from hotline.quality.speech import analyse as analyse_recording
from hotline.quality.store import (
    CASE_VERDICTS,
    STATUSES,
    VERDICTS,
    Analysis,
    Calibration,
    Case,
    Evaluation,
    EvaluationError,
    Evaluations,
    Opening,
    answered_calls,
    first_answers,
)
from hotline.quality.transcripts import (
    NoTranscriptError,
    RecognizerError,
    build_recognizer,
    redact_segments,
    segments_to_json,
)
from hotline.site.config import Site
from hotline.store.db.database import Database
from hotline.store.db.eventlog import EventLog
from hotline.store.db.repositories import Agents, Users

__all__ = [
    "CASE_VERDICTS",
    "STATUSES",
    "VERDICTS",
    "Calibration",
    "Case",
    "Evaluation",
    "EvaluationError",
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


class NotYourTeamError(HotlineError):
    """A team lead asked for another team's call (the API answers 403)."""

    error_id = "not-your-team"


@dataclass(frozen=True, slots=True)
class Spread:
    """How far a calibration session's inspectors are apart: on the score (range and
    standard deviation over the scored copies) and per question (the share of inspectors
    who gave the most common answer; 1.0 is full agreement)."""

    scored: int
    scores: dict[str, float]
    mean: float | None
    range: float | None
    stdev: float | None
    agreement: dict[str, float]
    disagreements: tuple[str, ...]


class QualityDesk:
    def __init__(self, site: Site, db: Database) -> None:
        self.site = site
        self.db = db
        self.store = Evaluations(db)
        self._drawing: frozenset[str] = frozenset()

    @property
    def forms_file(self) -> Path:
        return self.site.config.folder / QA_FILE

    def config(self) -> QaConfig:
        """The site's ``qa.yaml`` (forms, sampling, speech, phrases), read when used."""
        if not self.forms_file.is_file():
            raise NoFormsError(f"{self.forms_file}: no evaluation forms (qa.yaml) on this site")
        return load_qa(self.forms_file)

    def forms(self) -> Forms:
        return self.config().forms

    def team_of(self, agent: str | None) -> str | None:
        """The agent's team (班组) in the agents table, or None."""
        if not agent:
            return None
        found = Agents(self.db).get(agent)
        return (found.team or None) if found is not None else None

    def _answered(self, call: str) -> tuple[str, str]:
        """The agent and queue of the call's last answer (after a transfer, the agent who
        took it over)."""
        answered = EventLog(self.db).read(kinds=["contact.answered"], call=call, limit=100)
        if not answered:
            raise EvaluationError(
                f"call {call} was not answered by an agent: there is nothing to evaluate",
                call=call,
            )
        last = answered[-1].event
        return str(getattr(last, "agent", "")), str(getattr(last, "queue", ""))

    @staticmethod
    def _check_team(team: str | None, own_team: str | None, agent: str) -> None:
        if own_team is not None and team != own_team:
            raise NotYourTeamError(
                f"agent {agent} is not in your team {own_team}: a team lead scores their "
                "own team's calls",
                agent=agent,
            )

    def open(
        self,
        call: str,
        form_id: str | None,
        *,
        by: str,
        at: float,
        own_team: str | None = None,
    ) -> Evaluation:
        """An evaluation of `call` on the newest version of `form_id` (default: the
        file's first form), for the agent who answered it, dealt to `by`. `own_team`: the
        opener is a team lead, who may open only their team's calls."""
        form = self.form(form_id) if form_id else self.forms().current()[0]
        agent, queue = self._answered(call)
        team = self.team_of(agent)
        self._check_team(team, own_team, agent)
        opening = Opening(inspector=by, queue=queue or None, team=team)
        return self.store.open(call, agent, form.id, form.version, by=by, at=at, opening=opening)

    def claim(self, evaluation_id: int, *, by: str, own_team: str | None = None) -> Evaluation:
        evaluation = self.store.get(evaluation_id)
        self._check_team(evaluation.team, own_team, evaluation.agent)
        return self.store.claim(evaluation_id, by)

    def may_score(self, evaluation: Evaluation, *, by: str, own_team: str | None) -> None:
        """Whether `by` may score `evaluation`: it is dealt to them (or to nobody: they
        claim it by scoring), and a team lead's is of their team."""
        self._check_team(evaluation.team, own_team, evaluation.agent)
        if evaluation.inspector not in (None, by):
            raise EvaluationError(
                f"evaluation {evaluation.id} is dealt to {evaluation.inspector}",
                evaluation=evaluation.id,
            )

    def score(
        self,
        evaluation_id: int,
        answers: dict[str, Answer],
        comment: str,
        *,
        by: str,
        at: float,
        own_team: str | None = None,
    ) -> Saved[Evaluation]:
        """Score an open evaluation on its own form version (see `may_score`); raises
        `AnswerError` naming the question an answer does not fit."""
        evaluation = self.store.get(evaluation_id)
        self.may_score(evaluation, by=by, own_team=own_team)
        form = self._form_of(evaluation)
        result = form.score(answers)
        return self.store.score(evaluation_id, answers, result, comment, by=by, at=at)

    def _form_of(self, evaluation: Evaluation) -> Form:
        try:
            return self.forms().get(evaluation.form, evaluation.version)
        except KeyError:
            raise EvaluationError(
                f"form {evaluation.form} v{evaluation.version} is no longer in {QA_FILE}",
                evaluation=evaluation.id,
            ) from None

    def dispute(self, evaluation_id: int, reason: str, *, at: float) -> Saved[Evaluation]:
        return self.store.dispute(evaluation_id, reason, at=at)

    def review(
        self,
        evaluation_id: int,
        verdict: str,
        note: str,
        answers: dict[str, Answer] | None,
        *,
        by: str,
        at: float,
    ) -> Saved[Evaluation]:
        """申诉复核: uphold the disputed score, or overturn it with the answers as they
        should have been (every question that applies, as when scoring). The inspector
        who gave the score does not review their own."""
        evaluation = self.store.get(evaluation_id)
        if evaluation.scored_by == by:
            raise EvaluationError(
                f"evaluation {evaluation_id} was scored by you: another reviewer settles "
                "the dispute",
                evaluation=evaluation_id,
            )
        rescored = None
        if verdict == "overturned":
            if not answers:
                raise EvaluationError(
                    "an overturned score needs the answers as they should have been",
                    evaluation=evaluation_id,
                )
            rescored = (answers, self._form_of(evaluation).score(answers))
        return self.store.review(evaluation_id, verdict, note, rescored, by=by, at=at)

    def final_scores(self, start: float, end: float) -> list[tuple[str, float, float, bool]]:
        """Every evaluation scored in [start, end) as (agent, scored at, latest score,
        fatal): an overturned dispute's new score replaces the first."""
        log = EventLog(self.db)
        scored = log.read(kinds=["qa.evaluation_scored"], start=start, end=end, limit=5_000_000)
        if not scored:
            return []
        reviewed = {
            int(getattr(s.event, "evaluation", 0)): s.event
            for s in log.read(kinds=["qa.dispute_reviewed"], start=start, limit=5_000_000)
        }
        out = []
        for stored in scored:
            e = stored.event
            review = reviewed.get(int(getattr(e, "evaluation", 0)))
            source = review if review is not None else e
            out.append(
                (
                    str(getattr(e, "agent", "")),
                    e.at,
                    float(getattr(source, "score", 0.0)),
                    bool(getattr(source, "fatal", False)),
                )
            )
        return out

    def scores(self, start: float, end: float) -> tuple[QaScore, ...]:
        """监听分值 from the log: every evaluation scored in [start, end), at the time
        it was scored, with its latest score (after a dispute's review)."""
        return tuple(
            QaScore(agent, at, score) for agent, at, score, _ in self.final_scores(start, end)
        )

    def needs_recording(self, call: str) -> bool:
        """Whether `call` is under quality inspection (sampled, scored or a case): its
        recording must be kept (`hotline.live.demo_activity.NeedsRecordings`)."""
        if call in self._drawing:
            return True  # picked by a draw being saved now
        return bool(self.store.evaluated_calls([call]))

    # ---- the day's sample ---------------------------------------------------------------

    def draw(
        self,
        day: datetime.date,
        *,
        by: str,
        at: float,
        recorded: Callable[[], set[str]] | None = None,
    ) -> Saved[list[Evaluation]]:
        """抽样: the calls answered on `day` (the hotline's local date) that the sampling
        policy (``qa.yaml``'s ``sampling``) picks, as open evaluations on the first form,
        dealt to the active inspectors under their daily cap; what does not fit stays in
        the pool for anyone to claim. Drawing a day again adds only calls not evaluated
        yet (the day's quota counts what was drawn before). `recorded`, where the site
        records calls, lists the calls whose recording is there: only those can be
        listened to, so only those are sampled. Retention may delete a recording while
        the draw runs: the picked calls are kept (`needs_recording`) from the moment
        they are picked, and listed again then, so none is saved without its recording."""
        config = self.config()
        policy = config.sampling
        form = config.forms.current()[0]
        zone = self.site.hotline.timezone
        first = day - datetime.timedelta(
            days=(day.weekday() - WEEKDAYS.index(policy.week_start)) % 7
        )
        lo = _midnight(first, zone)
        hi = _midnight(day + datetime.timedelta(days=1), zone)
        calls = answered_calls(self.db, lo, hi, policy.min_talk_s)
        if recorded is not None:
            present = recorded()
            calls = [c for c in calls if c.call in present]
        if not calls:
            raise EvaluationError(f"no answered calls on {day.isoformat()} to sample", day=day)
        ids = [c.call for c in calls]
        evaluated = self.store.evaluated_calls(ids)
        flags = self.store.flags_of(ids)
        batch = Calls(
            call_id=ids,
            agent=[c.agent for c in calls],
            queue=[c.queue for c in calls],
            answered_at=[c.answered_at for c in calls],
            talk_s=[c.talk_s for c in calls],
            hold_s=[c.hold_s for c in calls],
            complaint=[c.complaint for c in calls],
            flags=[flags.get(c.call, ()) for c in calls],
            already_evaluated=[c.call in evaluated for c in calls],
        )
        agents = self._facts({c.agent for c in calls}, lo, policy)
        samples = sample_day(batch, agents, str(zone), day, policy)
        samples = tuple(s for s in samples if s.call not in evaluated)
        self._drawing = frozenset(s.call for s in samples)
        try:
            if recorded is not None:
                present = recorded()  # deleted since the first listing: not sampled
                samples = tuple(s for s in samples if s.call in present)
            return self._deal(samples, day, form, policy, by=by, at=at)
        finally:
            self._drawing = frozenset()

    def _deal(
        self,
        samples: Sequence[Sample],
        day: datetime.date,
        form: Form,
        policy: SamplingPolicy,
        *,
        by: str,
        at: float,
    ) -> Saved[list[Evaluation]]:
        """Deal a draw's `samples` to the inspectors and save them as open evaluations."""
        key = day.isoformat()
        dealt = assign(samples, self.inspectors(), policy.daily_cap, self.store.assigned_on(key))
        teams = {a.id: a.team or None for a in Agents(self.db).list()}
        inspector_of = {s.call: name for name, got in dealt.queues.items() for s in got}
        rows = [
            (
                s.call,
                s.agent,
                Opening(
                    inspector=inspector_of.get(s.call),
                    reasons=s.reasons,
                    sample_day=s.day.isoformat(),
                    queue=s.queue or None,
                    team=teams.get(s.agent),
                ),
            )
            for s in samples
        ]
        drawn = SamplesDrawn(
            at,
            key,
            len(samples),
            {name: len(got) for name, got in dealt.queues.items() if got},
            len(dealt.over_capacity),
            by,
        )
        return self.store.open_sampled(rows, form.id, form.version, drawn, by=by, at=at)

    def _facts(
        self, agents: set[str], week_start: float, policy: SamplingPolicy
    ) -> dict[str, AgentFacts]:
        """Each agent's hire date (their first answered call in the calls table: the day
        they began taking calls here) and average score before the week."""
        first = first_answers(self.db, agents)
        since = week_start - policy.low_score_days * 86400.0
        scores: dict[str, list[tuple[float, float]]] = {}
        for agent, scored_at, score, _ in self.final_scores(since, week_start):
            scores.setdefault(agent, []).append((scored_at, score))
        return {
            a: AgentFacts(
                hired_at=first.get(a),
                average_score=average_score(scores.get(a, ()), week_start, policy),
            )
            for a in agents
        }

    # ---- speech analytics ---------------------------------------------------------------

    def analyse(self, name: str, call: str, agent: str, path: Path, *, at: float) -> Analysis:
        """Analyse one conversation's recording and keep the result: the speech figures and
        flags (`hotline.quality.speech`), and — when ``speech.recognizer`` names one — the
        transcript with personal numbers redacted and the phrase rules' hits. A recording
        that cannot be read is kept with its reason, so it is not tried again and again;
        a recognizer that fails leaves the figures and says why."""
        config = self.config()
        settings = config.speech
        figures: dict[str, Any] | None = None
        flags: tuple[str, ...] = ()
        error: str | None = None
        seconds: float | None = None
        try:
            result = analyse_recording(path, settings)
            figures, flags, seconds = result.to_json(), result.flags, result.seconds
        except SpeechError as exc:
            error = exc.message[:500]
        transcript: list[dict[str, Any]] | None = None
        hits: dict[str, Any] | None = None
        if error is None:
            try:
                recognizer = build_recognizer(settings.recognizer)
                if recognizer is not None:
                    said = [*recognizer.transcribe(path, "caller")]
                    said += recognizer.transcribe(path, "agent")
                    segments = sorted(redact_segments(said), key=lambda x: (x.start, x.channel))
                    transcript = segments_to_json(segments)
                    if config.phrases is not None:
                        hits = _hits_json(config.phrases.check(segments, duration=seconds))
            except NoTranscriptError:
                pass  # no transcript for this recording (yet): the figures stand alone
            except RecognizerError as exc:
                hits = {"error": exc.message[:500]}
        analysis = Analysis(name, call, agent, at, figures, transcript, hits, flags, error)
        self.store.save_analysis(analysis)
        return analysis

    def analysis_view(self, call: str, agent: str) -> dict[str, Any]:
        """The stored analysis of the agent's conversation in `call` (its first recording
        analysed), with the answers it suggests for the form: the phrase rules' and those
        ``speech.flag_answers`` give the raised flags (a rule's answer wins)."""
        found = self.store.analyses(call)
        mine = [a for a in found if a.agent == agent] or found
        if not mine:
            return {"analysis": None, "error": None, "transcript": None, "hits": None,
                    "suggestions": {}}  # fmt: skip
        first = mine[0]
        suggestions: dict[str, str] = {}
        try:
            answers = self.config().speech.flag_answers
        except HotlineError:
            answers = {}
        for flag in first.flags:
            if flag in answers:
                suggestions[answers[flag].question] = answers[flag].answer
        suggestions |= dict((first.hits or {}).get("suggestions", {}))
        return {
            "recording": first.recording,
            "analysis": first.analysis,
            "error": first.error,
            "transcript": first.transcript,
            "hits": first.hits,
            "suggestions": suggestions,
        }

    # ---- calibration ------------------------------------------------------------------

    def inspectors(self) -> list[str]:
        """The active QA inspectors' usernames."""
        return sorted(u.username for u in Users(self.db).list() if u.role == "qa" and u.active)

    def calibrate(
        self, call: str, form_id: str | None, inspectors: Sequence[str], *, by: str, at: float
    ) -> tuple[Calibration, list[Evaluation]]:
        """A calibration session (校准): `call` scored by each of `inspectors` (two or
        more users who may score) on the newest version of the form."""
        names = list(dict.fromkeys(inspectors))
        if len(names) < 2:
            raise EvaluationError("a calibration needs two inspectors or more")
        scorers = {
            u.username
            for u in Users(self.db).list()
            if u.active and u.role in ("qa", "shift_lead", "supervisor", "admin")
        }
        unknown = [n for n in names if n not in scorers]
        if unknown:
            raise EvaluationError(
                f"not users who score calls: {', '.join(unknown)}", inspectors=unknown
            )
        form = self.form(form_id) if form_id else self.forms().current()[0]
        agent, _ = self._answered(call)
        return self.store.calibrate(call, agent, form.id, form.version, names, by=by, at=at)

    def spread(self, session: int) -> tuple[Calibration, list[Evaluation], Spread]:
        """A calibration session, its copies and their spread."""
        calibration = self.store.calibration(session)
        copies = self.store.list(calibration=session, limit=100)
        scored = [e for e in copies if e.score is not None and e.scored_by]
        scores = {str(e.scored_by): float(e.score or 0.0) for e in scored}
        values = list(scores.values())
        agreement: dict[str, float] = {}
        for question in {q for e in scored for q in e.answers}:
            given = [str(e.answers.get(question)) for e in scored]
            top = max(given.count(a) for a in set(given))
            agreement[question] = round(top / len(given), 4)
        spread = Spread(
            len(scored),
            scores,
            round(statistics.fmean(values), 2) if values else None,
            round(max(values) - min(values), 2) if values else None,
            round(statistics.pstdev(values), 2) if len(values) > 1 else None,
            dict(sorted(agreement.items())),
            tuple(sorted(q for q, share in agreement.items() if share < 1.0)),
        )
        return calibration, sorted(copies, key=lambda e: e.id), spread

    # ---- the case library ---------------------------------------------------------------

    def add_case(
        self,
        evaluation_id: int,
        verdict: str,
        title: str,
        comment: str,
        topic: str | None,
        teams: Sequence[str],
        *,
        by: str,
        at: float,
    ) -> Saved[Case]:
        """A scored call into the case library (案例库) as a good or a bad example."""
        evaluation = self.store.get(evaluation_id)
        if evaluation.status == "open" or evaluation.calibration is not None:
            raise EvaluationError(
                f"evaluation {evaluation_id} is not a scored evaluation of the agent",
                evaluation=evaluation_id,
            )
        return self.store.add_case(evaluation, verdict, title, comment, topic, teams, by=by, at=at)

    def cases_for(self, team: str | None, *, everyone: bool) -> list[Case]:
        """The cases a viewer may listen to: all (`everyone`: inspectors, leads,
        supervisors), else those shared with every team or with `team`."""
        cases = self.store.cases()
        if everyone:
            return cases
        return [c for c in cases if not c.teams or (team is not None and team in c.teams)]

    # ---- reports ------------------------------------------------------------------------

    def report(self, start: float, end: float, by: str) -> dict[str, Any]:
        """质检报表 for [start, end) and the period of the same length before it: per
        agent, team, queue, inspector or form section — evaluations, the average score,
        the fatal-item rate and the dispute rate — and the calibration sessions' spread."""
        length = end - start
        now, before = (
            self._rows(start, end, by),
            self._rows(start - length, start, by),
        )
        rows = []
        for key in sorted(set(now) | set(before)):
            row = {"key": key, **_summary(now.get(key, []))}
            previous = _summary(before.get(key, []))
            row["previous_average"] = previous["average"]
            row["trend"] = (
                round(row["average"] - previous["average"], 2)
                if row["average"] is not None and previous["average"] is not None
                else None
            )
            rows.append(row)
        total = _summary([e for group in now.values() for e in group]) if by != "section" else None
        spreads = []
        for calibration in self.store.calibrations(limit=200):
            if start <= calibration.created_at < end:
                _, _, spread = self.spread(calibration.id)
                spreads.append(
                    {
                        "calibration": calibration.id,
                        "call": calibration.call,
                        "scored": spread.scored,
                        "range": spread.range,
                        "stdev": spread.stdev,
                        "disagreements": list(spread.disagreements),
                    }
                )
        return {"by": by, "rows": rows, "total": total, "calibrations": spreads}

    def _rows(self, start: float, end: float, by: str) -> dict[str, list[Evaluation]]:
        scored = self.store.list(
            statuses=("scored", "disputed", "reviewed"), since=start, until=end, limit=1_000_000
        )
        groups: dict[str, list[Evaluation]] = {}
        for e in scored:
            if by == "section":
                for section in (e.result or {}).get("sections", {}):
                    groups.setdefault(section, []).append(e)
                continue
            key = {
                "agent": e.agent,
                "team": e.team or "",
                "queue": e.queue or "",
                "inspector": e.scored_by or "",
                "form": e.form,
            }[by]
            groups.setdefault(key, []).append(e)
        if by == "section":
            return {k: [_section_view(e, k) for e in v] for k, v in groups.items()}
        return groups

    def form(self, form_id: str, version: int | None = None) -> Form:
        """A form's `version` (default: its newest); raises `UnknownFormError`."""
        forms = self.forms()
        try:
            return forms.get(form_id, version)
        except KeyError:
            known = ", ".join(f.id for f in forms.current())
            raise UnknownFormError(f"no form {form_id!r} (forms: {known})", form=form_id) from None


def _section_view(evaluation: Evaluation, section: str) -> Evaluation:
    """The evaluation seen through one form section: its score is the section's."""
    value = (evaluation.result or {}).get("sections", {}).get(section)
    return dataclasses.replace(evaluation, score=None if value is None else float(value))


def _summary(evaluations: Iterable[Evaluation]) -> dict[str, Any]:
    """Count, average score, fatal-item rate and dispute rate of scored evaluations
    (rates over the evaluations; None when there are none)."""
    rows = [e for e in evaluations if e.score is not None]
    n = len(rows)
    fatal = sum(1 for e in rows if (e.result or {}).get("fatal"))
    disputed = sum(1 for e in rows if e.dispute is not None)
    return {
        "evaluations": n,
        "average": round(statistics.fmean(e.score or 0.0 for e in rows), 2) if n else None,
        "fatal_rate": round(fatal / n, 4) if n else None,
        "dispute_rate": round(disputed / n, 4) if n else None,
        "overturned": sum(1 for e in rows if e.review_verdict == "overturned"),
    }


def _hits_json(report: PhraseReport) -> dict[str, Any]:
    return {
        "hits": [
            {
                "rule": h.rule,
                "kind": h.kind,
                "channel": h.channel,
                "phrase": h.phrase,
                "text": h.text,
                "start": h.start,
                "end": h.end,
                "by": h.by,
            }
            for h in report.hits
        ],
        "failed": [o.rule for o in report.failed],
        "suggestions": dict(report.suggestions),
    }


def _midnight(day: datetime.date, zone: datetime.tzinfo) -> float:
    return datetime.datetime.combine(day, datetime.time(), zone).timestamp()


def day_of(at: float, zone: datetime.tzinfo) -> str:
    return datetime.datetime.fromtimestamp(at, zone).date().isoformat()


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

"""The demo's simulated back office: orders from simulated agents' calls, and their follow-up.

`hotline demo` is a living center: when a simulated agent (never a seat a person takes)
ends a conversation, it records a work order of the type the caller's intent calls for
(configured shares) with plausible Chinese field values and closes the call with a
disposition; the order's department is given it (交办), reports its milestones (跟进)
and answers (答复) after delays drawn from distributions, a configured share after the
deadline ran out, so the deadline scan raises 催办 and the simulated shift lead chases
(督办); answered orders get their return visit (回访) and are archived. Every step is a
command of the order service (`OrderDesk`), on the engine's clock, published like the
API's; the draws come from one seeded generator, in the clock's order.

The configuration is ``backoffice.yaml`` next to the hotline's file
(`load_backoffice`: every problem named with its file and line).
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
import logging
import random
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from hotline.calls.events import CallDisposition
from hotline.core.clock import VirtualClock
from hotline.core.config import ConfigError, load_model
from hotline.core.events import Event, EventBus
from hotline.core.ids import AgentId, CallId
from hotline.orders.config import OrderConfig, OrderType
from hotline.orders.errors import OrderError, StaleOrderError, TransitionError
from hotline.orders.model import DeadlineStatus, Expedite, OrderState
from hotline.orders.service import OrderDesk, Outcome
from hotline.sim.distributions import Distribution, Uniform
from hotline.sim.transcripts import write_transcript
from hotline.sim.voices import Voices, write_wav

log = logging.getLogger(__name__)

Share = Annotated[float, Field(ge=0, le=1)]
Phrases = Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]

LEAD = "值班长"
VISIT_TEAM = "回访组"
RETRY = 60.0
"""Engine seconds before a step tries again when someone else saved the order meanwhile."""
GENERATED = frozenset({"customer_name", "phone", "address", "area"})
"""Text fields the back office makes up without a phrase list (names, the caller's number,
addresses and streets)."""
RUNNING = frozenset({DeadlineStatus.OK, DeadlineStatus.NEAR, DeadlineStatus.OVERDUE})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DispositionsModel(_Model):
    order: str = "order_created"
    complaint: str = "complaint"
    complaint_types: list[str] = ["complaint", "tip_off"]
    answered: str = "solved"


class DepartmentsModel(_Model):
    assign_after: Distribution = Uniform(dist="uniform", low=20, high=120)
    step_after: Distribution
    late: Share = 0.2
    late_by: Distribution


class ShiftLeadModel(_Model):
    every: Annotated[float, Field(gt=0)] = 300.0
    after: Distribution
    share: Share = 0.7


class VisitsModel(_Model):
    after: Distribution
    scores: dict[Annotated[int, Field(ge=1, le=5)], Annotated[float, Field(ge=0)]]
    archive_after: Distribution


class RecordingsModel(_Model):
    keep: Annotated[int, Field(ge=1)] = 120
    seconds: Distribution = Uniform(dist="uniform", low=8, high=20)


class OpinionsModel(_Model):
    satisfied: Phrases
    unsatisfied: Phrases


class PhrasesModel(_Model):
    surnames: Phrases
    given: Phrases
    streets: Phrases
    districts: Phrases
    answered: Phrases
    fields: dict[str, dict[str, Phrases]] = {}
    opinions: OpinionsModel


class BackOfficeModel(_Model):
    """``backoffice.yaml`` (see the module docstring and docs/configuration.md)."""

    intents: dict[str, dict[str, Share]]
    dispositions: DispositionsModel = DispositionsModel()
    recorded_after: Distribution = Uniform(dist="uniform", low=5, high=25)
    departments: DepartmentsModel
    shift_lead: ShiftLeadModel
    visits: VisitsModel
    recordings: RecordingsModel = RecordingsModel()
    phrases: PhrasesModel


def load_backoffice(
    path: Path, *, intents: Collection[str], orders: OrderConfig, dispositions: Collection[str]
) -> BackOfficeModel:
    """Read and check ``backoffice.yaml`` against the scenario's `intents`, the order types
    and the desk's `dispositions`; raises `ConfigError` naming each problem's line."""
    model, document = load_model(path, BackOfficeModel)
    problems = []
    for intent, shares in model.intents.items():
        if intent not in intents:
            known = ", ".join(intents)
            problems.append(
                document.problem(("intents", intent), f"no intent {intent!r} (intents: {known})")
            )
        if sum(shares.values()) > 1.0 + 1e-9:
            problems.append(document.problem(("intents", intent), "the shares add up to over 1"))
        for type_name in shares:
            kind = orders.types.get(type_name)
            where = ("intents", intent, type_name)
            if kind is None:
                known = ", ".join(orders.types)
                problems.append(
                    document.problem(where, f"no order type {type_name!r} (types: {known})")
                )
                continue
            pools = model.phrases.fields.get(type_name, {})
            for spec in kind.fields:
                needed = spec.required and spec.type == "str" and spec.name not in GENERATED
                if needed and spec.name not in pools:
                    message = f"{type_name}: no phrases.fields.{type_name}.{spec.name} list"
                    problems.append(document.problem(where, message))
    codes = model.dispositions
    for key in ("order", "complaint", "answered"):
        if getattr(codes, key) not in dispositions:
            message = f"no disposition {getattr(codes, key)!r} (desk.dispositions: "
            problems.append(
                document.problem(("dispositions", key), message + ", ".join(dispositions) + ")")
            )
    if problems:
        raise ConfigError(problems)
    return model


@dataclasses.dataclass(frozen=True, slots=True)
class Due:
    """An order as a step finds it: its state and round, the index of its next step,
    and when that step's deadline runs out (None: no deadline running)."""

    state: OrderState
    round: int
    step: str
    due: float | None


@dataclasses.dataclass(slots=True)
class Work:
    """One piece of the back office's database work: `action` on an order desk whose
    clock reads `at`, then `then` with its result on the engine's thread."""

    at: float
    action: Callable[[OrderDesk], Any]
    then: Callable[[Any], None]
    retry: Callable[[], None]
    result: Any = None
    failed: type[Exception] | None = None

    def run(self, desk: OrderDesk) -> None:
        """Run the action (in any thread); a stale or moved-on order is noted, not raised."""
        try:
            self.result = self.action(desk)
        except StaleOrderError:
            self.failed = StaleOrderError
        except TransitionError as e:
            log.debug("the back office leaves an order a person moved on: %s", e)
            self.failed = TransitionError
        except OrderError as e:  # not the back office's to fix: said, and let be
            log.warning("the back office's step was refused: %s", e)
            self.failed = OrderError


class BackOffice:
    """The simulated agents' orders and the simulated departments, lead and visit team.

    Its decisions (what to record, when, how late) are drawn on the engine's thread in
    the clock's order; the order commands run at once (`deferred` False: the night run
    at start, tests) or, while the demo runs live, are queued for a worker thread
    (`take_work`, `finish`) like the API's commands, each on a desk whose clock reads
    the moment it was decided."""

    MAX_QUEUED = 5000
    """Work waiting beyond this (a demo far faster than the database): new calls are
    answered without an order until the queue shrinks."""

    def __init__(
        self,
        model: BackOfficeModel,
        *,
        clock: VirtualClock,
        desk: OrderDesk,
        publish: Callable[[Sequence[Event]], None],
        bus: EventBus,
        seed: int,
        timezone: datetime.tzinfo,
        recordings: Path | None = None,
    ) -> None:
        """`publish` hands the events the store committed with an order to the live
        subscribers (the runtime's `publish_stored`); `bus` carries the dispositions;
        `recordings`, when given, gets each answered call's synthesized WAV file."""
        self.model = model
        self.clock = clock
        self.desk = desk
        self._publish = publish
        self._bus = bus
        self._tz = timezone
        self.rng = rng = random.Random(seed)
        self._seed = seed
        self._lead_rng = random.Random(seed + 1)
        self._recorded_after = model.recorded_after.sampler(rng)
        departments = model.departments
        self._assign_after = departments.assign_after.sampler(rng)
        self._step_after = departments.step_after.sampler(rng)
        self._late_by = departments.late_by.sampler(rng)
        self._lead_after = model.shift_lead.after.sampler(self._lead_rng)
        self._visit_after = model.visits.after.sampler(rng)
        self._archive_after = model.visits.archive_after.sampler(rng)
        self._seconds = model.recordings.seconds.sampler(rng)
        scores = sorted(model.visits.scores.items())
        self._scores = [s for s, _ in scores]
        self._score_weights = [w for _, w in scores]
        self._served: set[CallId] = set()
        self._chased: set[int] = set()  # expedite tasks decided on
        self._folder = recordings
        self._files: collections.deque[Path] = collections.deque()
        self._voices = Voices() if recordings is not None else None
        self.retain: Callable[[str], bool] | None = None
        """Calls whose recording the hotline still needs (under quality inspection): their
        files are not pruned with the oldest."""
        self.deferred = False
        self._queue: collections.deque[Work] = collections.deque()
        self.orders_created = 0

    def start(self) -> None:
        """Begin the shift lead's rounds (the deadline scan, then 督办)."""
        self.clock.call_later(self.model.shift_lead.every, self._lead_round)

    # ---- running the work ---------------------------------------------------------------

    def desk_at(self, at: float) -> OrderDesk:
        """The order desk with its clock at `at` (the API's `desk_of`)."""
        return OrderDesk(self.desk.config, self.desk.store, lambda: at)

    def _submit(
        self,
        action: Callable[[OrderDesk], Any],
        then: Callable[[Any], None],
        retry: Callable[[], None],
    ) -> None:
        work = Work(self.clock.now(), action, then, retry)
        if self.deferred:
            self._queue.append(work)
            return
        work.run(self.desk)  # its clock is the engine's: now
        self.finish([work])

    def take_work(self) -> list[Work]:
        """The queued work, oldest first, to `Work.run` off the engine's thread (each on
        `desk_at(work.at)`), then hand to `finish`."""
        taken = list(self._queue)
        self._queue.clear()
        return taken

    def finish(self, done: Sequence[Work]) -> None:
        """On the engine's thread: each finished piece's follow-up (or a retry)."""
        for work in done:
            if work.failed is StaleOrderError:
                self.clock.call_later(RETRY, work.retry)
            elif work.failed is None:
                work.then(work.result)

    def _later(self, delay: float, step: Callable[..., None], *args: object) -> None:
        self.clock.call_later(max(delay, 1.0), step, *args)

    def _publish_all(self, outcomes: Sequence[Outcome | None]) -> None:
        for outcome in outcomes:
            if outcome is not None:
                self._publish(outcome.events)

    # ---- the simulated agents -----------------------------------------------------------

    def served(self, call: CallId, agent: AgentId, intent: str, caller: str) -> None:
        """A simulated agent ended the conversation (`Population.on_served`): the order,
        or the answer, is recorded during wrap-up."""
        if call in self._served:
            return  # a transferred call: the first agent recorded it
        self._served.add(call)
        if self._voices is not None:
            self._record(call, agent)
        shares = self.model.intents.get(intent, {})
        draw, chosen = self.rng.random(), None
        for type_name, share in shares.items():
            draw -= share
            if draw < 0:
                chosen = type_name
                break
        if len(self._queue) > self.MAX_QUEUED:
            chosen = None
        self.clock.call_later(self._recorded_after(), self._wrap_up, call, agent, caller, chosen)

    def _wrap_up(self, call: CallId, agent: AgentId, caller: str, type_name: str | None) -> None:
        codes = self.model.dispositions
        now = self.clock.now()
        if type_name is None:
            note = self.rng.choice(self.model.phrases.answered)
            self._bus.publish(CallDisposition(now, call, agent, codes.answered, note))
            return
        kind = self.desk.kind(type_name)
        fields = self._fields(type_name, kind, caller)
        if type_name in codes.complaint_types:
            code, note = codes.complaint, str(fields.get("content", "投诉受理"))
        else:
            code, note = codes.order, ""

        def action(desk: OrderDesk) -> Outcome:
            return desk.create(type_name, fields, by=agent, caller=caller, call=str(call))

        def then(outcome: Outcome) -> None:
            self._publish(outcome.events)
            self.orders_created += 1
            order = outcome.order
            text = note or f"工单 {order.id}"
            self._bus.publish(CallDisposition(self.clock.now(), call, agent, code, text))
            if kind.department is not None:
                self._later(self._assign_after(), self._assign, order.id, agent)

        self._submit(action, then, lambda: self._wrap_up(call, agent, caller, type_name))

    def _fields(self, type_name: str, kind: OrderType, caller: str) -> dict[str, object]:
        rng, phrases = self.rng, self.model.phrases
        pools = phrases.fields.get(type_name, {})
        district, street = rng.choice(phrases.districts), rng.choice(phrases.streets)
        fields: dict[str, object] = {}
        for spec in kind.fields:
            name = spec.name
            if name in pools:
                fields[name] = rng.choice(pools[name])
            elif spec.type == "choice" and spec.choices:
                fields[name] = rng.choice(spec.choices)
            elif spec.type == "int":
                fields[name] = rng.randint(1, 500)
            elif spec.type == "date":
                fields[name] = datetime.datetime.fromtimestamp(self.clock.now(), self._tz).date()
            elif name == "customer_name":
                fields[name] = rng.choice(phrases.surnames) + rng.choice(phrases.given)
            elif name == "phone":
                fields[name] = caller
            elif name == "address":
                fields[name] = f"{district}{street}{rng.randint(1, 300)}号"
            elif name == "area":
                fields[name] = f"{district}{street}"
        return fields

    def _record(self, call: CallId, agent: AgentId) -> None:
        assert self._folder is not None
        assert self._voices is not None
        turns: list[tuple[str, float, float]] = []
        left, right = self._voices.conversation(self.rng, max(1.0, self._seconds()), turns)
        self._folder.mkdir(parents=True, exist_ok=True)
        path = self._folder / f"{call}-{agent}.wav"
        write_wav(path, left, right)
        write_transcript(path, turns, str(agent), f"{self._seed}-{call}")
        self._files.append(path)
        while len(self._files) > self.model.recordings.keep:
            old = self._files.popleft()
            if self.retain is not None and self.retain(old.stem.rpartition("-")[0]):
                continue  # kept for quality inspection, beyond the newest `keep`
            old.unlink(missing_ok=True)
            old.with_name(old.stem + ".transcript.json").unlink(missing_ok=True)

    # ---- the departments ----------------------------------------------------------------

    @staticmethod
    def _due(desk: OrderDesk, order_id: int, index: int) -> Due | None:
        """The order's next step (by `index` among its milestones and the answer) and its
        running deadline, or None when the order is not with its department."""
        order = desk.get(order_id)
        if order.state is not OrderState.ASSIGNED:
            return None
        kind = desk.kind(order.type)
        steps = [*kind.milestones, "answered"]
        step = steps[min(index, len(steps) - 1)]
        rule = next((r for r in kind.deadlines if r.until == step), None)
        due = None
        if rule is not None:
            found = {d.name: d for d in desk.deadlines(order)}
            deadline = found.get(rule.name)
            if deadline is not None and deadline.status in RUNNING:
                due = deadline.due
        return Due(order.state, order.round, step, due)

    def _assign(self, order_id: int, agent: str) -> None:
        def action(desk: OrderDesk) -> tuple[Outcome | None, Due | None]:
            order = desk.get(order_id)
            department = desk.kind(order.type).department
            if order.state is not OrderState.ACCEPTED or department is None:
                return None, None
            outcome = desk.assign(order_id, department, by=agent)
            return outcome, self._due(desk, order_id, 0)

        def then(result: tuple[Outcome | None, Due | None]) -> None:
            outcome, due = result
            self._publish_all([outcome])
            if due is not None:
                self._plan(order_id, 0, due)

        self._submit(action, then, lambda: self._assign(order_id, agent))

    def _plan(self, order_id: int, index: int, found: Due) -> None:
        """Plan the order's next step: before its deadline, or a share of them after."""
        now = self.clock.now()
        late = self.rng.random() < self.model.departments.late
        on_time = self._step_after()
        if found.due is None:
            delay = on_time
        elif late:
            delay = found.due - now + self._late_by()
        else:
            delay = min(on_time, 0.9 * (found.due - now))
        self._later(delay, self._step, order_id, index, found.step, found.round)

    def _step(self, order_id: int, index: int, step: str, round_: int) -> None:
        def action(desk: OrderDesk) -> tuple[list[Outcome], Due | None, bool]:
            order = desk.get(order_id)
            if order.state is not OrderState.ASSIGNED or order.round != round_:
                return [], None, False
            department = desk.config.departments.get(order.department or "", LEAD)
            if step == "answered":
                note = "已处理完毕, 已答复客户"
                outcome = desk.answer(order_id, by=department, note=note)
                visit = desk.pending_visit(outcome.order) is not None
                return [outcome], None, visit
            outcome = desk.follow_up(order_id, step, by=department)
            return [outcome], self._due(desk, order_id, index + 1), False

        def then(result: tuple[list[Outcome], Due | None, bool]) -> None:
            outcomes, due, visit = result
            self._publish_all(outcomes)
            if due is not None:
                self._plan(order_id, index + 1, due)
            if visit:
                self._later(self._visit_after(), self._visit, order_id, round_)

        self._submit(action, then, lambda: self._step(order_id, index, step, round_))

    # ---- the return-visit team and the shift lead ---------------------------------------

    def _visit(self, order_id: int, round_: int) -> None:
        score = self.rng.choices(self._scores, self._score_weights)[0]
        opinions = self.model.phrases.opinions
        opinion = self.rng.choice(opinions.satisfied if score > 2 else opinions.unsatisfied)

        def action(desk: OrderDesk) -> tuple[Outcome | None, Due | None]:
            order = desk.get(order_id)
            if order.state is not OrderState.ANSWERED or order.round != round_:
                return None, None
            outcome = desk.visit(order_id, score=score, opinion=opinion, by=VISIT_TEAM)
            # unsatisfied: the order is back with its department, for a new answer
            return outcome, self._due(desk, order_id, 10**6)

        def then(result: tuple[Outcome | None, Due | None]) -> None:
            outcome, due = result
            if outcome is None:
                return
            self._publish(outcome.events)
            if due is not None:
                self._plan(order_id, 10**6, due)
            elif outcome.order.state is OrderState.VISITED:
                self._later(self._archive_after(), self._archive, order_id, outcome.order.round)

        self._submit(action, then, lambda: self._visit(order_id, round_))

    def _archive(self, order_id: int, round_: int) -> None:
        def action(desk: OrderDesk) -> Outcome | None:
            order = desk.get(order_id)
            if order.state is not OrderState.VISITED or order.round != round_:
                return None
            return desk.archive(order_id, by=LEAD)

        self._submit(
            action,
            lambda outcome: self._publish_all([outcome]),
            lambda: self._archive(order_id, round_),
        )

    def _lead_round(self) -> None:
        """The deadline scan (催办 tasks for deadlines run out), then 督办 planned for a
        share of the new tasks; the rest wait for a person on the board."""
        self.clock.call_later(self.model.shift_lead.every, self._lead_round)

        def action(desk: OrderDesk) -> tuple[list[Outcome], list[Expedite]]:
            return desk.scan(), desk.store.expedites()

        def then(result: tuple[list[Outcome], list[Expedite]]) -> None:
            outcomes, tasks = result
            self._publish_all(outcomes)
            for task in tasks:
                if task.id in self._chased:
                    continue
                self._chased.add(task.id)
                if self._lead_rng.random() < self.model.shift_lead.share:
                    delay = task.raised_at + self._lead_after() - self.clock.now()
                    self._later(delay, self._chase, task.id, task.order)

        self._submit(action, then, lambda: None)

    def _chase(self, task_id: int, order_id: int) -> None:
        def action(desk: OrderDesk) -> Outcome | None:
            still_open = any(t.id == task_id for t in desk.store.expedites())
            order = desk.get(order_id)
            if not still_open or order.state not in (
                OrderState.ASSIGNED,
                OrderState.WAITING_CUSTOMER,
            ):
                return None
            return desk.expedite(order_id, by=LEAD, note="请尽快处理并反馈")

        self._submit(
            action,
            lambda outcome: self._publish_all([outcome]),
            lambda: self._chase(task_id, order_id),
        )

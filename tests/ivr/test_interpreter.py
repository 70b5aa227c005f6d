"""The IVR interpreter walking flows against a scripted caller on a fake switch."""

from __future__ import annotations

import pytest

from hotline.core.customer import ListMark, Tier
from hotline.core.ids import AgentId, CallId
from hotline.ivr import (
    MAX_NODES_WITHOUT_INPUT,
    CallbackOffered,
    CallContext,
    CallInIvrError,
    IdentityChecked,
    InputFailed,
    IvrAborted,
    IvrEntered,
    IvrExit,
    IvrExited,
    IvrStopped,
    LookupDone,
    MenuChosen,
    MissingLookupError,
    SurveyScored,
    UnknownFlowError,
)

MENU = """\
flow: menu
start: menu
prompts:
  menu: {text: "故障报修请按1，业务查询请按2", duration: 3}
  invalid: {text: "按键无效", duration: 1}
nodes:
  menu:
    type: menu
    prompt: menu
    choices: {"1": to_fault, "2": to_query}
    timeout: 5
    retries: 3
    invalid_prompt: invalid
    on_fail: to_vip
  to_fault: {type: queue, queue: fault}
  to_query: {type: queue, queue: query}
  to_vip: {type: queue, queue: vip}
"""


def elapsed(harness) -> float:
    return harness.clock.now() - harness.exits[0][0].arrived_at


# --- menus ---------------------------------------------------------------------------


def test_menu_choice_routes_to_the_right_queue(harness) -> None:
    harness.build(harness.flow(MENU))
    harness.call("menu", "2")
    assert harness.exit == IvrExit(kind="queue", node="to_query", queue="query", outcome="queued")
    assert harness.events.kinds() == ["ivr.entered", "ivr.menu_chosen", "ivr.exited"]
    (chosen,) = harness.events.of(MenuChosen)
    assert (chosen.call, chosen.node, chosen.choice) == ("c1", "menu", "2")
    (exited,) = harness.events.of(IvrExited)
    assert (exited.flow, exited.node, exited.exit_kind, exited.outcome, exited.queue) == (
        "menu",
        "to_query",
        "queue",
        "queued",
        "query",
    )
    assert elapsed(harness) == 3 + 1  # the prompt, then one key
    assert not harness.runner.is_running(CallId("c1"))


def test_no_key_uses_every_retry_then_takes_on_fail(harness) -> None:
    harness.build(harness.flow(MENU))
    harness.call("menu")  # the caller never presses a key
    assert harness.exit.node == "to_vip"
    assert harness.switch.prompts() == ["menu", "invalid", "menu", "invalid", "menu"]
    (failed,) = harness.events.of(InputFailed)
    assert (failed.node, failed.attempts) == ("menu", 3)
    assert elapsed(harness) == 3 * (3 + 5) + 2 * 1
    assert harness.events.of(MenuChosen) == []


def test_invalid_key_plays_the_invalid_prompt_and_asks_again(harness) -> None:
    harness.build(harness.flow(MENU))
    harness.call("menu", "7", "1")
    assert harness.exit.queue == "fault"
    assert harness.switch.prompts() == ["menu", "invalid", "menu"]
    assert harness.events.of(InputFailed) == []


def test_menu_without_invalid_prompt_just_repeats(harness) -> None:
    harness.build(harness.flow(MENU.replace("    invalid_prompt: invalid\n", "")))
    harness.call("menu", "#", "", "1")
    assert harness.exit.queue == "fault"
    assert harness.switch.prompts() == ["menu", "menu", "menu"]


# --- collect -------------------------------------------------------------------------

COLLECT = """\
flow: collect
start: ask
prompts:
  ask: {text: "请输入户号，以井号键结束", duration: 4}
  again: {text: "输入有误", duration: 1}
nodes:
  ask:
    type: collect
    prompt: ask
    var: account
    min_digits: 6
    max_digits: 10
    terminator: "#"
    timeout: 8
    retries: 2
    invalid_prompt: again
    next: done
    on_fail: to_query
  done: {type: hangup, outcome: self_served}
  to_query: {type: queue, queue: query}
"""


def test_collect_stops_at_the_terminator_and_refuses_too_few_digits(harness) -> None:
    harness.build(harness.flow(COLLECT))
    ctx = harness.call("collect", "123#", "1234567#")
    assert ctx.variables["account"] == "1234567"
    assert harness.exit.node == "done"
    assert harness.switch.prompts() == ["ask", "again", "ask"]
    collect = next(entry for entry in harness.switch.log if entry[0] == "collect")
    assert collect[3:] == (10, 8.0, "#")  # max_digits, timeout, terminator


def test_collect_ends_at_max_digits(harness) -> None:
    harness.build(harness.flow(COLLECT))
    ctx = harness.call("collect", "123456789012")
    assert ctx.variables["account"] == "1234567890"


def test_collect_gives_up_after_its_retries(harness) -> None:
    harness.build(harness.flow(COLLECT))
    ctx = harness.call("collect", "12#", "")
    assert harness.exit.node == "to_query"
    assert "account" not in ctx.variables
    (failed,) = harness.events.of(InputFailed)
    assert failed.attempts == 2


# --- identity ------------------------------------------------------------------------

VERIFY = """\
flow: verify
start: verify
prompts:
  password: {text: "请输入查询密码", duration: 3}
  wrong: {text: "密码错误", duration: 1}
nodes:
  verify:
    type: verify
    method: METHOD
    account_var: account
    password_prompt: password
    retries: 3
    invalid_prompt: wrong
    ok: good
    fail: bad
  good: {type: hangup, outcome: self_served}
  bad: {type: queue, queue: query}
"""


def verify_flow(harness, method: str = "password_or_bound_phone"):
    return harness.flow(VERIFY.replace("METHOD", method))


def test_bound_phone_needs_no_password(harness) -> None:
    harness.build(verify_flow(harness))
    ctx = harness.call("verify", account="1234567890", caller="13800000001")
    assert harness.exit.node == "good"
    assert harness.switch.log == []  # nothing played, nothing asked
    assert ctx.verified
    assert ctx.variables["account"] == "1234567890"
    (checked,) = harness.events.of(IdentityChecked)
    assert (checked.method, checked.ok) == ("bound_phone", True)


def test_without_an_account_identity_is_refused_without_asking(harness) -> None:
    harness.build(verify_flow(harness))
    ctx = harness.call("verify", "123456#", caller="13700000000")
    assert harness.exit.node == "bad"
    assert harness.switch.log == []
    assert not ctx.verified
    (checked,) = harness.events.of(IdentityChecked)
    assert (checked.method, checked.ok) == ("bound_phone", False)


def test_right_password_from_another_phone(harness) -> None:
    harness.build(verify_flow(harness))
    ctx = harness.call("verify", "123456#", caller="13700000000", account="1234567890")
    assert harness.exit.node == "good"
    assert ctx.verified
    assert harness.verifier.password_checks == [("1234567890", "123456")]
    assert harness.switch.prompts() == ["password"]
    (checked,) = harness.events.of(IdentityChecked)
    assert (checked.method, checked.ok) == ("password", True)


def test_wrong_password_then_right_one(harness) -> None:
    harness.build(verify_flow(harness))
    ctx = harness.call("verify", "000000#", "123456#", caller="13700000000", account="1234567890")
    assert harness.exit.node == "good"
    assert ctx.verified
    assert harness.switch.prompts() == ["password", "wrong", "password"]


def test_wrong_password_every_time_fails(harness) -> None:
    harness.build(verify_flow(harness))
    ctx = harness.call(
        "verify", "1#", "2#", "", "999999#", caller="13700000000", account="1234567890"
    )
    assert harness.exit.node == "bad"
    assert not ctx.verified
    assert len(harness.verifier.password_checks) == 2  # an empty entry is not checked
    (checked,) = harness.events.of(IdentityChecked)
    assert (checked.method, checked.ok) == ("password", False)
    (failed,) = harness.events.of(InputFailed)
    assert failed.attempts == 3
    assert list(harness.switch.script) == ["999999#"]  # never asked a fourth time


def test_bound_phone_method_never_asks_a_password(harness) -> None:
    harness.build(verify_flow(harness, "bound_phone"))
    harness.call("verify", caller="13700000000", account="1234567890")
    assert harness.exit.node == "bad"
    assert harness.switch.log == []


def test_password_method_asks_even_from_the_bound_phone(harness) -> None:
    harness.build(verify_flow(harness, "password"))
    harness.call("verify", "123456#", caller="13800000001", account="1234567890")
    assert harness.exit.node == "good"
    assert harness.switch.prompts() == ["password"]


# --- lookups -------------------------------------------------------------------------

LOOKUP = """\
flow: bill
start: ask
prompts:
  ask: {text: "请输入户号", duration: 2}
  amount: {text: "本期电费{amount}元，截止日期{due_date}", duration: 6}
nodes:
  ask: {type: collect, prompt: ask, var: account, max_digits: 10, next: find, on_fail: agent}
  find:
    type: lookup
    lookup: bill
    args: {account: "{account}", from: "{caller}", fixed: "95598"}
    ok: say
    not_found: agent
  say: {type: play, prompt: amount, next: bye}
  bye: {type: hangup}
  agent: {type: queue, queue: query}
"""


def test_lookup_found_merges_its_result_into_the_variables(harness) -> None:
    flow = harness.flow(LOOKUP)
    harness.build(flow)
    ctx = harness.call("bill", "1234567890")
    assert harness.exit == IvrExit(kind="hangup", node="bye", outcome="self_served")
    assert harness.lookups.calls == [
        ("bill", {"account": "1234567890", "from": "13800000001", "fixed": "95598"})
    ]
    assert ctx.variables["amount"] == "128.50"
    assert flow.render("amount", ctx.variables) == "本期电费128.50元，截止日期2025-10-25"
    (done,) = harness.events.of(LookupDone)
    assert (done.lookup, done.found) == ("bill", True)


def test_lookup_not_found(harness) -> None:
    harness.build(harness.flow(LOOKUP))
    ctx = harness.call("bill", "5555555555")
    assert harness.exit.queue == "query"
    assert "amount" not in ctx.variables
    (done,) = harness.events.of(LookupDone)
    assert done.found is False


def test_a_lookup_the_runner_lacks_is_refused_at_construction(harness) -> None:
    flow = harness.flow(LOOKUP)
    harness.lookups.as_mapping = dict  # no lookups at all
    with pytest.raises(MissingLookupError, match="uses lookup 'bill'"):
        harness.build(flow)


# --- branches ------------------------------------------------------------------------

BRANCH = """\
flow: branch
start: init
prompts: {}
nodes:
  init: {type: set, vars: {x: "VALUE", y: "{x}!"}, next: check}
  check:
    type: branch
    cases:
      - {when: WHEN, goto: hit}
    default: miss
  hit: {type: queue, queue: fault}
  miss: {type: queue, queue: query}
"""


def branch(harness, when: str, *, value: str = "0", **call) -> bool:
    harness.build(harness.flow(BRANCH.replace("WHEN", when).replace("VALUE", value)))
    harness.call("branch", **call)
    return {"hit": True, "miss": False}[harness.exit.node]


@pytest.mark.parametrize(
    ("tier", "expected"), [(Tier.HIGH, True), (Tier.MIDDLE, True), (Tier.ORDINARY, False)]
)
def test_branch_on_tier(harness, tier: Tier, expected: bool) -> None:
    assert branch(harness, "{tier: [high, middle]}", tier=tier) is expected


def test_branch_on_list_mark_and_account(harness_at) -> None:
    assert branch(harness_at(2025, 10, 15), "{list_mark: [black]}") is False
    assert branch(harness_at(2025, 10, 15), "{list_mark: [black]}", list_mark=ListMark.BLACK)
    assert branch(harness_at(2025, 10, 15), "{account_known: true}", account="1") is True
    assert branch(harness_at(2025, 10, 15), "{account_known: true}") is False
    assert branch(harness_at(2025, 10, 15), "{verified: false, tier: [ordinary]}") is True


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        ((2025, 10, 1), True),  # 国庆节
        ((2025, 9, 28), False),  # Sunday, a 调休 working day
        ((2025, 9, 27), True),  # an ordinary Saturday
        ((2025, 10, 15), False),  # an ordinary Wednesday
    ],
)
def test_branch_on_holiday(harness_at, day: tuple[int, int, int], holiday: bool) -> None:
    assert branch(harness_at(*day), "{holiday: true}") is holiday
    assert branch(harness_at(*day), "{holiday: false}") is not holiday


@pytest.mark.parametrize(
    ("hour", "minute", "inside"),
    [(21, 59, False), (22, 0, True), (23, 30, True), (0, 0, True), (7, 59, True), (8, 0, False)],
)
def test_time_window_across_midnight(harness_at, hour: int, minute: int, inside: bool) -> None:
    window = '{time: {from: "22:00", to: 08:00}}'
    assert branch(harness_at(2025, 10, 15, hour, minute), window) is inside


def test_time_window_weekdays_belong_to_the_evening_that_starts_them(harness_at) -> None:
    friday_nights = '{time: {from: "22:00", to: "08:00", weekdays: [5]}}'
    assert branch(harness_at(2025, 10, 17, 23, 0), friday_nights) is True  # Friday
    assert branch(harness_at(2025, 10, 18, 2, 0), friday_nights) is True  # Saturday morning
    assert branch(harness_at(2025, 10, 18, 23, 0), friday_nights) is False  # Saturday night
    assert branch(harness_at(2025, 10, 17, 2, 0), friday_nights) is False  # Thursday's night
    office = '{time: {from: "08:30", to: "17:30", weekdays: [1, 2, 3, 4, 5]}}'
    assert branch(harness_at(2025, 10, 17, 9, 0), office) is True
    assert branch(harness_at(2025, 10, 18, 9, 0), office) is False


@pytest.mark.parametrize(
    ("test", "value", "expected"),
    [
        ("{name: x, op: gt, value: 0}", "12.5", True),
        ("{name: x, op: gt, value: '0'}", "0", False),
        ("{name: x, op: lt, value: 10}", "9", True),  # numbers, not text ("9" > "10")
        ("{name: x, op: eq, value: 5}", "5.0", True),
        ("{name: x, op: ne, value: 5}", "5.0", False),
        ("{name: x, op: ge, value: 5}", "5", True),
        ("{name: x, op: le, value: 4}", "5", False),
        ("{name: x, op: eq, value: abc}", "abc", True),
        ("{name: x, op: gt, value: abc}", "abd", True),  # text when not numbers
        ("{name: x, op: in, value: [a, b]}", "b", True),
        ("{name: x, op: in, value: [a, b]}", "c", False),
        ("{name: x, op: set}", "", True),
        ("{name: nothing, op: set}", "1", False),
        ("{name: nothing, op: ne, value: 1}", "1", False),  # a missing variable fails
        ("{name: y, op: eq, value: 'v!'}", "v", True),  # set values are rendered
    ],
)
def test_branch_on_variables(harness, test: str, value: str, expected: bool) -> None:
    assert branch(harness, "{var: " + test + "}", value=value) is expected


# --- callback offer ------------------------------------------------------------------

CALLBACK = """\
flow: callback
start: offer
prompts:
  offer: {text: "稍后回电请按1，继续等待请按2", duration: 4}
  thanks: {text: "我们将尽快回电，再见", duration: 3}
nodes:
  offer: {type: callback, prompt: offer, accept_key: "1", timeout: 5, accepted: cb, declined: wait}
  cb: {type: hangup, prompt: thanks, outcome: callback, queue: query}
  wait: {type: queue, queue: query}
"""


@pytest.mark.parametrize(
    ("keys", "accepted"), [(("1",), True), (("2",), False), (("",), False), (("#",), False)]
)
def test_callback_offer(harness, keys: tuple[str, ...], accepted: bool) -> None:
    harness.build(harness.flow(CALLBACK))
    harness.call("callback", *keys)
    (offered,) = harness.events.of(CallbackOffered)
    assert offered.accepted is accepted
    if accepted:
        assert harness.exit == IvrExit(
            kind="callback", node="cb", queue="query", outcome="callback"
        )
        assert harness.switch.prompts() == ["offer", "thanks"]
    else:
        assert harness.exit == IvrExit(kind="queue", node="wait", queue="query", outcome="queued")


# --- survey --------------------------------------------------------------------------

SURVEY = """\
flow: survey
start: survey
prompts:
  ask: {text: "非常满意请按5……非常不满意请按1", duration: 8}
  invalid: {text: "请按1到5", duration: 2}
  thanks: {text: "感谢您的评价", duration: 2}
nodes:
  survey:
    type: survey
    prompt: ask
    timeout: 8
    retries: 2
    invalid_prompt: invalid
    thanks_prompt: thanks
"""


def test_survey_publishes_the_score_with_the_agent(harness) -> None:
    harness.build(harness.flow(SURVEY))
    harness.call("survey", "7", "4", agent="A007")
    (scored,) = harness.events.of(SurveyScored)
    assert (scored.call, scored.agent, scored.score) == ("c1", AgentId("A007"), 4)
    assert scored.kind == "survey.scored"
    assert harness.exit == IvrExit(kind="hangup", node="survey", outcome="self_served")
    assert harness.switch.prompts() == ["ask", "invalid", "ask", "thanks"]


def test_survey_without_a_score_ends_quietly(harness) -> None:
    harness.build(harness.flow(SURVEY))
    harness.call("survey", "", "9", agent="A007")
    assert harness.events.of(SurveyScored) == []
    assert harness.exit.outcome == "self_served"
    assert harness.switch.prompts() == ["ask", "invalid", "ask"]  # no thanks without a score


def test_on_exit_may_start_the_survey_for_the_same_call(harness) -> None:
    runner = harness.build(harness.flow(MENU), harness.flow(SURVEY))
    ctx = CallContext(call=CallId("c9"), caller="1", dialed="95598", arrived_at=0.0)
    ctx.agent = AgentId("A001")

    def after_menu(c: CallContext, e: IvrExit) -> None:
        runner.start(c, "survey", lambda c2, e2: harness.exits.append((c2, e2)))

    harness.switch.caller_types("1", "5")
    runner.start(ctx, "menu", after_menu)
    harness.clock.run()
    assert harness.exit.node == "survey"
    assert [e.flow for e in harness.events.of(IvrEntered)] == ["menu", "survey"]
    assert harness.events.of(SurveyScored)[0].agent == "A001"


# --- lifecycle -----------------------------------------------------------------------


def test_stop_mid_prompt_means_no_further_command_and_no_exit(harness) -> None:
    runner = harness.build(harness.flow(MENU))
    harness.call("menu", "9", "1", run=False)
    harness.clock.advance(4.5)  # the wrong key came at 4 s: "invalid" is playing
    assert harness.switch.prompts() == ["menu", "invalid"]
    runner.stop(CallId("c1"))
    assert not runner.is_running(CallId("c1"))
    harness.clock.run()  # the fake switch still ends the prompt: the runner ignores it
    assert harness.switch.prompts() == ["menu", "invalid"]
    assert harness.exits == []
    (stopped,) = harness.events.of(IvrStopped)
    assert (stopped.call, stopped.flow, stopped.node) == ("c1", "menu", "menu")
    assert harness.events.of(IvrExited) == []
    runner.stop(CallId("c1"))  # stopping twice is harmless
    assert len(harness.events.of(IvrStopped)) == 1


def test_a_callback_run_twice_has_no_effect(harness) -> None:
    runner = harness.build(harness.flow(MENU))
    calls = []
    harness.switch.collect = lambda call, prompt, **kw: calls.append(kw["on_digits"])
    harness.call("menu", run=False)
    (on_digits,) = calls
    on_digits("1")
    on_digits("2")
    assert harness.exit.queue == "fault"
    assert not runner.is_running(CallId("c1"))


def test_a_loop_without_input_is_cut(harness) -> None:
    loop = """\
flow: loop
start: a
prompts: {}
nodes:
  a: {type: set, vars: {n: "1"}, next: b}
  b: {type: branch, cases: [{when: {var: {name: n, op: eq, value: "2"}}, goto: out}], default: a}
  out: {type: queue, queue: query}
"""
    harness.build(harness.flow(loop))
    harness.call("loop")
    assert harness.exit.kind == "hangup"
    assert harness.exit.outcome == "failed"
    (aborted,) = harness.events.of(IvrAborted)
    assert f"passed {MAX_NODES_WITHOUT_INPUT} nodes" in aborted.reason
    assert harness.events.of(IvrExited)[0].outcome == "failed"


def test_start_refuses_unknown_flows_and_calls_already_in_a_flow(harness) -> None:
    runner = harness.build(harness.flow(MENU))
    ctx = CallContext(call=CallId("c1"), caller="1", dialed="95598", arrived_at=0.0)
    with pytest.raises(UnknownFlowError, match="no flow 'nope'"):
        runner.start(ctx, "nope", lambda c, e: None)
    runner.start(ctx, "menu", lambda c, e: None)
    with pytest.raises(CallInIvrError):
        runner.start(ctx, "menu", lambda c, e: None)
    assert UnknownFlowError.error_id == "no-such-flow"


def test_calls_run_side_by_side(harness) -> None:
    harness.build(harness.flow(MENU))
    harness.call("menu", "1", call="a", run=False)
    harness.call("menu", "2", call="b", run=False)
    harness.clock.run()
    assert sorted((c.call, e.queue) for c, e in harness.exits) == [("a", "fault"), ("b", "query")]

"""A caller's keys on the engine's clock (no sockets): a collect's prompt, keys, terminator and
timeout; the keys typed ahead of it."""

from hotline.core.clock import VirtualClock
from hotline.telephony.keys import Collector, KeyBuffer


def collector(clock: VirtualClock, got: list[str], log: list[str], **kwargs: object) -> Collector:
    settings: dict[str, object] = {"max_digits": 4, "timeout": 5.0, "terminator": "#"}
    settings.update(kwargs)
    return Collector(
        clock,
        on_digits=got.append,
        stop_prompt=lambda: log.append("prompt stopped"),
        on_end=lambda c: log.append("ended"),
        **settings,  # type: ignore[arg-type]
    )


def test_the_first_key_stops_the_prompt_and_the_terminator_ends() -> None:
    clock, got, log = VirtualClock(0.0), list[str](), list[str]()
    c = collector(clock, got, log)
    c.key("1")
    c.key("2")
    c.key("#")
    assert got == ["12"]
    assert log == ["prompt stopped", "ended"]


def test_max_digits_ends_and_later_keys_are_ignored() -> None:
    clock, got, log = VirtualClock(0.0), list[str](), list[str]()
    c = collector(clock, got, log, max_digits=2)
    c.prompt_ended()
    c.key("7")
    c.key("8")
    c.key("9")
    assert got == ["78"]
    assert log == ["ended"]


def test_the_timeout_starts_after_the_prompt_and_after_each_key() -> None:
    clock, got, log = VirtualClock(0.0), list[str](), list[str]()
    c = collector(clock, got, log)
    clock.run(until=100.0)
    assert got == []  # the prompt is still playing: no timeout yet
    c.prompt_ended()
    clock.run(until=104.0)
    c.key("3")
    clock.run(until=108.0)
    assert got == []  # 4 s after the key
    clock.run(until=109.5)
    assert got == ["3"]


def test_nothing_typed_gives_an_empty_string_and_cancel_gives_nothing() -> None:
    clock, got, log = VirtualClock(0.0), list[str](), list[str]()
    collector(clock, got, log).prompt_ended()
    clock.run(until=10.0)
    assert got == [""]
    cancelled = collector(clock, got, log)
    cancelled.prompt_ended()
    cancelled.cancel()
    clock.run(until=30.0)
    assert got == [""]


def test_a_collect_takes_typed_ahead_keys_up_to_its_terminator_or_max_digits() -> None:
    keys = KeyBuffer()
    for digit in "12#34":
        keys.add(digit)
    assert keys.take_for(10, "#") == "12#"  # the terminator ends what this collect takes
    assert keys.take_for(1, None) == "3"
    assert str(keys) == "4"  # left for the collect after
    keys.put_back("3")
    assert keys.take_for(5, None) == "34"
    assert keys.take_for(1, None) == ""


def test_the_buffer_keeps_the_newest_keys_up_to_its_limit() -> None:
    keys = KeyBuffer(limit=3)
    for digit in "12345":
        keys.add(digit)
    assert str(keys) == "345"
    keys.clear()
    assert len(keys) == 0

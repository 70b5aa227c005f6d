"""orders.yaml: the example loads; a deadline that cannot be met is refused, located."""

from __future__ import annotations

import datetime

import pytest

from hotline.core.config import ConfigError
from hotline.orders.config import parse_order_types
from tests.orders.support import example

BASE = """\
departments: {repair: 抢修班}
types:
  fault_report:
    label: 故障报修
    department: repair
    fields:
      - {name: area_class, label: 区域, type: choice, choices: [urban, remote]}
      - {name: symptom, label: 现象}
    milestones: [arrived]
    deadlines:
      - name: arrival
        label: 到达现场
        from: assigned
        until: arrived
        duration: {minutes: 45}
"""


def refused(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_order_types(text, file="orders.yaml")
    return str(caught.value)


def test_the_example_has_every_95598_type_with_its_deadlines() -> None:
    config = example()
    assert set(config.types) == {
        "fault_report",
        "query",
        "consultation",
        "complaint",
        "tip_off",
        "service_application",
        "bill_notice",
        "arrears_reminder",
        "outage_notice",
        "expedite",
        "return_visit",
    }
    fault = config.types["fault_report"]
    arrival = fault.deadlines[0]
    assert [
        str(arrival.duration_for({"area_class": c}, "repair"))
        for c in ("urban", "suburban", "remote")
    ] == ["45 minutes", "90 minutes", "120 minutes"]
    assert str(fault.deadlines[1].duration) == "30 minutes"
    complaint = config.types["complaint"].deadlines[0]
    assert str(complaint.duration_for({}, "marketing")) == "2 working days"
    assert str(complaint.duration_for({}, "discipline")) == "4 working days"
    assert str(config.types["tip_off"].deadlines[0].duration) == "9 working days"
    query = config.types["query"].deadlines
    assert [(d.start, d.until, str(d.duration)) for d in query] == [
        ("assigned", "answered", "2 working days"),
        ("answered", "visited", "1 working days"),
    ]
    assert config.types["complaint"].anonymous
    assert config.types["complaint"].confidential


def test_base_is_valid() -> None:
    assert "fault_report" in parse_order_types(BASE).types


def test_zero_duration_names_the_key_and_line() -> None:
    message = refused(BASE.replace("{minutes: 45}", "{minutes: 0}"))
    assert "orders.yaml:15:20:" in message
    assert "types.fault_report.deadlines.0.duration.minutes" in message
    assert "greater than 0" in message


def test_unknown_step_cannot_be_met() -> None:
    message = refused(BASE.replace("until: arrived", "until: arrivd"))
    assert "orders.yaml:14:" in message
    assert "types.fault_report.deadlines.0.until: unknown step 'arrivd'" in message


def test_a_clock_that_starts_and_stops_at_one_step() -> None:
    message = refused(BASE.replace("until: arrived", "until: assigned"))
    assert "can never run" in message


def test_two_units_in_one_duration() -> None:
    message = refused(BASE.replace("{minutes: 45}", "{minutes: 45, working_days: 1}"))
    assert "exactly one of" in message


def test_by_field_must_name_a_choice_field_and_its_choices() -> None:
    text = BASE + "        by_field: {field: symptom, durations: {x: {minutes: 1}}}\n"
    assert "'symptom' is not a choice field" in refused(text)
    text = BASE + "        by_field: {field: area_class, durations: {suburb: {minutes: 1}}}\n"
    assert "'suburb' is not a choice of 'area_class'" in refused(text)


def test_unknown_department() -> None:
    message = refused(BASE.replace("department: repair", "department: repairs"))
    assert "types.fault_report.department: unknown department 'repairs'" in message


def test_visit_window_after_the_cutoff() -> None:
    message = refused(BASE + 'visits: {resident_hours: ["20:00-23:00"]}\n')
    assert "visits.resident_hours" in message
    assert "22:00 cut-off" in message


def test_named_windows_of_the_calendar_and_the_visit_windows() -> None:
    windows = (
        "calendar:\n"
        "  windows:\n"
        '    outbound_resident: {hours: ["09:00-12:00", "14:00-21:00"], cutoff: "22:00"}\n'
    )
    config = parse_order_types(BASE + windows)
    assert set(config.windows) == {"outbound_resident", "visit_business", "visit_resident"}
    calendar = config.calendar()
    assert calendar.windows == config.windows
    assert calendar.windows["visit_business"].days == "working"
    assert calendar.windows["visit_resident"].cutoff == datetime.time(22)


def test_the_visit_windows_names_are_taken() -> None:
    text = BASE + 'calendar: {windows: {visit_resident: {hours: ["18:00-21:00"]}}}\n'
    assert "calendar.windows.visit_resident: 'visit_resident' is the name" in refused(text)

"""The printed report's SVG charts: round axes, gaps for missing values, escaped text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from hotline.reports.charts import Series, _axis, chart

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("top", "ratio", "axis"),
    [
        (187.0, False, (200.0, 50.0)),
        (250.0, False, (250.0, 50.0)),
        (3652.0, False, (4000.0, 1000.0)),
        (7.0, False, (8.0, 2.0)),
        (0.0, False, (1.0, 0.25)),
        (0.92, True, (1.0, 0.25)),
        (0.3, True, (0.4, 0.1)),
        (0.004, True, (0.05, 0.01)),
    ],
)
def test_axes_end_on_a_round_number(top, ratio, axis):
    assert _axis(top, ratio) == axis


def test_a_chart_is_valid_svg_with_bars_lines_gaps_and_a_target():
    svg = chart(
        ["09:00", "09:30", "10:00", "10:30"],
        [
            Series("本期 <now>", [10.0, None, 30.0, 40.0], "bar"),
            Series("上期", [0.5, None, 0.7, 0.9], "line", dashed=True),
        ],
        unit="ratio",
        target=0.85,
        target_label="目标",
    )
    root = ET.fromstring(svg)  # well-formed: every text escaped
    assert len(root.findall(f"{SVG}rect")) == 1 + 3 + 1  # background, three bars, legend mark
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 1  # 09:30 has no value: the line is cut and 09:00 is a dot
    assert len(lines[0].get("points", "").split()) == 2
    assert len(root.findall(f"{SVG}circle")) == 1
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "目标 85.0%" in texts
    assert "本期 <now>" in texts
    assert "&lt;now&gt;" in svg

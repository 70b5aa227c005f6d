"""Charts for the printed management report as inline SVG: no script, so a saved report
file and a printed page show them exactly as on screen.

`chart(categories, series, unit=...)` draws bars and lines over one value axis, with an
optional dashed target line; missing values (no calls in a half hour) leave gaps.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Literal

WIDTH, HEIGHT = 680, 220
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 26, 30
TARGET_COLOR = "#d23b3b"
RATIO_AXES = (
    (0.05, 0.01), (0.1, 0.02), (0.2, 0.05), (0.4, 0.1), (0.6, 0.2), (0.8, 0.2), (1.0, 0.25),
)  # fmt: skip
"""Axis maximum and tick step for shares (0..1)."""


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[float | None]
    kind: Literal["bar", "line"] = "line"
    color: str = "#1677d2"
    dashed: bool = False


def _axis(top: float, ratio: bool) -> tuple[float, float]:
    """A round axis maximum at or above `top` and its tick step (4 or 5 ticks)."""
    if top <= 0:
        return 1.0, 0.25
    if ratio and top <= 1.0:
        return next(a for a in RATIO_AXES if a[0] >= top)
    power = 10.0 ** math.floor(math.log10(top / 4))
    step = next(m * power for m in (1.0, 2.0, 5.0, 10.0) if m * power * 5 >= top)
    return step * math.ceil(top / step), step


def _tick(value: float, unit: str) -> str:
    if unit == "ratio":
        return f"{round(100 * value, 1):g}%"
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def _fmt(value: float, unit: str) -> str:
    return f"{100 * value:.1f}%" if unit == "ratio" else f"{value:,.1f}"


def chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "count",
    target: float | None = None,
    target_label: str = "target",
    title: str = "",
) -> str:
    """The SVG markup (escaped text, fixed size that scales to the page width)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(categories), 1)
    values = [v for s in series for v in s.values if v is not None]
    top, tick = _axis(max([*values, target or 0.0, 0.0]), unit == "ratio")
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff"/>',
    ]

    def y(value: float) -> float:
        return TOP + plot_h * (1.0 - value / top)

    for i in range(round(top / tick) + 1):
        level = tick * i
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(level):.1f}" y2="{y(level):.1f}" '
            f'stroke="#e3e7ec" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(level) + 4:.1f}" text-anchor="end" font-size="10" '
            f'fill="#5b6675">{escape(_tick(level, unit))}</text>'
        )
    step = max(1, math.ceil(n / 12))
    slot = plot_w / n
    for i, name in enumerate(categories):
        if i % step == 0:
            parts.append(
                f'<text x="{LEFT + slot * (i + 0.5):.1f}" y="{HEIGHT - BOTTOM + 14}" '
                f'text-anchor="middle" font-size="10" fill="#5b6675">{escape(name)}</text>'
            )
    bars = [s for s in series if s.kind == "bar"]
    width = slot * 0.8 / max(len(bars), 1)
    for b, s in enumerate(bars):
        for i, value in enumerate(s.values[:n]):
            if value is None or value <= 0:
                continue
            x = LEFT + slot * i + slot * 0.1 + width * b
            parts.append(
                f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{max(width - 1, 1):.1f}" '
                f'height="{TOP + plot_h - y(value):.1f}" fill="{s.color}">'
                f"<title>{escape(f'{s.name} {categories[i]}: {_fmt(value, unit)}')}</title></rect>"
            )
    for s in series:
        if s.kind != "line":
            continue
        runs: list[list[str]] = [[]]
        for i, value in enumerate(s.values[:n]):
            if value is None:
                runs.append([])
            else:
                runs[-1].append(f"{LEFT + slot * (i + 0.5):.1f},{y(value):.1f}")
        dash = ' stroke-dasharray="5 3"' if s.dashed else ""
        for run in runs:
            if len(run) == 1:
                cx, cy = run[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{s.color}"/>')
            elif run:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{s.color}" '
                    f'stroke-width="2"{dash}/>'
                )
    if target is not None:
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            f'stroke="{TARGET_COLOR}" stroke-width="1.5" stroke-dasharray="6 4"/>'
            f'<text x="{LEFT + plot_w - 4}" y="{y(target) - 4:.1f}" text-anchor="end" '
            f'font-size="10" fill="{TARGET_COLOR}">'
            f"{escape(f'{target_label} {_fmt(target, unit)}')}</text>"
        )
    x = LEFT
    for s in series:
        dash = ' stroke-dasharray="4 2"' if s.dashed else ""
        mark = (
            f'<rect x="{x}" y="8" width="12" height="8" fill="{s.color}"/>'
            if s.kind == "bar"
            else f'<line x1="{x}" x2="{x + 12}" y1="12" y2="12" stroke="{s.color}" '
            f'stroke-width="2"{dash}/>'
        )
        parts.append(
            f'{mark}<text x="{x + 16}" y="16" font-size="11" fill="#1d2733">{escape(s.name)}</text>'
        )
        x += 28 + 7 * len(s.name) + 5 * sum(1 for ch in s.name if ord(ch) > 0x2E80)
    parts.append("</svg>")
    return "".join(parts)

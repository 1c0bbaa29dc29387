"""Small SVG bar charts of a service's yearly figures, one per metric, with a line where
a handover moved the service: plain Python over plain data, the template draws."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.web.gantt import PALETTE

WIDTH, HEIGHT = 360, 170
LEFT, RIGHT, TOP, BOTTOM = 12, 12, 26, 28


@dataclass(frozen=True, slots=True)
class FigureIn:
    year: int
    provider: str
    value: float
    note: str = ""


@dataclass(slots=True)
class FigureBar:
    x: float
    y: float
    width: float
    height: float
    year: int
    provider: str
    value: float
    colour: str


@dataclass(slots=True)
class HandoverLine:
    x: float
    on: date
    title: str


@dataclass(slots=True)
class MetricChart:
    metric: str
    width: int
    height: int
    baseline: float
    bars: list[FigureBar]
    years: list[tuple[float, int]]  # (x of the label, year)
    lines: list[HandoverLine]
    rows: list[FigureIn]  # the same numbers, for the table beside the chart


def layout(
    metric: str,
    figures: Sequence[FigureIn],
    handovers: Sequence[tuple[date, str]],
    colours: dict[str, str],
) -> MetricChart:
    """``handovers``: (effective date, title) of each handover that moved the service."""
    shown = [on for on, _ in handovers]
    first = min([f.year for f in figures] + [d.year for d in shown])
    last = max([f.year for f in figures] + [d.year for d in shown])
    years = list(range(first, last + 1))
    slot = (WIDTH - LEFT - RIGHT) / len(years)
    baseline = HEIGHT - BOTTOM
    top = max((f.value for f in figures), default=0) or 1
    bars = []
    for index, year in enumerate(years):
        in_year = sorted((f for f in figures if f.year == year), key=lambda f: f.provider)
        for n, figure in enumerate(in_year):
            colour = colours.setdefault(figure.provider, PALETTE[len(colours) % len(PALETTE)])
            width = slot * 0.7 / len(in_year)
            height = (baseline - TOP) * figure.value / top
            bars.append(
                FigureBar(
                    x=round(LEFT + index * slot + slot * 0.15 + n * width, 2),
                    y=round(baseline - height, 2),
                    width=round(width, 2),
                    height=round(height, 2),
                    year=year,
                    provider=figure.provider,
                    value=figure.value,
                    colour=colour,
                )
            )

    def x_of(day: date) -> float:
        within = (day - date(day.year, 1, 1)).days / 365.25
        return round(LEFT + (day.year - first + within) * slot, 2)

    return MetricChart(
        metric=metric,
        width=WIDTH,
        height=HEIGHT,
        baseline=baseline,
        bars=bars,
        years=[(round(LEFT + (i + 0.5) * slot, 2), y) for i, y in enumerate(years)],
        lines=[HandoverLine(x_of(on), on, title) for on, title in sorted(handovers)],
        rows=sorted(figures, key=lambda f: (f.year, f.provider)),
    )

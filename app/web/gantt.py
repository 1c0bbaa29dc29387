"""The layout of a municipality's continuity timeline as an SVG Gantt chart.

Plain Python over plain data: the view hands in provisions, gaps, guarantees and
handovers per service; this module turns dates into coordinates in a fixed viewBox
(the SVG scales to the screen). The template only draws what it gets.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date

from app.web.labels import long_date

WIDTH = 1000
MARGIN = 12
AXIS_HEIGHT = 34
ROW_HEIGHT = 62
#: Within a row: the service's name, then its provider bars, then its guarantees.
NAME_BASELINE = 16
BAR_TOP, BAR_HEIGHT = 22, 22
GUARANTEE_TOP, GUARANTEE_HEIGHT = 48, 8
#: Dark enough for white text on top (contrast above 4.5:1), distinct for colour blindness.
PALETTE = (
    "#1f5f99",
    "#a34d00",
    "#2f6b2f",
    "#7a2e6b",
    "#0f6466",
    "#6b5b00",
    "#4b3f99",
    "#8a1c1c",
)
#: Roughly how wide a character of the bar labels is, in viewBox units.
CHAR_WIDTH = 6.6


@dataclass(frozen=True, slots=True)
class ProvisionIn:
    service: Hashable
    service_name: str
    provider: Hashable
    provider_name: str
    start: date
    end: date | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class SpanIn:
    """A gap or a guarantee on one service's row."""

    service: Hashable
    start: date
    end: date | None
    title: str


@dataclass(frozen=True, slots=True)
class MarkerIn:
    service: Hashable
    on: date
    title: str
    href: str | None = None


@dataclass(slots=True)
class Bar:
    x: float
    width: float
    colour: str
    provider: str
    start: date
    end: date | None
    title: str
    label: str  # the provider's name when it fits inside the bar, else empty
    open_ended: bool


@dataclass(slots=True)
class Span:
    x: float
    width: float
    start: date
    end: date | None
    title: str


@dataclass(slots=True)
class Marker:
    x: float
    on: date
    title: str
    href: str | None


@dataclass(slots=True)
class Row:
    service: str
    y: float
    bars: list[Bar] = field(default_factory=list)
    gaps: list[Span] = field(default_factory=list)
    guarantees: list[Span] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)


@dataclass(slots=True)
class Tick:
    x: float
    label: str


@dataclass(slots=True)
class Chart:
    width: int
    height: int
    start: date
    end: date
    rows: list[Row]
    ticks: list[Tick]
    legend: list[tuple[str, str]]  # (provider, colour)
    on_x: float | None
    on: date
    today_x: float | None


def chart_range(dates: Sequence[date], on: date) -> tuple[date, date]:
    """Whole years around every date shown, with a year to spare after the last."""
    first = min([*dates, on])
    last = max([*dates, on])
    return date(first.year, 1, 1), date(last.year + 2, 1, 1)


def year_ticks(start: date, end: date, scale) -> list[Tick]:
    years = end.year - start.year
    step = 1 if years <= 12 else 2 if years <= 24 else 5
    return [
        Tick(scale(date(year, 1, 1)), str(year))
        for year in range(start.year, end.year + 1)
        if (year - start.year) % step == 0
    ]


def layout(
    provisions: Sequence[ProvisionIn],
    gaps: Sequence[SpanIn],
    guarantees: Sequence[SpanIn],
    markers: Sequence[MarkerIn],
    on: date,
    today: date,
) -> Chart:
    dates = [p.start for p in provisions] + [p.end for p in provisions if p.end]
    dates += [g.start for g in guarantees] + [g.end for g in guarantees if g.end]
    dates += [m.on for m in markers]
    start, end = chart_range([*dates, on], today)
    inner = WIDTH - 2 * MARGIN
    total_days = (end - start).days

    def scale(day: date) -> float:
        clamped = min(max(day, start), end)
        return round(MARGIN + inner * (clamped - start).days / total_days, 2)

    def span(item: SpanIn) -> Span:
        x = scale(item.start)
        return Span(x, max(scale(item.end or end) - x, 2.0), item.start, item.end, item.title)

    colours: dict[Hashable, str] = {}
    legend: list[tuple[str, str]] = []
    names: dict[Hashable, str] = {}
    for p in sorted(provisions, key=lambda p: (p.start, p.provider_name)):
        names.setdefault(p.service, p.service_name)
        if p.provider not in colours:
            colours[p.provider] = PALETTE[len(colours) % len(PALETTE)]
            legend.append((p.provider_name, colours[p.provider]))

    order = sorted(names, key=lambda s: (names[s].casefold(), str(s)))
    rows = {
        service: Row(names[service], AXIS_HEIGHT + i * ROW_HEIGHT)
        for i, service in enumerate(order)
    }
    for p in provisions:
        x = scale(p.start)
        width = max(scale(p.end or end) - x, 2.0)
        period = f"{long_date(p.start)} – {long_date(p.end, 'open einde')}"
        note = f" ({p.note})" if p.note else ""
        title = f"{p.service_name}: {p.provider_name}{note}, {period}"
        fits = len(p.provider_name) * CHAR_WIDTH + 12 <= width
        rows[p.service].bars.append(
            Bar(
                x,
                width,
                colours[p.provider],
                p.provider_name,
                p.start,
                p.end,
                title,
                p.provider_name if fits else "",
                p.end is None,
            )
        )
    for gap in gaps:
        if gap.service in rows:
            rows[gap.service].gaps.append(span(gap))
    for guarantee in guarantees:
        if guarantee.service in rows:
            rows[guarantee.service].guarantees.append(span(guarantee))
    for marker in markers:
        if marker.service in rows:
            rows[marker.service].markers.append(
                Marker(scale(marker.on), marker.on, marker.title, marker.href)
            )
    for row in rows.values():
        row.bars.sort(key=lambda b: b.start)
        row.markers.sort(key=lambda m: m.on)

    def inside(day: date) -> float | None:
        return scale(day) if start <= day <= end else None

    return Chart(
        width=WIDTH,
        height=AXIS_HEIGHT + len(order) * ROW_HEIGHT + 8,
        start=start,
        end=end,
        rows=[rows[s] for s in order],
        ticks=year_ticks(start, end, scale),
        legend=legend,
        on_x=inside(on),
        on=on,
        today_x=inside(today),
    )

"""Continuity of services over time: plain Python over plain data.

A provision is a half-open period ``[valid_from, valid_to)``; ``valid_to=None`` is
open-ended. Everything here works per *track*: one service in one municipality (after
following municipal mergers, which the caller does by choosing the track key).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.continuity.vocabulary import BreachReason
from app.provisions.periods import Period, Track, within


@dataclass(frozen=True, slots=True)
class Gap:
    service: Hashable
    municipality: Hashable
    start: date
    end: date
    before: Period
    after: Period

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True, slots=True)
class Overlap:
    service: Hashable
    municipality: Hashable
    start: date
    end: date | None
    first: Period
    second: Period


@dataclass(frozen=True, slots=True)
class Guarantee:
    id: Hashable
    service: Hashable
    municipality: Hashable
    valid_from: date
    until: date | None = None
    full_strength: bool = False
    baseline_fte: float | None = None

    def in_force(self, day: date) -> bool:
        return within(self.valid_from, self.until, day)


@dataclass(frozen=True, slots=True)
class Breach:
    guarantee: Guarantee
    start: date
    end: date
    reason: BreachReason
    period: Period | None = None


@dataclass(slots=True)
class TimelineEntry:
    period: Period
    overlaps_with: list[Hashable] = field(default_factory=list)
    gap_before_days: int = 0


def _min_end(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def by_track(periods: Iterable[Period]) -> dict[Track, list[Period]]:
    tracks: dict[Track, list[Period]] = defaultdict(list)
    for period in periods:
        tracks[period.track].append(period)
    for track_periods in tracks.values():
        track_periods.sort(key=lambda p: (p.valid_from, p.valid_to or date.max))
    return tracks


def providers_on(periods: Iterable[Period], day: date) -> list[Period]:
    return [p for p in periods if p.covers(day)]


def find_gaps(periods: Iterable[Period]) -> list[Gap]:
    """Days without a provider between two provisions of the same track."""
    gaps: list[Gap] = []
    for (service, municipality), track in by_track(periods).items():
        reach: Period = track[0]  # the period whose end reaches furthest so far
        for period in track[1:]:
            if reach.valid_to is None:
                break
            if period.valid_from > reach.valid_to:
                gaps.append(
                    Gap(service, municipality, reach.valid_to, period.valid_from, reach, period)
                )
            if period.valid_to is None or period.valid_to > reach.valid_to:
                reach = period
    return gaps


def find_overlaps(periods: Iterable[Period]) -> list[Overlap]:
    """Every pair of provisions of one track that share at least one day."""
    overlaps: list[Overlap] = []
    for (service, municipality), track in by_track(periods).items():
        for i, first in enumerate(track):
            for second in track[i + 1 :]:
                if first.valid_to is not None and second.valid_from >= first.valid_to:
                    break
                overlaps.append(
                    Overlap(
                        service,
                        municipality,
                        second.valid_from,
                        _min_end(first.valid_to, second.valid_to),
                        first,
                        second,
                    )
                )
    return overlaps


def uncovered(periods: Sequence[Period], start: date, end: date) -> list[tuple[date, date]]:
    """Maximal runs of days in ``[start, end)`` that no period covers."""
    runs: list[tuple[date, date]] = []
    cursor = start
    for period in sorted(periods, key=lambda p: p.valid_from):
        if cursor >= end:
            break
        if period.valid_to is not None and period.valid_to <= cursor:
            continue
        if period.valid_from > cursor:
            runs.append((cursor, min(period.valid_from, end)))
        cursor = max(cursor, period.valid_to or date.max)
    if cursor < end:
        runs.append((cursor, end))
    return runs


def find_breaches(
    guarantee: Guarantee, periods: Iterable[Period], judged_until: date
) -> list[Breach]:
    """Breaches of one guarantee over its period, judged up to (not including) ``judged_until``.

    A guarantee is breached on days within its period without any provision of its
    track, and (with ``full_strength``) on days a provision is staffed below the FTE the
    service had at the handover.
    """
    end = _min_end(guarantee.until, judged_until)
    assert end is not None
    if end <= guarantee.valid_from:
        return []
    track = [
        p
        for p in periods
        if p.track == (guarantee.service, guarantee.municipality)
        and p.overlaps(guarantee.valid_from, end)
    ]
    breaches = [
        Breach(guarantee, run_start, run_end, BreachReason.NO_PROVISION)
        for run_start, run_end in uncovered(track, guarantee.valid_from, end)
    ]
    if guarantee.full_strength and guarantee.baseline_fte is not None:
        for period in track:
            if period.staffed_fte is not None and period.staffed_fte < guarantee.baseline_fte:
                breaches.append(
                    Breach(
                        guarantee,
                        max(period.valid_from, guarantee.valid_from),
                        _min_end(period.valid_to, end) or end,
                        BreachReason.BELOW_STRENGTH,
                        period,
                    )
                )
    breaches.sort(key=lambda b: (b.start, b.reason))
    return breaches


def is_breached(guarantee: Guarantee, periods: Iterable[Period], on: date) -> bool:
    """Whether the guarantee has been breached on any day of its period up to ``on``."""
    return bool(find_breaches(guarantee, periods, on + timedelta(days=1)))


def timeline(periods: Iterable[Period]) -> list[TimelineEntry]:
    """One track's periods in order, each marked with the gap before it and its overlaps."""
    ordered = sorted(periods, key=lambda p: (p.valid_from, p.valid_to or date.max))
    entries = [TimelineEntry(period) for period in ordered]
    by_id = {entry.period.id: entry for entry in entries}
    for gap in find_gaps(ordered):
        by_id[gap.after.id].gap_before_days = gap.days
    for overlap in find_overlaps(ordered):
        by_id[overlap.first.id].overlaps_with.append(overlap.second.id)
        by_id[overlap.second.id].overlaps_with.append(overlap.first.id)
    return entries

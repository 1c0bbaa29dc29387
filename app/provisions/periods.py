"""A provision as a period of the registry: half-open ``[valid_from, valid_to)``, plain Python.

``valid_to=None`` is open-ended. Provisions, the handover lifecycle (what becoming
effective closes and opens) and the continuity engine all reason over these periods.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol
from uuid import UUID

Track = tuple[Hashable, Hashable]  # (service, municipality)


@dataclass(frozen=True, slots=True)
class Period:
    id: Hashable
    service: Hashable
    municipality: Hashable
    provider: Hashable
    valid_from: date
    valid_to: date | None = None
    staffed_fte: float | None = None

    @property
    def track(self) -> Track:
        return (self.service, self.municipality)

    def covers(self, day: date) -> bool:
        return within(self.valid_from, self.valid_to, day)

    def overlaps(self, start: date, end: date | None) -> bool:
        return intersects(self.valid_from, self.valid_to, start, end)


def within(start: date, end: date | None, day: date) -> bool:
    """Whether ``day`` falls in ``[start, end)``; no ``end`` is an open end."""
    return start <= day and (end is None or day < end)


def intersects(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    return (b_to is None or a_from < b_to) and (a_to is None or b_from < a_to)


def conflicting(existing: Iterable[Period], candidate: Period) -> list[Period]:
    """Provisions of the candidate's track (other than itself) that share a day with it."""
    return [
        p
        for p in existing
        if p.track == candidate.track
        and p.id != candidate.id
        and p.overlaps(candidate.valid_from, candidate.valid_to)
    ]


class ProvisionFields(Protocol):
    """What a period takes of a typed provision row."""

    @property
    def id(self) -> UUID: ...
    @property
    def service(self) -> UUID: ...
    @property
    def municipality(self) -> UUID: ...
    @property
    def organisation(self) -> UUID: ...
    @property
    def valid_from(self) -> date: ...
    @property
    def valid_to(self) -> date | None: ...
    @property
    def staffed_fte(self) -> float | None: ...


def as_period(row: ProvisionFields, track_municipality: UUID | None = None) -> Period:
    """The period of a typed provision row; ``track_municipality`` puts a predecessor's
    provision on its successor's track."""
    return Period(
        id=row.id,
        service=row.service,
        municipality=track_municipality or row.municipality,
        provider=row.organisation,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        staffed_fte=row.staffed_fte,
    )

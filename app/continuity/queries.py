"""Loading the registry's tables into the continuity engine, and back into answers.

The engine (``engine.py``) knows nothing of tables; this module is the only place that
turns provision and guarantee rows into its ``Period`` and ``Guarantee`` values, and
follows municipal mergers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from app.continuity.engine import (
    Breach,
    Gap,
    Guarantee,
    Overlap,
    Period,
    find_breaches,
    find_gaps,
    find_overlaps,
    is_breached,
    timeline,
)
from app.errors import NotFound
from app.lifecycle.rules import PLANNED_STATUSES, HandoverStatus
from app.tables.tables import (
    ContinuityGuarantee,
    HandoverParty,
    HandoverService,
    Municipality,
    Provision,
)

PROVISION_COLUMNS = (
    Provision.id,
    Provision.service,
    Provision.service.name,
    Provision.municipality,
    Provision.municipality.code,
    Provision.municipality.name,
    Provision.organisation,
    Provision.organisation.name,
    Provision.valid_from,
    Provision.valid_to,
    Provision.staffed_fte,
    Provision.opened_by,
    Provision.closed_by,
)


@dataclass(frozen=True, slots=True)
class MunicipalityInfo:
    id: UUID
    code: str
    name: str
    valid_to: date | None
    successor_id: UUID | None


@dataclass(slots=True)
class Municipalities:
    """All municipalities, indexed for following mergers both ways."""

    by_id: dict[UUID, MunicipalityInfo]
    by_code: dict[str, MunicipalityInfo] = field(init=False)

    def __post_init__(self) -> None:
        self.by_code = {m.code: m for m in self.by_id.values()}

    def get(self, code: str) -> MunicipalityInfo:
        try:
            return self.by_code[code]
        except KeyError:
            raise NotFound(f"no municipality with CBS code {code}") from None

    def answering_on(self, municipality: MunicipalityInfo, on: date) -> MunicipalityInfo:
        """The municipality that answers for ``municipality`` on ``on`` (after mergers)."""
        seen = set()
        while (
            municipality.successor_id is not None
            and municipality.valid_to is not None
            and on >= municipality.valid_to
            and municipality.id not in seen
        ):
            seen.add(municipality.id)
            municipality = self.by_id[municipality.successor_id]
        return municipality

    def current(self, municipality: MunicipalityInfo) -> MunicipalityInfo:
        return self.answering_on(municipality, date.max)

    def with_predecessors(self, municipality: MunicipalityInfo) -> list[MunicipalityInfo]:
        found = [municipality]
        for candidate in found:
            found.extend(m for m in self.by_id.values() if m.successor_id == candidate.id)
        return found


async def load_municipalities() -> Municipalities:
    rows = await Municipality.select(
        Municipality.id,
        Municipality.code,
        Municipality.name,
        Municipality.valid_to,
        Municipality.successor,
    )
    return Municipalities(
        {
            r["id"]: MunicipalityInfo(r["id"], r["code"], r["name"], r["valid_to"], r["successor"])
            for r in rows
        }
    )


def as_period(row: dict[str, Any], track_municipality: UUID | None = None) -> Period:
    return Period(
        id=row["id"],
        service=row["service"],
        municipality=track_municipality or row["municipality"],
        provider=row["organisation"],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        staffed_fte=row["staffed_fte"],
    )


def as_guarantee(row: dict[str, Any], track_municipality: UUID | None = None) -> Guarantee:
    return Guarantee(
        id=row["id"],
        service=row["service"],
        municipality=track_municipality or row["municipality"],
        valid_from=row["valid_from"],
        until=row["until"],
        full_strength=row["full_strength"],
        baseline_fte=row["baseline_fte"],
    )


async def provision_rows(
    municipality_ids: Iterable[UUID], service_ids: Iterable[UUID] | None = None
) -> list[dict[str, Any]]:
    query = Provision.select(*PROVISION_COLUMNS).where(
        Provision.municipality.is_in(list(municipality_ids))
    )
    if service_ids is not None:
        ids = list(service_ids)
        if not ids:
            return []
        query = query.where(Provision.service.is_in(ids))
    return await query.order_by(Provision.valid_from)


async def guarantee_rows(
    municipality_ids: Iterable[UUID] | None, service_ids: Iterable[UUID] | None = None
) -> list[dict[str, Any]]:
    """Guarantees of handovers that were not cancelled; all municipalities when ``None``."""
    query = ContinuityGuarantee.select(
        ContinuityGuarantee.all_columns(),
        ContinuityGuarantee.service.name,
        ContinuityGuarantee.municipality.code,
        ContinuityGuarantee.municipality.name,
        ContinuityGuarantee.handover.status,
    ).where(ContinuityGuarantee.handover.status != HandoverStatus.CANCELLED.value)
    if municipality_ids is not None:
        query = query.where(ContinuityGuarantee.municipality.is_in(list(municipality_ids)))
    if service_ids is not None:
        query = query.where(ContinuityGuarantee.service.is_in(list(service_ids)))
    return await query


# --- continuity on a date ---------------------------------------------------------------


@dataclass(slots=True)
class ServiceOnDate:
    provision: dict[str, Any]
    planned: list[dict[str, Any]]
    guarantees: list[tuple[dict[str, Any], bool]]


@dataclass(slots=True)
class ContinuityAnswer:
    requested: MunicipalityInfo
    answering: MunicipalityInfo
    on: date
    services: list[ServiceOnDate]


async def continuity_on(code: str, on: date) -> ContinuityAnswer:
    municipalities = await load_municipalities()
    requested = municipalities.get(code)
    answering = municipalities.answering_on(requested, on)
    current = [
        row
        for row in await provision_rows([answering.id])
        if row["valid_from"] <= on and (row["valid_to"] is None or on < row["valid_to"])
    ]
    first_per_service: dict[UUID, dict[str, Any]] = {}
    for row in current:
        first_per_service.setdefault(row["service"], row)
    service_ids = list(first_per_service)
    track_rows = await provision_rows([answering.id], service_ids)
    periods = [as_period(r) for r in track_rows]
    planned = await planned_handovers(answering.id, service_ids, on)
    guarantees: dict[UUID, list[tuple[dict[str, Any], bool]]] = defaultdict(list)
    for row in await guarantee_rows([answering.id], service_ids):
        guarantee = as_guarantee(row)
        if guarantee.in_force(on):
            guarantees[row["service"]].append((row, is_breached(guarantee, periods, on)))
    services = [
        ServiceOnDate(row, planned.get(service_id, []), guarantees.get(service_id, []))
        for service_id, row in first_per_service.items()
    ]
    services.sort(
        key=lambda s: (s.provision["service.name"].casefold(), str(s.provision["service"]))
    )
    return ContinuityAnswer(requested, answering, on, services)


async def planned_handovers(
    municipality_id: UUID, service_ids: list[UUID], on: date
) -> dict[UUID, list[dict[str, Any]]]:
    """Handovers that will change who delivers each service after ``on``.

    Those not yet effective, and those that took effect later than ``on`` (seen from a
    date in the past, they were still to come).
    """
    if not service_ids:
        return {}
    rows = await HandoverService.select(
        HandoverService.service,
        HandoverService.handover,
        HandoverService.handover.status,
        HandoverService.handover.effective_on,
    ).where(
        (HandoverService.municipality == municipality_id)
        & HandoverService.service.is_in(service_ids)
        & (HandoverService.handover.status != HandoverStatus.CANCELLED.value)
    )
    rows = [
        r
        for r in rows
        if r["handover.status"] in PLANNED_STATUSES
        or (r["handover.effective_on"] is not None and r["handover.effective_on"] > on)
    ]
    receiving = await receiving_organisations({r["handover"] for r in rows})
    result: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: r["handover.effective_on"] or date.max):
        result[r["service"]].append({**r, "to_provider": receiving.get(r["handover"])})
    return result


async def receiving_organisations(handover_ids: Iterable[UUID]) -> dict[UUID, dict[str, Any]]:
    ids = list(handover_ids)
    if not ids:
        return {}
    rows = await HandoverParty.select(
        HandoverParty.handover, HandoverParty.organisation, HandoverParty.organisation.name
    ).where(HandoverParty.handover.is_in(ids) & (HandoverParty.role == "receiving"))
    return {
        r["handover"]: {"id": r["organisation"], "name": r["organisation.name"]}
        for r in rows
        if r["organisation"] is not None
    }


# --- a service's timeline -----------------------------------------------------------------


@dataclass(slots=True)
class TimelineAnswer:
    service_id: UUID
    municipality: MunicipalityInfo
    rows: list[dict[str, Any]]
    gap_before_days: dict[UUID, int]
    overlaps_with: dict[UUID, list[UUID]]


async def service_timeline(service_id: UUID, code: str) -> TimelineAnswer:
    municipalities = await load_municipalities()
    answering = municipalities.current(municipalities.get(code))
    territory = municipalities.with_predecessors(answering)
    rows = await provision_rows([m.id for m in territory], [service_id])
    entries = timeline(as_period(r, track_municipality=answering.id) for r in rows)
    by_id = {r["id"]: r for r in rows}
    return TimelineAnswer(
        service_id,
        answering,
        [
            {
                **by_id[e.period.id],
                "via_predecessor": by_id[e.period.id]["municipality"] != answering.id,
            }
            for e in entries
        ],
        {e.period.id: e.gap_before_days for e in entries},
        {e.period.id: list(e.overlaps_with) for e in entries},
    )


# --- issues over a period -----------------------------------------------------------------


@dataclass(slots=True)
class Issues:
    gaps: list[Gap]
    overlaps: list[Overlap]
    breaches: list[Breach]
    rows: dict[UUID, dict[str, Any]]
    guarantees: dict[UUID, dict[str, Any]]


async def continuity_issues(code: str | None, start: date, end: date) -> Issues:
    """Gaps, overlaps and guarantee breaches that touch ``[start, end)``."""
    municipalities = await load_municipalities()
    if code is not None:
        answering = municipalities.current(municipalities.get(code))
        territory = municipalities.with_predecessors(answering)
        rows = await provision_rows([m.id for m in territory])
        guarantee_list = await guarantee_rows([m.id for m in territory])
    else:
        rows = await Provision.select(*PROVISION_COLUMNS)
        guarantee_list = await guarantee_rows(None)

    def track_of(municipality_id: UUID) -> UUID:
        return municipalities.current(municipalities.by_id[municipality_id]).id

    periods = [as_period(r, track_of(r["municipality"])) for r in rows]
    gaps = [g for g in find_gaps(periods) if g.start < end and start < g.end]
    overlaps = [
        o for o in find_overlaps(periods) if o.start < end and (o.end is None or start < o.end)
    ]
    breaches: list[Breach] = []
    for row in guarantee_list:
        guarantee = as_guarantee(row, track_of(row["municipality"]))
        breaches.extend(b for b in find_breaches(guarantee, periods, end) if b.end > start)
    return Issues(
        gaps,
        overlaps,
        breaches,
        {r["id"]: r for r in rows},
        {g["id"]: g for g in guarantee_list},
    )

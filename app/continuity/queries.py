"""Loading the registry's tables into the continuity engine, and back into answers.

The engine (``engine.py``) knows nothing of tables; this module is the only place that
turns provision and guarantee rows into its ``Period`` and ``Guarantee`` values, and
follows municipal mergers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, cast
from uuid import NAMESPACE_URL, UUID, uuid5

import msgspec

from app.answer_cache import cached_answer
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
from app.continuity.municipality_rows import GuaranteeRow, MoveRow, ProvisionRow
from app.continuity.sources import (
    LIVE,
    MunicipalityInfo,
    RegistrySource,
    TrackGuaranteeRow,
    TrackMoveRow,
)
from app.errors import NotFound
from app.handovers import lifecycle
from app.handovers.lifecycle import PLANNED_STATUSES, Move, plan_effective
from app.handovers.vocabulary import HandoverStatus
from app.provisions import queries as provisions
from app.provisions.periods import Track, as_period

IN_FORCE_STATUSES = tuple(s.value for s in lifecycle.IN_FORCE_STATUSES)
NOT_CANCELLED = tuple(s.value for s in HandoverStatus if s is not HandoverStatus.CANCELLED)
PLANNED = tuple(s.value for s in PLANNED_STATUSES)


def _not_live(arguments: dict[str, Any]) -> bool:
    """A question about the registry as known in the past is answered afresh."""
    return arguments["source"] is not LIVE


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


async def load_municipalities(
    source: RegistrySource = LIVE, family_of: str | None = None
) -> Municipalities:
    """All municipalities, or only those a question about ``family_of`` can touch: it,
    its successors and everything merged into them (so the cost does not grow with
    the number of municipalities)."""
    if family_of is None:
        rows = await source.municipality_rows()
    else:
        rows = await source.municipality_family(family_of)
    return Municipalities({m.id: m for m in rows})


class GuaranteeFields(Protocol):
    """What the engine takes of a typed guarantee row."""

    @property
    def id(self) -> UUID: ...
    @property
    def service(self) -> UUID: ...
    @property
    def municipality(self) -> UUID: ...
    @property
    def valid_from(self) -> date: ...
    @property
    def until(self) -> date | None: ...
    @property
    def full_strength(self) -> bool: ...
    @property
    def baseline_fte(self) -> float | None: ...


def as_guarantee(row: GuaranteeFields, track_municipality: UUID | None = None) -> Guarantee:
    return Guarantee(
        id=row.id,
        service=row.service,
        municipality=track_municipality or row.municipality,
        valid_from=row.valid_from,
        until=row.until,
        full_strength=row.full_strength,
        baseline_fte=row.baseline_fte,
    )


# --- continuity on a date ---------------------------------------------------------------


@dataclass(slots=True)
class ServiceOnDate:
    provision: ProvisionRow
    #: Handovers that will change who delivers it, soonest first.
    planned: list[MoveRow]
    guarantees: list[tuple[GuaranteeRow, bool]]


@dataclass(slots=True)
class SuccessorPart:
    """After a split, one successor's answer and the part of the old territory it covers."""

    part: str
    answer: ContinuityAnswer


@dataclass(slots=True)
class ContinuityAnswer:
    requested: MunicipalityInfo
    answering: MunicipalityInfo
    on: date
    services: list[ServiceOnDate]
    #: Set when ``answering`` was split over several municipalities before ``on``.
    split_over: list[SuccessorPart] = field(default_factory=list)


@cached_answer(unless=_not_live)
async def continuity_on(code: str, on: date, source: RegistrySource = LIVE) -> ContinuityAnswer:
    municipalities = await load_municipalities(source, family_of=code)
    requested = municipalities.get(code)
    answering = municipalities.answering_on(requested, on)
    if answering.valid_to is not None and on >= answering.valid_to:
        split_over = [
            SuccessorPart(row.part, await continuity_on(row.successor_code, on, source))
            for row in await source.successions_of(answering.id)
        ]
        if split_over:
            return ContinuityAnswer(requested, answering, on, [], split_over)
    rows = await source.continuity_rows(answering.id, on)
    by_service: dict[UUID, list[ProvisionRow]] = defaultdict(list)
    for row in sorted(rows.provisions, key=lambda r: (r.valid_from, r.id)):
        by_service[row.service].append(row)
    current: dict[UUID, ProvisionRow] = {}
    for service_id, track in by_service.items():
        if found := next((row for row in track if row.covers(on)), None):
            current[service_id] = found
    planned: dict[UUID, list[MoveRow]] = defaultdict(list)
    for move in sorted(rows.moves, key=lambda m: (m.effective_on or date.max, m.handover)):
        if move.service in current and _still_to_come(move, on):
            planned[move.service].append(move)
    guarantees: dict[UUID, list[tuple[GuaranteeRow, bool]]] = defaultdict(list)
    for guarantee_row in sorted(rows.guarantees, key=lambda g: (g.valid_from, g.id)):
        guarantee = as_guarantee(guarantee_row)
        if guarantee_row.service in current and guarantee.in_force(on):
            periods = [p.period() for p in by_service[guarantee_row.service]]
            guarantees[guarantee_row.service].append(
                (guarantee_row, is_breached(guarantee, periods, on))
            )
    services = [
        ServiceOnDate(row, planned.get(service_id, []), guarantees.get(service_id, []))
        for service_id, row in current.items()
    ]
    services.sort(key=lambda s: (s.provision.service_name.casefold(), str(s.provision.service)))
    return ContinuityAnswer(requested, answering, on, services)


def _still_to_come(move: MoveRow, on: date) -> bool:
    """Whether a handover will change who delivers after ``on``: not yet effective, or
    (seen from a date in the past) taking effect later than ``on``."""
    return move.status in PLANNED or (move.effective_on is not None and move.effective_on > on)


# --- a service's timeline -----------------------------------------------------------------


@dataclass(slots=True)
class TimelineAnswer:
    service_id: UUID
    municipality: MunicipalityInfo
    rows: list[provisions.ProvisionRow]
    gap_before_days: dict[UUID, int]
    overlaps_with: dict[UUID, list[UUID]]

    def via_predecessor(self, row: provisions.ProvisionRow) -> bool:
        """Whether ``row`` was provided in a municipality since merged into this one."""
        return row.municipality != self.municipality.id


@cached_answer(unless=_not_live)
async def service_timeline(
    service_id: UUID, code: str, source: RegistrySource = LIVE
) -> TimelineAnswer:
    municipalities = await load_municipalities(source, family_of=code)
    answering = municipalities.current(municipalities.get(code))
    territory = municipalities.with_predecessors(answering)
    rows = await source.provision_rows([m.id for m in territory], [service_id])
    entries = timeline(as_period(r, track_municipality=answering.id) for r in rows)
    by_id = {r.id: r for r in rows}
    return TimelineAnswer(
        service_id,
        answering,
        [by_id[cast(UUID, e.period.id)] for e in entries],
        # The periods are provision rows: their ids are UUIDs.
        {cast(UUID, e.period.id): e.gap_before_days for e in entries},
        {cast(UUID, e.period.id): cast(list[UUID], list(e.overlaps_with)) for e in entries},
    )


# --- planned handovers, applied in memory ---------------------------------------------------


@dataclass(slots=True)
class PlannedEffects:
    """The provision rows as they will be once the planned handovers take effect."""

    rows: list[provisions.ProvisionRow]
    #: The rows a planned handover changes or opens.
    planned: set[UUID]


async def with_planned_effects(
    source: RegistrySource,
    rows: list[provisions.ProvisionRow],
    municipality_ids: list[UUID] | None,
) -> PlannedEffects:
    """The provision rows as they will be once the planned handovers take effect; nothing
    is written."""
    moved = await source.handover_service_rows(municipality_ids, None, PLANNED)
    receiving = await source.receiving_organisations({m.handover for m in moved})
    by_id = {row.id: row for row in rows}
    planned: set[UUID] = set()
    # Each plan needs only the tracks it moves: index them, or every planned handover
    # would walk every provision of the country.
    by_track: dict[Track, list[UUID]] = defaultdict(list)
    for row in rows:
        by_track[(row.service, row.municipality)].append(row.id)
    by_handover: dict[UUID, list[TrackMoveRow]] = defaultdict(list)
    for m in moved:
        by_handover[m.handover].append(m)
    order = sorted(by_handover, key=lambda h: (by_handover[h][0].handover_effective_on, str(h)))
    for handover_id in order:
        to = receiving.get(handover_id)
        if to is None:
            continue  # no receiving organisation yet: nothing to foresee
        group = by_handover[handover_id]
        effective_on = group[0].handover_effective_on
        moves = [Move(m.service, m.municipality, m.from_organisation, to.id) for m in group]
        tracks = {(move.service, move.municipality) for move in moves}
        existing = [as_period(by_id[i]) for track in tracks for i in by_track[track]]
        plan = plan_effective(moves, existing, effective_on, strict=False)
        for closing in plan.closings:
            closed_id = cast(UUID, closing.period.id)  # a provision row's
            by_id[closed_id] = msgspec.structs.replace(
                by_id[closed_id], valid_to=closing.valid_to, closed_by=handover_id
            )
            planned.add(closed_id)
        names: dict[Track, TrackMoveRow] = {(m.service, m.municipality): m for m in group}
        for opening in plan.openings:
            m = names[(opening.service, opening.municipality)]
            row_id = uuid5(NAMESPACE_URL, f"planned/{handover_id}/{m.service}/{m.municipality}")
            if row_id not in by_id:
                by_track[(m.service, m.municipality)].append(row_id)
            by_id[row_id] = provisions.ProvisionRow(
                id=row_id,
                service=m.service,
                service_name=m.service_name,
                municipality=m.municipality,
                municipality_code=m.municipality_code,
                municipality_name=m.municipality_name,
                organisation=to.id,
                organisation_name=to.name,
                valid_from=opening.valid_from,
                valid_to=opening.valid_to,
                staffed_fte=opening.staffed_fte,
                opened_by=handover_id,
                closed_by=None,
            )
            planned.add(row_id)
    return PlannedEffects(list(by_id.values()), planned)


# --- issues over a period -----------------------------------------------------------------


@dataclass(slots=True)
class Issues:
    gaps: list[Gap]
    overlaps: list[Overlap]
    breaches: list[Breach]
    rows: dict[UUID, provisions.ProvisionRow]
    guarantees: dict[UUID, TrackGuaranteeRow]
    #: The rows as the planned handovers will change or open them.
    planned: set[UUID]


@cached_answer(unless=_not_live)
async def continuity_issues(
    code: str | None,
    start: date,
    end: date,
    *,
    include_planned: bool = False,
    source: RegistrySource = LIVE,
) -> Issues:
    """Gaps, overlaps and guarantee breaches that touch ``[start, end)``.

    With ``include_planned`` the timeline is first changed as the handovers that are not
    yet effective will change it, so a handover that would leave a gap shows it now.
    """
    municipalities = await load_municipalities(source, family_of=code)
    territory_ids: list[UUID] | None = None
    if code is not None:
        answering = municipalities.current(municipalities.get(code))
        territory_ids = [m.id for m in municipalities.with_predecessors(answering)]
    rows = await source.provision_rows(territory_ids)
    statuses = IN_FORCE_STATUSES + (PLANNED if include_planned else ())
    guarantee_list = await source.guarantee_rows(territory_ids, None, statuses)
    planned: set[UUID] = set()
    if include_planned:
        effects = await with_planned_effects(source, rows, territory_ids)
        rows, planned = effects.rows, effects.planned

    def track_of(municipality_id: UUID) -> UUID:
        return municipalities.current(municipalities.by_id[municipality_id]).id

    periods = [as_period(r, track_of(r.municipality)) for r in rows]
    gaps = [g for g in find_gaps(periods) if g.start < end and start < g.end]
    overlaps = [
        o for o in find_overlaps(periods) if o.start < end and (o.end is None or start < o.end)
    ]
    periods_by_track: dict[Track, list[Period]] = defaultdict(list)
    for period in periods:
        periods_by_track[period.track].append(period)
    breaches: list[Breach] = []
    for row in guarantee_list:
        guarantee = as_guarantee(row, track_of(row.municipality))
        track = periods_by_track[(guarantee.service, guarantee.municipality)]
        breaches.extend(b for b in find_breaches(guarantee, track, end) if b.end > start)
    return Issues(
        gaps,
        overlaps,
        breaches,
        {r.id: r for r in rows},
        {g.id: g for g in guarantee_list},
        planned,
    )

"""Reading handovers, live or as recorded at a moment: the typed read models of
``app.handovers.schemas``, for the API and the pages alike."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from uuid import UUID

import msgspec
from piccolo.table import Table

from app.errors import NotFound
from app.handovers.schemas import (
    GuaranteeOut,
    HandoverOut,
    HandoversPartyOut,
    MilestoneOut,
    MovedServiceOut,
    Progress,
    StaffStatusCount,
    StaffSummary,
    TransitionOut,
)
from app.handovers.vocabulary import (
    PARTY_ORDER,
    HandoverStatus,
    Involvement,
    MilestoneKind,
    PartyRole,
)
from app.schemas import MunicipalityRef, Ref
from app.staff.rules import moves
from app.staff.vocabulary import StaffBasis, StaffStatus
from app.store.prepared import PreparedSelect
from app.store.recorded import read
from app.store.typed_rows import R, as_rows, columns_for
from app.tables.tables import (
    ContinuityGuarantee,
    Handover,
    HandoverParty,
    HandoverService,
    HandoverTransition,
    Milestone,
    StaffTransfer,
)


class PartyRow(msgspec.Struct, frozen=True):
    id: UUID
    role: PartyRole
    organisation: UUID | None
    organisation_name: str | None = msgspec.field(name="organisation.name")
    municipality: UUID | None
    municipality_code: str | None = msgspec.field(name="municipality.code")
    municipality_name: str | None = msgspec.field(name="municipality.name")
    involvement: Involvement | None
    note: str

    def sort_key(self) -> tuple[int, str]:
        name = self.organisation_name or self.municipality_name or ""
        return PARTY_ORDER.get(self.role, 9), name.casefold()


class MovedServiceRow(msgspec.Struct, frozen=True):
    id: UUID
    service: UUID
    service_name: str = msgspec.field(name="service.name")
    municipality_code: str = msgspec.field(name="municipality.code")
    municipality_name: str = msgspec.field(name="municipality.name")
    from_organisation: UUID | None
    from_organisation_name: str | None = msgspec.field(name="from_organisation.name")
    note: str


class HandoverGuaranteeRow(msgspec.Struct, frozen=True):
    id: UUID
    service: UUID
    service_name: str = msgspec.field(name="service.name")
    municipality_code: str = msgspec.field(name="municipality.code")
    municipality_name: str = msgspec.field(name="municipality.name")
    valid_from: date
    until: date | None
    review_on: date | None
    full_strength: bool
    same_conditions: bool
    baseline_fte: float | None
    text: str


class MilestoneRow(msgspec.Struct, frozen=True):
    id: UUID
    kind: MilestoneKind
    title: str
    due_on: date | None
    done_on: date | None
    note: str


class TransitionRow(msgspec.Struct, frozen=True):
    from_status: HandoverStatus | None
    to_status: HandoverStatus
    on: date
    actor: str
    note: str
    recorded_at: datetime


class StaffFigureRow(msgspec.Struct, frozen=True):
    status: StaffStatus
    basis: StaffBasis
    fte: float


def staff_summary(rows: Iterable[StaffFigureRow]) -> StaffSummary:
    rows = list(rows)
    by_status = []
    for status in StaffStatus:
        in_status = [r for r in rows if r.status == status]
        by_status.append(
            StaffStatusCount(
                status=status,
                count=len(in_status),
                fte=round(float(sum(r.fte for r in in_status)), 2),
            )
        )
    moving = [r for r in rows if moves(r.status, r.basis)]
    return StaffSummary(
        count=len(rows),
        fte=round(float(sum(r.fte for r in rows)), 2),
        moving_fte=round(float(sum(r.fte for r in moving)), 2),
        by_status=by_status,
    )


async def _read_rows(
    row: type[R], table: type[Table], handover_id: UUID, at: datetime | None
) -> list[R]:
    handover = table._meta.get_column_by_name("handover")
    query = table.select(*columns_for(row, table)).where(handover == handover_id)
    return as_rows(row, await read(query, at))


async def handover_detail(handover_id: UUID, known_on: datetime | None = None) -> HandoverOut:
    """The handover and everything hanging off it, now or as recorded at ``known_on``."""
    at = known_on
    row = await read(Handover.select().where(Handover.id == handover_id).first(), at)
    if row is None:
        known = "" if at is None else f" was known at {at.isoformat()}"
        raise NotFound(f"no handover with id {handover_id}{known}")
    parties = sorted(
        await _read_rows(PartyRow, HandoverParty, handover_id, at), key=PartyRow.sort_key
    )
    services = sorted(
        await _read_rows(MovedServiceRow, HandoverService, handover_id, at),
        key=lambda s: (s.service_name.casefold(), s.municipality_code),
    )
    guarantees = sorted(
        await _read_rows(HandoverGuaranteeRow, ContinuityGuarantee, handover_id, at),
        key=lambda g: (g.service_name.casefold(), g.valid_from),
    )
    milestones = sorted(
        await _read_rows(MilestoneRow, Milestone, handover_id, at),
        key=lambda m: (m.due_on is None, m.due_on or date.min, m.title),
    )
    transitions = sorted(
        await _read_rows(TransitionRow, HandoverTransition, handover_id, at),
        key=lambda t: t.recorded_at,
    )
    staff = await _read_rows(StaffFigureRow, StaffTransfer, handover_id, at)
    done = sum(1 for m in milestones if m.done_on is not None)
    return HandoverOut(
        id=row["id"],
        title=row["title"],
        description=row["description"],
        kind=row["kind"],
        status=row["status"],
        effective_on=row["effective_on"],
        announced_on=row["announced_on"],
        source=row["source"],
        version=row["version"],
        parties=[
            HandoversPartyOut(
                id=p.id,
                role=p.role,
                organisation=Ref(id=p.organisation, name=p.organisation_name or "")
                if p.organisation
                else None,
                municipality=MunicipalityRef(
                    code=p.municipality_code or "", name=p.municipality_name or ""
                )
                if p.municipality
                else None,
                involvement=p.involvement,
                note=p.note,
            )
            for p in parties
        ],
        services=[
            MovedServiceOut(
                id=s.id,
                service=Ref(id=s.service, name=s.service_name),
                municipality=MunicipalityRef(code=s.municipality_code, name=s.municipality_name),
                from_organisation=Ref(id=s.from_organisation, name=s.from_organisation_name or "")
                if s.from_organisation
                else None,
                note=s.note,
            )
            for s in services
        ],
        guarantees=[
            GuaranteeOut(
                id=g.id,
                service=Ref(id=g.service, name=g.service_name),
                municipality=MunicipalityRef(code=g.municipality_code, name=g.municipality_name),
                valid_from=g.valid_from,
                until=g.until,
                review_on=g.review_on,
                full_strength=g.full_strength,
                same_conditions=g.same_conditions,
                baseline_fte=g.baseline_fte,
                text=g.text,
            )
            for g in guarantees
        ],
        milestones=[
            MilestoneOut(
                id=m.id,
                kind=m.kind,
                title=m.title,
                due_on=m.due_on,
                done_on=m.done_on,
                note=m.note,
            )
            for m in milestones
        ],
        transitions=[transition_out(t) for t in transitions],
        progress=Progress(
            done=done,
            total=len(milestones),
            percent=round(100 * done / len(milestones)) if milestones else 0,
        ),
        staff=staff_summary(staff),
    )


def transition_out(row: TransitionRow) -> TransitionOut:
    return TransitionOut(
        from_status=row.from_status,
        to_status=row.to_status,
        on=row.on,
        actor=row.actor,
        note=row.note,
        recorded_at=row.recorded_at,
    )


async def handovers_touching(code: str, at: datetime | None = None) -> set[UUID]:
    """Handovers with a municipality party in ``code`` or moving a service there."""
    parties = await read(
        HandoverParty.select(HandoverParty.handover).where(HandoverParty.municipality.code == code),
        at,
    )
    moved = await read(
        HandoverService.select(HandoverService.handover).where(
            HandoverService.municipality.code == code
        ),
        at,
    )
    return {r["handover"] for r in parties} | {r["handover"] for r in moved}


async def handovers_with_party(organisation_id: UUID, at: datetime | None = None) -> set[UUID]:
    rows = await read(
        HandoverParty.select(HandoverParty.handover).where(
            HandoverParty.organisation == organisation_id
        ),
        at,
    )
    return {r["handover"] for r in rows}


class ReceivingRow(msgspec.Struct, frozen=True):
    handover: UUID
    organisation: UUID | None
    organisation_name: str | None = msgspec.field(name="organisation.name")


_RECEIVING = PreparedSelect(
    HandoverParty,
    lambda handovers: HandoverParty.select(*columns_for(ReceivingRow, HandoverParty)).where(
        HandoverParty.handover.is_in(handovers) & (HandoverParty.role == PartyRole.RECEIVING)
    ),
)


async def receiving_organisations(
    handover_ids: Iterable[UUID], at: datetime | None = None
) -> dict[UUID, Ref]:
    """The receiving organisation of each handover (as recorded ``at``)."""
    ids = list(handover_ids)
    if not ids:
        return {}
    rows = as_rows(ReceivingRow, await _RECEIVING(at, handovers=ids))
    return {
        r.handover: Ref(id=r.organisation, name=r.organisation_name or "")
        for r in rows
        if r.organisation is not None
    }

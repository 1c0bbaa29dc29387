"""Reading handovers, live or as recorded at a moment: the typed read models of
``app.handovers.schemas``, for the API and the pages alike."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from uuid import UUID

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
from app.handovers.vocabulary import PARTY_ORDER, PartyRole
from app.schemas import (
    municipality_from,
    optional_ref_from,
    ref_from,
)
from app.staff.vocabulary import StaffStatus
from app.store.prepared import PreparedSelect
from app.store.recorded import read
from app.tables.tables import (
    ContinuityGuarantee,
    Handover,
    HandoverParty,
    HandoverService,
    HandoverTransition,
    Milestone,
    StaffTransfer,
)


def staff_summary(rows: Iterable[dict[str, Any]]) -> StaffSummary:
    rows = list(rows)
    by_status = []
    for status in StaffStatus:
        in_status = [r for r in rows if r["status"] == status]
        by_status.append(
            StaffStatusCount(
                status=status,
                count=len(in_status),
                fte=round(float(sum(r["fte"] for r in in_status)), 2),
            )
        )
    moving = [r for r in rows if r["status"] != "declined" and r["basis"] != "not_transferring"]
    return StaffSummary(
        count=len(rows),
        fte=round(float(sum(r["fte"] for r in rows)), 2),
        moving_fte=round(float(sum(r["fte"] for r in moving)), 2),
        by_status=by_status,
    )


async def _detail_rows(handover_id: UUID, at: datetime | None) -> dict[str, Any]:
    """The handover and everything hanging off it, now or as recorded at ``at``."""
    handover = await read(Handover.select().where(Handover.id == handover_id).first(), at)
    if handover is None:
        known = "" if at is None else f" was known at {at.isoformat()}"
        raise NotFound(f"no handover with id {handover_id}{known}")
    return {
        "handover": handover,
        "parties": await read(
            HandoverParty.select(
                HandoverParty.id,
                HandoverParty.role,
                HandoverParty.organisation,
                HandoverParty.organisation.name,
                HandoverParty.municipality,
                HandoverParty.municipality.code,
                HandoverParty.municipality.name,
                HandoverParty.involvement,
                HandoverParty.note,
            ).where(HandoverParty.handover == handover_id),
            at,
        ),
        "services": await read(
            HandoverService.select(
                HandoverService.id,
                HandoverService.service,
                HandoverService.service.name,
                HandoverService.municipality.code,
                HandoverService.municipality.name,
                HandoverService.from_organisation,
                HandoverService.from_organisation.name,
                HandoverService.note,
            ).where(HandoverService.handover == handover_id),
            at,
        ),
        "guarantees": await read(
            ContinuityGuarantee.select(
                *ContinuityGuarantee.all_columns(),
                ContinuityGuarantee.service.name,
                ContinuityGuarantee.municipality.code,
                ContinuityGuarantee.municipality.name,
            ).where(ContinuityGuarantee.handover == handover_id),
            at,
        ),
        "milestones": await read(Milestone.select().where(Milestone.handover == handover_id), at),
        "transitions": await read(
            HandoverTransition.select().where(HandoverTransition.handover == handover_id), at
        ),
        "staff": await read(
            StaffTransfer.select(
                StaffTransfer.status, StaffTransfer.basis, StaffTransfer.fte
            ).where(StaffTransfer.handover == handover_id),
            at,
        ),
    }


async def handover_detail(handover_id: UUID, known_on: datetime | None = None) -> HandoverOut:
    found = await _detail_rows(handover_id, known_on)
    row = found["handover"]
    parties, services, guarantees = found["parties"], found["services"], found["guarantees"]
    milestones, staff = found["milestones"], found["staff"]
    transitions = sorted(found["transitions"], key=lambda t: t["recorded_at"])

    parties.sort(
        key=lambda p: (
            PARTY_ORDER.get(p["role"], 9),
            (p["organisation.name"] or p["municipality.name"] or "").casefold(),
        )
    )
    services.sort(key=lambda s: (s["service.name"].casefold(), s["municipality.code"]))
    guarantees.sort(key=lambda g: (g["service.name"].casefold(), g["valid_from"]))
    milestones.sort(key=lambda m: (m["due_on"] is None, m["due_on"] or date.min, m["title"]))
    done = sum(1 for m in milestones if m["done_on"] is not None)
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
                id=p["id"],
                role=p["role"],
                organisation=optional_ref_from(p, "organisation"),
                municipality=municipality_from(p) if p["municipality"] else None,
                involvement=p["involvement"],
                note=p["note"],
            )
            for p in parties
        ],
        services=[
            MovedServiceOut(
                id=s["id"],
                service=ref_from(s, "service"),
                municipality=municipality_from(s),
                from_organisation=optional_ref_from(s, "from_organisation"),
                note=s["note"],
            )
            for s in services
        ],
        guarantees=[
            GuaranteeOut(
                id=g["id"],
                service=ref_from(g, "service"),
                municipality=municipality_from(g),
                valid_from=g["valid_from"],
                until=g["until"],
                review_on=g["review_on"],
                full_strength=g["full_strength"],
                same_conditions=g["same_conditions"],
                baseline_fte=g["baseline_fte"],
                text=g["text"],
            )
            for g in guarantees
        ],
        milestones=[
            MilestoneOut(
                id=m["id"],
                kind=m["kind"],
                title=m["title"],
                due_on=m["due_on"],
                done_on=m["done_on"],
                note=m["note"],
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


def transition_out(row: dict[str, Any]) -> TransitionOut:
    return TransitionOut(
        from_status=row["from_status"],
        to_status=row["to_status"],
        on=row["on"],
        actor=row["actor"],
        note=row["note"],
        recorded_at=row["recorded_at"],
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


_RECEIVING = PreparedSelect(
    HandoverParty,
    lambda handovers: HandoverParty.select(
        HandoverParty.handover, HandoverParty.organisation, HandoverParty.organisation.name
    ).where(HandoverParty.handover.is_in(handovers) & (HandoverParty.role == PartyRole.RECEIVING)),
)


async def receiving_organisations(
    handover_ids: Iterable[UUID], at: datetime | None = None
) -> dict[UUID, dict[str, Any]]:
    """The receiving organisation of each handover, as id and name (as recorded ``at``)."""
    ids = list(handover_ids)
    if not ids:
        return {}
    rows = await _RECEIVING(at, handovers=ids)
    return {
        r["handover"]: {"id": r["organisation"], "name": r["organisation.name"]}
        for r in rows
        if r["organisation"] is not None
    }

"""Carrying out a lifecycle step on the tables, all of it or nothing."""

from __future__ import annotations

from datetime import date
from typing import Any, cast
from uuid import UUID

from app.database import record_as, write_transaction
from app.handovers.lifecycle import Move, check_transition, plan_effective
from app.handovers.rules import check_can_take_effect
from app.handovers.vocabulary import HandoverStatus, PartyRole
from app.provisions.periods import Track, as_period
from app.provisions.queries import PERIOD_COLUMNS, PeriodRow
from app.staff.rules import moving_fte_per_service
from app.store import records
from app.store.audit import record_event
from app.store.typed_rows import as_rows
from app.tables.tables import (
    ContinuityGuarantee,
    Handover,
    HandoverParty,
    HandoverService,
    HandoverTransition,
    Provision,
    StaffTransfer,
)


async def last_transition_on(handover_id: UUID) -> date | None:
    row = (
        await HandoverTransition.select(HandoverTransition.on)
        .where(HandoverTransition.handover == handover_id)
        .order_by(HandoverTransition.on, ascending=False)
        .first()
    )
    return row["on"] if row else None


async def staffed_fte(handover_id: UUID) -> dict[UUID, float]:
    """FTE per service of the staff who move with the handover."""
    rows = await StaffTransfer.select(
        StaffTransfer.service, StaffTransfer.fte, StaffTransfer.basis, StaffTransfer.status
    ).where(StaffTransfer.handover == handover_id)
    return cast(dict[UUID, float], moving_fte_per_service(rows))


async def become_effective(handover: dict[str, Any], on: date, actor: str) -> None:
    handover_id = handover["id"]
    receiving = await HandoverParty.select(HandoverParty.organisation).where(
        (HandoverParty.handover == handover_id)
        & (HandoverParty.role == PartyRole.RECEIVING)
        & HandoverParty.organisation.is_not_null()
    )
    moved = await HandoverService.select().where(HandoverService.handover == handover_id)
    check_can_take_effect(len(receiving), len(moved))
    fte = await staffed_fte(handover_id)
    moves = [
        Move(
            service=m["service"],
            municipality=m["municipality"],
            from_provider=m["from_organisation"],
            to_provider=receiving[0]["organisation"],
            staffed_fte=fte.get(m["service"]),
        )
        for m in moved
    ]
    existing = await Provision.select(*PERIOD_COLUMNS).where(
        Provision.service.is_in([m.service for m in moves])
        & Provision.municipality.is_in([m.municipality for m in moves])
    )
    plan = plan_effective(moves, [as_period(r) for r in as_rows(PeriodRow, existing)], on)
    source_fte: dict[Track, float | None] = {}
    for closing in plan.closings:
        source_fte[closing.period.track] = closing.period.staffed_fte
        await records.update(
            Provision,
            cast(UUID, closing.period.id),  # a provision row's id
            {"valid_to": closing.valid_to, "closed_by": handover_id},
            actor=actor,
        )
    for opening in plan.openings:
        await records.create(
            Provision,
            {
                "service": opening.service,
                "municipality": opening.municipality,
                "organisation": opening.provider,
                "valid_from": opening.valid_from,
                "valid_to": opening.valid_to,
                "staffed_fte": opening.staffed_fte,
                "opened_by": handover_id,
            },
            actor=actor,
        )
    guarantees = await ContinuityGuarantee.select().where(
        (ContinuityGuarantee.handover == handover_id)
        & ContinuityGuarantee.baseline_fte.is_null()
        & (ContinuityGuarantee.full_strength == True)  # noqa: E712 (a query, not a comparison)
    )
    for guarantee in guarantees:
        baseline = source_fte.get((guarantee["service"], guarantee["municipality"]))
        if baseline is not None:
            await records.update(
                ContinuityGuarantee, guarantee["id"], {"baseline_fte": baseline}, actor=actor
            )


async def transition(
    handover_id: UUID, target: HandoverStatus, on: date, note: str, actor: str
) -> dict[str, Any]:
    """Move a handover to ``target`` on ``on``; becoming effective moves its provisions."""
    async with write_transaction():
        handover = await records.get_row(Handover, handover_id, for_update=True)
        current = HandoverStatus(handover["status"])
        check_transition(current, target, on, await last_transition_on(handover_id))
        changes: dict[str, Any] = {"status": target.value}
        if target is HandoverStatus.EFFECTIVE:
            await become_effective(handover, on, actor)
            changes["effective_on"] = on
        step = HandoverTransition(
            handover=handover_id,
            from_status=current.value,
            to_status=target.value,
            on=on,
            actor=actor,
            note=note,
        )
        await record_as(actor)
        await HandoverTransition.insert(step)
        await record_event(
            actor=actor,
            action="transition",
            record_type="handover",
            record_id=handover_id,
            before={"status": current.value},
            after={"status": target.value, "on": on, "note": note},
        )
        return await records.update(Handover, handover_id, changes, actor=actor)

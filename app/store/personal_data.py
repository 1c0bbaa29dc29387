"""Staff personal data (AVG): kept in ``staff_personal_data`` only, erased on request or
when the retention period after a handover's end has passed.

Every write here is audited by reference only: the audit event names the staff
transfer, its handover and staff reference, and which fields were held, never a value.
So erasing the row leaves nothing of the person in the registry.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NoReturn, cast, overload
from uuid import UUID

import msgspec
from piccolo.columns import Column

from app.database import write_transaction
from app.errors import NotFound
from app.store.audit import record_event
from app.store.typed_rows import as_rows, columns_for
from app.tables.tables import (
    Handover,
    HandoverTransition,
    IdempotentRequest,
    StaffPersonalData,
    StaffTransfer,
)

RECORD_TYPE = StaffPersonalData._meta.tablename
#: The fields that identify a person; all of them live in ``staff_personal_data``.
FIELDS = ("name",)
ENDED = ("completed", "cancelled")

#: ``StaffTransfer.select(..., NAME)``: the person's name joined at read time.
NAME = StaffTransfer.id.join_on(StaffPersonalData.staff_transfer).name.as_alias("name")


def _reference(staff: dict[str, Any]) -> dict[str, Any]:
    return {
        "staff_transfer": str(staff["id"]),
        "handover": str(staff["handover"]),
        "staff_ref": staff["staff_ref"],
    }


async def held(staff_id: UUID) -> dict[str, Any] | None:
    return (
        await StaffPersonalData.select().where(StaffPersonalData.staff_transfer == staff_id).first()
    )


async def write(staff: dict[str, Any], values: dict[str, Any], *, actor: str) -> bool:
    """Set the personal fields in ``values`` of one staff transfer (``None`` clears one),
    in the caller's write transaction; whether anything changed."""
    values = {k: v for k, v in values.items() if k in FIELDS}
    if not values:
        return False
    before = await held(staff["id"])
    merged: dict[str, Any] = {f: (before or {}).get(f) for f in FIELDS} | values
    if before is not None and all(before.get(f) == merged[f] for f in FIELDS):
        return False
    if all(v is None for v in merged.values()):
        if before is None:
            return False
        await StaffPersonalData.delete().where(StaffPersonalData.id == before["id"])
        action = "delete"
    elif before is None:
        await StaffPersonalData.insert(StaffPersonalData(staff_transfer=staff["id"], **merged))
        action = "create"
    else:
        await StaffPersonalData.update(cast(dict[Column | str, Any], merged)).where(
            StaffPersonalData.id == before["id"]
        )
        action = "update"
    await record_event(
        actor=actor,
        action=action,
        record_type=RECORD_TYPE,
        record_id=staff["id"],
        after={**_reference(staff), "fields": sorted(values)},
    )
    return True


async def _forget_replays(handover_ids: set[Any]) -> None:
    """Replayed answers of staff writes quote the person: they go with the data."""
    for handover_id in handover_ids:
        await IdempotentRequest.delete().where(
            IdempotentRequest.path.like(f"%/handovers/{handover_id}/staff%")
        )


async def erase(staff_rows: list[dict[str, Any]], *, actor: str, reason: str) -> int:
    """Erase the personal data of these staff transfers; one audit event each, saying
    that (and why) it happened, never what. The number of people whose data were held."""
    if not staff_rows:
        return 0
    ids = [r["id"] for r in staff_rows]
    async with write_transaction():
        found = {
            r["staff_transfer"]
            for r in await StaffPersonalData.select(StaffPersonalData.staff_transfer).where(
                StaffPersonalData.staff_transfer.is_in(ids)
            )
        }
        await StaffPersonalData.delete().where(StaffPersonalData.staff_transfer.is_in(ids))
        await _forget_replays({r["handover"] for r in staff_rows})
        for staff in staff_rows:
            await record_event(
                actor=actor,
                action="erase",
                record_type=RECORD_TYPE,
                record_id=staff["id"],
                after={**_reference(staff), "reason": reason, "held": staff["id"] in found},
            )
    return len(found)


async def staff_by_ref(handover_id: UUID, staff_ref: str) -> dict[str, Any]:
    await Handover.select(Handover.id).where(Handover.id == handover_id).first() or _no(
        f"no handover with id {handover_id}"
    )
    row = (
        await StaffTransfer.select(
            StaffTransfer.id, StaffTransfer.handover, StaffTransfer.staff_ref
        )
        .where((StaffTransfer.handover == handover_id) & (StaffTransfer.staff_ref == staff_ref))
        .first()
    )
    if row is None:
        _no(f"no staff transfer with staff reference {staff_ref!r} in handover {handover_id}")
    return row


def _no(detail: str) -> NoReturn:
    raise NotFound(detail)


async def erase_on_request(handover_id: UUID, staff_ref: str, *, actor: str) -> bool:
    """Erase one person's personal data (AVG art. 17); whether any were held."""
    staff = await staff_by_ref(handover_id, staff_ref)
    return await erase([staff], actor=actor, reason="request") > 0


async def ended_on(handover_ids: list[UUID]) -> dict[UUID, date]:
    """The day each handover that is completed or cancelled now reached that status."""
    if not handover_ids:
        return {}
    rows = await HandoverTransition.select(
        HandoverTransition.handover, HandoverTransition.to_status, HandoverTransition.on
    ).where(HandoverTransition.handover.is_in(handover_ids))
    current = {
        h["id"]: h["status"]
        for h in await Handover.select(Handover.id, Handover.status).where(
            Handover.id.is_in(handover_ids)
        )
    }
    ended: dict[UUID, date] = {}
    for r in rows:
        if r["to_status"] in ENDED and r["to_status"] == current.get(r["handover"]):
            ended[r["handover"]] = max(r["on"], ended.get(r["handover"], r["on"]))
    return ended


@overload
def erase_after(ended: date, days: int) -> date: ...
@overload
def erase_after(ended: date | None, days: int) -> date | None: ...
def erase_after(ended: date | None, days: int) -> date | None:
    """The first day the personal data of a handover that ended on ``ended`` are erased."""
    return None if ended is None else ended + timedelta(days=days)


async def apply_retention(*, days: int, on: date, actor: str = "retention") -> tuple[int, int]:
    """Erase the personal data of the staff of every handover that ended at least ``days``
    before ``on``. The handovers and the people whose data went."""
    ended = await Handover.select(Handover.id).where(Handover.status.is_in(list(ENDED)))
    due = [
        h
        for h, day in (await ended_on([r["id"] for r in ended])).items()
        if erase_after(day, days) <= on
    ]
    if not due:
        return 0, 0
    staff = await StaffTransfer.select(
        StaffTransfer.id, StaffTransfer.handover, StaffTransfer.staff_ref
    ).where(
        StaffTransfer.handover.is_in(due)
        & StaffTransfer.id.is_in(StaffPersonalData.select(StaffPersonalData.staff_transfer))
    )
    people = await erase(staff, actor=actor, reason="retention")
    return len({s["handover"] for s in staff}), people


# --- right of access (AVG art. 15) -----------------------------------------------------------

PURPOSE = (
    "Het register legt vast welke medewerkers met een overdracht van welzijnswerk meegaan, "
    "op welke voorwaarden en hoe ver dat is, zodat HR van de betrokken organisaties de "
    "overgang kan begeleiden (overgang van onderneming, art. 7:662 BW)."
)
RECIPIENTS = (
    "HR van de organisaties die partij zijn bij de overdracht, registrators en beheerders "
    "van het register. Gemeenten en management zien nooit uw naam of referentie, alleen "
    "aantallen en fte."
)


def _changed(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    if before is None or after is None:
        snapshot = after or before or {}
        if "fields" in snapshot:
            return sorted(snapshot["fields"])
        return sorted(k for k in snapshot if k not in {"id", "handover", "version"})
    return sorted(k for k in after if k != "version" and before.get(k) != after.get(k))


class PartyNameRow(msgspec.Struct, frozen=True):
    """A party with an organisation, as the access report names it."""

    role: str
    organisation_name: str = msgspec.field(name="organisation.name")


async def access_report(staff_id: UUID, *, days: int) -> dict[str, Any]:
    """Everything the registry holds about the person behind one staff transfer."""
    from app.tables.tables import AuditEvent, HandoverParty

    staff = (
        await StaffTransfer.select(
            *StaffTransfer.all_columns(),
            StaffTransfer.service.name,
            StaffTransfer.handover.title,
            StaffTransfer.handover.status,
        )
        .where(StaffTransfer.id == staff_id)
        .first()
    )
    if staff is None:
        raise NotFound(f"no staff transfer with id {staff_id}")
    parties = as_rows(
        PartyNameRow,
        await HandoverParty.select(*columns_for(PartyNameRow, HandoverParty)).where(
            (HandoverParty.handover == staff["handover"]) & HandoverParty.organisation.is_not_null()
        ),
    )
    events = (
        await AuditEvent.select(
            AuditEvent.occurred_at,
            AuditEvent.actor,
            AuditEvent.action,
            AuditEvent.record_type,
            AuditEvent.before,
            AuditEvent.after,
        )
        .where(
            (AuditEvent.record_id == str(staff_id))
            & AuditEvent.record_type.is_in([StaffTransfer._meta.tablename, RECORD_TYPE])
        )
        .order_by(AuditEvent.occurred_at)
        .output(load_json=True)
    )
    ended = (await ended_on([staff["handover"]])).get(staff["handover"])
    erased = [e["occurred_at"] for e in events if e["action"] == "erase"]
    return {
        "staff": staff,
        "parties": sorted(
            ({"role": p.role, "name": p.organisation_name} for p in parties),
            key=lambda p: (p["role"], p["name"]),
        ),
        "personal_data": await held(staff_id),
        "erased_at": erased[-1] if erased else None,
        "retention_days": days,
        "ended_on": ended,
        "erase_from": erase_after(ended, days),
        "history": [
            {
                "occurred_at": e["occurred_at"],
                "actor": e["actor"],
                "action": e["action"],
                "record_type": e["record_type"],
                "fields": _changed(e["before"], e["after"]),
            }
            for e in events
        ],
        "purpose": PURPOSE,
        "recipients": RECIPIENTS,
    }

"""Reading staff transfers and what the registry holds of a person (AVG art. 15)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.errors import NotFound
from app.schemas import Ref, optional_ref_from
from app.settings import staff_retention_days
from app.staff.schemas import (
    AccessEventOut,
    AccessReportOut,
    PersonalDataOut,
    RetentionOut,
    StaffPartyOut,
    StaffTransferOut,
)
from app.store import personal_data
from app.tables.tables import StaffTransfer

STAFF_COLUMNS = (
    StaffTransfer.id,
    StaffTransfer.handover,
    StaffTransfer.staff_ref,
    personal_data.NAME,
    StaffTransfer.function,
    StaffTransfer.fte,
    StaffTransfer.service,
    StaffTransfer.service.name,
    StaffTransfer.basis,
    StaffTransfer.terms_retained,
    StaffTransfer.status,
    StaffTransfer.is_demo,
    StaffTransfer.version,
)


def staff_out(row: dict[str, Any]) -> StaffTransferOut:
    return StaffTransferOut(
        id=row["id"],
        handover_id=row["handover"],
        staff_ref=row["staff_ref"],
        name=row["name"],
        function=row["function"],
        fte=row["fte"],
        service=optional_ref_from(row, "service"),
        basis=row["basis"],
        terms_retained=row["terms_retained"],
        status=row["status"],
        is_demo=row["is_demo"],
        version=row["version"],
    )


async def staff_detail(staff_id: UUID) -> StaffTransferOut:
    row = await StaffTransfer.select(*STAFF_COLUMNS).where(StaffTransfer.id == staff_id).first()
    if row is None:
        raise NotFound(f"no staff transfer with id {staff_id}")
    return staff_out(row)


async def access_report(staff_id: UUID) -> AccessReportOut:
    report = await personal_data.access_report(staff_id, days=staff_retention_days())
    staff, held = report["staff"], report["personal_data"]
    return AccessReportOut(
        handover=Ref(id=staff["handover"], name=staff["handover.title"]),
        handover_status=staff["handover.status"],
        parties=[StaffPartyOut(**p) for p in report["parties"]],
        staff_transfer=staff_out({**staff, "name": held["name"] if held else None}),
        personal_data=PersonalDataOut(name=held["name"], recorded_at=held["recorded_at"])
        if held
        else None,
        erased_at=report["erased_at"],
        retention=RetentionOut(
            days=report["retention_days"],
            handover_ended_on=report["ended_on"],
            erased_from=report["erase_from"],
        ),
        history=[AccessEventOut(**e) for e in report["history"]],
        purpose=report["purpose"],
        recipients=report["recipients"],
    )

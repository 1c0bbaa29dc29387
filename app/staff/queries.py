"""Reading staff transfers and what the registry holds of a person (AVG art. 15)."""

from __future__ import annotations

from uuid import UUID

import msgspec

from app.errors import NotFound
from app.handovers.vocabulary import HandoverStatus
from app.schemas import Ref
from app.settings import staff_retention_days
from app.staff.schemas import (
    AccessEventOut,
    AccessReportOut,
    PersonalDataOut,
    RetentionOut,
    StaffPartyOut,
    StaffTransferOut,
)
from app.staff.vocabulary import StaffBasis, StaffStatus
from app.store import personal_data
from app.store.typed_rows import columns_for
from app.tables.tables import StaffTransfer


class StaffRecordRow(msgspec.Struct, frozen=True):
    """A staff transfer as its table holds it (no name: that is kept apart)."""

    id: UUID
    handover: UUID
    staff_ref: str
    function: str
    fte: float
    service: UUID | None
    service_name: str | None = msgspec.field(name="service.name")
    basis: StaffBasis
    terms_retained: bool
    status: StaffStatus
    is_demo: bool
    version: int


class StaffRow(StaffRecordRow, frozen=True):
    """A staff transfer with the person's name, where the registry still holds it."""

    name: str | None = None


class ReportedHandoverRow(msgspec.Struct, frozen=True):
    """The handover of a staff transfer, as the access report names it."""

    title: str = msgspec.field(name="handover.title")
    status: HandoverStatus = msgspec.field(name="handover.status")


#: The name joins in from the personal data (``personal_data.NAME``), an aliased join
#: that a row's field path cannot spell.
STAFF_COLUMNS = (*columns_for(StaffRecordRow, StaffTransfer), personal_data.NAME)


def staff_out(row: StaffRow) -> StaffTransferOut:
    return StaffTransferOut(
        id=row.id,
        handover_id=row.handover,
        staff_ref=row.staff_ref,
        name=row.name,
        function=row.function,
        fte=row.fte,
        service=Ref(id=row.service, name=row.service_name or "")
        if row.service is not None
        else None,
        basis=row.basis,
        terms_retained=row.terms_retained,
        status=row.status,
        is_demo=row.is_demo,
        version=row.version,
    )


async def staff_row(staff_id: UUID) -> StaffRow | None:
    row = await StaffTransfer.select(*STAFF_COLUMNS).where(StaffTransfer.id == staff_id).first()
    return None if row is None else msgspec.convert(row, StaffRow)


async def staff_detail(staff_id: UUID) -> StaffTransferOut:
    row = await staff_row(staff_id)
    if row is None:
        raise NotFound(f"no staff transfer with id {staff_id}")
    return staff_out(row)


async def access_report(staff_id: UUID) -> AccessReportOut:
    report = await personal_data.access_report(staff_id, days=staff_retention_days())
    held = report["personal_data"]
    staff = msgspec.convert(report["staff"], StaffRow)
    handover = msgspec.convert(report["staff"], ReportedHandoverRow)
    return AccessReportOut(
        handover=Ref(id=staff.handover, name=handover.title),
        handover_status=handover.status,
        parties=[StaffPartyOut(**p) for p in report["parties"]],
        staff_transfer=staff_out(
            msgspec.structs.replace(staff, name=held["name"] if held else None)
        ),
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

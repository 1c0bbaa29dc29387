"""Every write on a staff transfer: audited, transactional, callable without HTTP.

The staff API and the HR forms call these; the caller has checked that its person may
see the handover's staff (``app.staff.controllers.check_staff_access``).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.database import write_transaction
from app.errors import Conflict, DomainError, NotFound
from app.staff.rules import check_staff_status
from app.store import personal_data, records
from app.tables.tables import Handover, HandoverService, Service, StaffTransfer


async def check_staff_ref_free(
    handover_id: UUID, staff_ref: str, except_id: UUID | None = None
) -> None:
    query = StaffTransfer.exists().where(
        (StaffTransfer.handover == handover_id) & (StaffTransfer.staff_ref == staff_ref)
    )
    if except_id is not None:
        query = query.where(StaffTransfer.id != except_id)
    if await query:
        raise Conflict(
            f"staff reference {staff_ref!r} is already used in this handover",
            field="staffRef",
            nl="Dit kenmerk is in deze overdracht al in gebruik.",
        )


async def check_service(handover_id: UUID, service_id: UUID | None) -> None:
    """A staff member works on a service the handover moves, as the staff import demands."""
    if service_id is None:
        return
    if not await Service.exists().where(Service.id == service_id):
        raise NotFound(
            f"no service with id {service_id}",
            field="serviceId",
            nl="Deze dienst staat niet in het register.",
        )
    if not await HandoverService.exists().where(
        (HandoverService.handover == handover_id) & (HandoverService.service == service_id)
    ):
        raise Conflict(
            f"the handover does not move service {service_id}",
            field="serviceId",
            nl="Deze dienst gaat niet over met deze overdracht.",
        )


async def create_staff_transfer(
    handover_id: UUID, values: dict[str, Any], actor: str
) -> dict[str, Any]:
    """``values`` as the table's columns plus the personal data fields."""
    async with write_transaction():
        await check_staff_ref_free(handover_id, values["staff_ref"])
        await check_service(handover_id, values.get("service"))
        values = dict(values)
        personal = {f: values.pop(f) for f in personal_data.FIELDS}
        row = await records.create(StaffTransfer, {"handover": handover_id, **values}, actor=actor)
        await personal_data.write(row, personal, actor=actor)
        await records.touch(Handover, handover_id)  # its staff summary changed
    return row


async def update_staff_transfer(
    handover_id: UUID,
    staff_id: UUID,
    changes: dict[str, Any],
    actor: str,
    if_match: str | None,
) -> None:
    """Change a staff transfer on the version the editor read; status moves forward only."""
    changes = dict(changes)
    async with write_transaction():
        row = await records.get_row(StaffTransfer, staff_id, for_update=True)
        if row["handover"] != handover_id:
            raise NotFound(f"no staff transfer with id {staff_id} in this handover")
        records.check_version(row, if_match)
        if "staff_ref" in changes:
            await check_staff_ref_free(handover_id, changes["staff_ref"], except_id=staff_id)
        if "service" in changes:
            await check_service(handover_id, changes["service"])
        if "status" in changes:
            check_staff_status(row["status"], changes["status"])
        personal = {f: changes.pop(f) for f in personal_data.FIELDS if f in changes}
        after = await records.update(StaffTransfer, staff_id, changes, actor=actor)
        if await personal_data.write(after, personal, actor=actor) and not changes:
            await records.touch(StaffTransfer, staff_id)  # its answer (and ETag) changed
        if changes or personal:
            await records.touch(Handover, handover_id)  # its staff summary changed


async def set_staff_status(
    handover_id: UUID, versions: dict[UUID, int], status: str, actor: str
) -> None:
    """One status for several staff transfers, each on the version the editor read: all of
    them or, when one is refused, none."""
    async with write_transaction():
        for staff_id, version in versions.items():
            try:
                await update_staff_transfer(
                    handover_id, staff_id, {"status": status}, actor, records.etag(version)
                )
            except DomainError as error:
                row = (
                    await StaffTransfer.select(StaffTransfer.staff_ref)
                    .where(StaffTransfer.id == staff_id)
                    .first()
                )
                if row is not None and error.nl:
                    error.nl = f"{row['staff_ref']}: {error.nl}"
                raise

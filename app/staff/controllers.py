"""Staff transfers: who moves with a handover, on which terms. Personal data (AVG/GDPR).

Only admins, registrars and HR of an organisation that is party to the handover may
read or change them; the policy refuses management and municipality keys outright.
"""

from __future__ import annotations

from typing import Annotated, Any, cast
from uuid import UUID

import msgspec
from litestar import Controller, Response, delete, get, patch, post
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.params import JSONBody, QueryParameter
from litestar.types import HTTPScope

from app.api.auth import CurrentPrincipal
from app.api.etags import IfMatch, created, with_etag
from app.api.pagination import Cursor, Limit, keyset_page
from app.api.params import IdPath, KnownOn, as_aware
from app.database import write_transaction
from app.errors import NotFound
from app.schemas import Page, set_fields
from app.staff import service
from app.staff.access import check_personal_data_access, check_staff_access
from app.staff.queries import (
    STAFF_COLUMNS,
    StaffRow,
    access_report,
    staff_detail,
    staff_out,
)
from app.staff.schemas import (
    AccessReportOut,
    StaffTransferCreate,
    StaffTransferOut,
    StaffTransferUpdate,
)
from app.staff.vocabulary import StaffStatus
from app.store import personal_data, records
from app.store.typed_rows import as_rows
from app.tables.tables import StaffTransfer


async def staff_scope(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Before any body is read: only HR of a party (or an unscoped role) gets further."""
    if cast("HTTPScope", connection.scope)["method"] == "OPTIONS":
        return  # the automatic OPTIONS answer reveals nothing
    await check_staff_access(connection.scope["user"], connection.path_params["handover_id"])


class StaffTransferController(Controller):
    path = "/handovers/{handover_id:uuid}/staff"
    tags = ["staff transfers"]
    guards = [staff_scope]

    @get(operation_id="listStaffTransfers")
    async def list_staff(
        self,
        handover_id: IdPath,
        principal: CurrentPrincipal,
        limit: Limit = 50,
        cursor: Cursor = None,
        status: Annotated[
            StaffStatus | None, QueryParameter(description="Only this status.", required=False)
        ] = None,
        known_on: KnownOn = None,
    ) -> Page[StaffTransferOut]:
        """The staff transfers of a handover, by staff reference."""
        query = StaffTransfer.select(*STAFF_COLUMNS).where(StaffTransfer.handover == handover_id)
        if status is not None:
            query = query.where(StaffTransfer.status == status)
        rows, next_cursor = await keyset_page(
            query,
            sort=StaffTransfer.staff_ref,
            id_column=StaffTransfer.id,
            limit=limit,
            cursor=cursor,
            at=as_aware(known_on),
        )
        return Page(items=[staff_out(r) for r in as_rows(StaffRow, rows)], next=next_cursor)

    @post(operation_id="createStaffTransfer")
    async def create_staff(
        self, handover_id: IdPath, data: JSONBody[StaffTransferCreate], principal: CurrentPrincipal
    ) -> Response[StaffTransferOut]:
        """Record an employee who moves (or not) with the handover."""
        values = msgspec.structs.asdict(data)
        values["service"] = values.pop("service_id")
        row = await service.create_staff_transfer(handover_id, values, principal.actor)
        return created(await staff_detail(row["id"]))

    @patch("/{staff_id:uuid}", operation_id="updateStaffTransfer")
    async def update_staff(
        self,
        handover_id: IdPath,
        staff_id: IdPath,
        data: JSONBody[StaffTransferUpdate],
        principal: CurrentPrincipal,
        if_match: IfMatch = None,
    ) -> Response[StaffTransferOut]:
        """Change a staff transfer; its status moves forward only, or to declined."""
        changes = set_fields(data)
        if "service_id" in changes:
            changes["service"] = changes.pop("service_id")
        await service.update_staff_transfer(
            handover_id, staff_id, changes, principal.actor, if_match
        )
        return with_etag(await staff_detail(staff_id))

    async def _of_handover(self, handover_id: UUID, staff_id: UUID) -> dict[str, Any]:
        row = await records.get_row(StaffTransfer, staff_id)
        if row["handover"] != handover_id:
            raise NotFound(f"no staff transfer with id {staff_id} in this handover")
        return row

    @get("/{staff_id:uuid}/personal-data", operation_id="getStaffPersonalData")
    async def get_personal_data(
        self, handover_id: IdPath, staff_id: IdPath, principal: CurrentPrincipal
    ) -> Response[AccessReportOut]:
        """Everything the registry holds about one person (AVG art. 15: right of access)."""
        await check_personal_data_access(principal, handover_id)
        await self._of_handover(handover_id, staff_id)
        return Response(await access_report(staff_id))

    @delete(
        "/{staff_id:uuid}/personal-data", operation_id="eraseStaffPersonalData", status_code=204
    )
    async def erase_personal_data(
        self,
        handover_id: IdPath,
        staff_id: IdPath,
        principal: CurrentPrincipal,
        if_match: IfMatch = None,
    ) -> None:
        """Erase one person's personal data everywhere (AVG art. 17); figures stay."""
        async with write_transaction():
            row = await self._of_handover(handover_id, staff_id)
            records.check_version(row, if_match)  # the ETag of the transfer: no wrong person
            await personal_data.erase([row], actor=principal.actor, reason="request")

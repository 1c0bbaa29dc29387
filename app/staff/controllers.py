"""Staff transfers: who moves with a handover, on which terms. Personal data (AVG/GDPR).

Only admins, registrars and HR of an organisation that is party to the handover may
read or change them; the policy refuses management and municipality keys outright.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, cast
from uuid import UUID

import msgspec
from litestar import Controller, Response, delete, get, patch, post
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.params import JSONBody, QueryParameter
from litestar.types import HTTPScope

from app.access.roles import Principal, Role
from app.access.scope import is_party_organisation
from app.api.auth import CurrentPrincipal
from app.api.etags import IfMatch, created, with_etag
from app.api.fields import Fte, Function, PersonName, StaffRef
from app.api.pagination import Cursor, Limit, keyset_page
from app.api.params import IdPath, KnownOn, as_aware
from app.api.schemas import Page, Ref, Schema, optional_ref_from, set_fields
from app.database import write_transaction
from app.errors import Forbidden, NotFound
from app.settings import staff_retention_days
from app.staff import service
from app.staff.vocabulary import StaffBasis, StaffStatus
from app.store import personal_data, records
from app.tables.tables import Handover, StaffTransfer


class StaffTransferOut(Schema):
    id: UUID
    handover_id: UUID
    staff_ref: str
    name: str | None
    function: str
    fte: float
    service: Ref | None
    basis: StaffBasis
    terms_retained: bool
    status: StaffStatus
    is_demo: bool
    version: int


class StaffTransferCreate(Schema):
    staff_ref: StaffRef
    fte: Fte
    name: PersonName | None = None
    function: Function = ""
    service_id: UUID | None = None
    basis: StaffBasis = StaffBasis.TRANSFER_OF_UNDERTAKING
    terms_retained: bool = True
    status: StaffStatus = StaffStatus.PROPOSED
    is_demo: bool = False


class StaffTransferUpdate(Schema):
    staff_ref: StaffRef | msgspec.UnsetType = msgspec.UNSET
    name: PersonName | msgspec.UnsetType | None = msgspec.UNSET
    function: Function | msgspec.UnsetType = msgspec.UNSET
    fte: Fte | msgspec.UnsetType = msgspec.UNSET
    service_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    basis: StaffBasis | msgspec.UnsetType = msgspec.UNSET
    terms_retained: bool | msgspec.UnsetType = msgspec.UNSET
    status: StaffStatus | msgspec.UnsetType = msgspec.UNSET
    is_demo: bool | msgspec.UnsetType = msgspec.UNSET


class PersonalDataOut(Schema):
    name: str | None
    recorded_at: datetime


class AccessEventOut(Schema):
    occurred_at: datetime
    actor: str
    action: str
    record_type: str
    fields: list[str]


class StaffPartyOut(Schema):
    role: str
    name: str


class RetentionOut(Schema):
    days: int
    handover_ended_on: date | None
    erased_from: date | None


class AccessReportOut(Schema):
    """Everything the registry holds about the person behind one staff transfer."""

    handover: Ref
    handover_status: str
    parties: list[StaffPartyOut]
    staff_transfer: StaffTransferOut
    personal_data: PersonalDataOut | None
    erased_at: datetime | None
    retention: RetentionOut
    history: list[AccessEventOut]
    purpose: str
    recipients: str


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


async def check_staff_access(principal: Principal, handover_id: UUID) -> None:
    """The handover exists, and an hr key belongs to one of its parties."""
    await records.get_row(Handover, handover_id)
    if principal.unscoped:
        return
    if principal.role is Role.HR and await is_party_organisation(principal, handover_id):
        return
    raise Forbidden("this key's organisations are not party to this handover")


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
        return Page(items=[staff_out(r) for r in rows], next=next_cursor)

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
        self, handover_id: IdPath, staff_id: IdPath
    ) -> Response[AccessReportOut]:
        """Everything the registry holds about one person (AVG art. 15: right of access)."""
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

"""A staff transfer as the API and the pages show it, and the bodies that change it."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import msgspec

from app.fields import Fte, Function, PersonName, StaffRef
from app.schemas import Ref, Schema
from app.staff.vocabulary import StaffBasis, StaffStatus


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

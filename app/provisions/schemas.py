"""A provision as the API shows it, and the bodies that record and change one."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec

from app.fields import CbsCode, FreeText, ServiceFte
from app.schemas import MunicipalityRef, Ref, Schema


class ProvisionOut(Schema):
    id: UUID
    service: Ref
    municipality: MunicipalityRef
    provider: Ref
    valid_from: date
    valid_to: date | None
    staffed_fte: float | None
    opened_by_handover: UUID | None
    closed_by_handover: UUID | None
    note: str
    version: int


class ProvisionCreate(Schema):
    service_id: UUID
    municipality_code: CbsCode
    provider_id: UUID
    valid_from: date
    valid_to: date | None = None
    staffed_fte: ServiceFte | None = None
    note: FreeText = ""


class ProvisionUpdate(Schema):
    valid_from: date | msgspec.UnsetType = msgspec.UNSET
    valid_to: date | msgspec.UnsetType | None = msgspec.UNSET
    staffed_fte: ServiceFte | msgspec.UnsetType | None = msgspec.UNSET
    note: FreeText | msgspec.UnsetType = msgspec.UNSET

"""A handover as the API and the pages show it, and the bodies that change it."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import msgspec

from app.fields import CbsCode, FreeText, ServiceFte, Title
from app.handovers.vocabulary import (
    HandoverKind,
    HandoverStatus,
    Involvement,
    MilestoneKind,
    PartyRole,
)
from app.schemas import (
    MunicipalityRef,
    Ref,
    Schema,
)
from app.staff.vocabulary import StaffStatus


# Named as the OpenAPI document has published it since the first version (the staff
# access report has a party of its own, StaffPartyOut).
class HandoversPartyOut(Schema):
    id: UUID
    role: PartyRole
    organisation: Ref | None
    municipality: MunicipalityRef | None
    involvement: Involvement | None
    note: str


class MovedServiceOut(Schema):
    id: UUID
    service: Ref
    municipality: MunicipalityRef
    from_organisation: Ref | None
    note: str


class GuaranteeOut(Schema):
    id: UUID
    service: Ref
    municipality: MunicipalityRef
    valid_from: date
    until: date | None
    review_on: date | None
    full_strength: bool
    same_conditions: bool
    baseline_fte: float | None
    text: str


class MilestoneOut(Schema):
    id: UUID
    kind: MilestoneKind
    title: str
    due_on: date | None
    done_on: date | None
    note: str


class TransitionOut(Schema):
    from_status: HandoverStatus | None
    to_status: HandoverStatus
    on: date
    actor: str
    note: str
    recorded_at: datetime


class Progress(Schema):
    """Milestones done out of all milestones."""

    done: int
    total: int
    percent: int


class StaffStatusCount(Schema):
    status: StaffStatus
    count: int
    fte: float


class StaffSummary(Schema):
    """Aggregates only: what management and municipalities may see of the staff."""

    count: int
    fte: float
    moving_fte: float
    by_status: list[StaffStatusCount]


class HandoverSummary(Schema):
    id: UUID
    title: str
    kind: HandoverKind
    status: HandoverStatus
    effective_on: date | None
    announced_on: date | None
    receiving_organisation: Ref | None
    version: int


class HandoverOut(Schema):
    id: UUID
    title: str
    description: str
    kind: HandoverKind
    status: HandoverStatus
    effective_on: date | None
    announced_on: date | None
    source: str
    version: int
    parties: list[HandoversPartyOut]
    services: list[MovedServiceOut]
    guarantees: list[GuaranteeOut]
    milestones: list[MilestoneOut]
    transitions: list[TransitionOut]
    progress: Progress
    staff: StaffSummary


class PartyCreate(Schema):
    role: PartyRole
    organisation_id: UUID | None = None
    municipality_code: CbsCode | None = None
    involvement: Involvement | None = None
    note: FreeText = ""


class MovedServiceCreate(Schema):
    service_id: UUID
    municipality_code: CbsCode
    from_organisation_id: UUID | None = None
    note: FreeText = ""


class GuaranteeCreate(Schema):
    service_id: UUID
    municipality_code: CbsCode
    valid_from: date | None = None
    until: date | None = None
    review_on: date | None = None
    full_strength: bool = False
    same_conditions: bool = False
    baseline_fte: ServiceFte | None = None
    text: FreeText = ""


class MilestoneCreate(Schema):
    title: Title
    kind: MilestoneKind = MilestoneKind.OTHER
    due_on: date | None = None
    done_on: date | None = None
    note: FreeText = ""


class MilestoneUpdate(Schema):
    kind: MilestoneKind | msgspec.UnsetType = msgspec.UNSET
    title: Title | msgspec.UnsetType = msgspec.UNSET
    due_on: date | msgspec.UnsetType | None = msgspec.UNSET
    done_on: date | msgspec.UnsetType | None = msgspec.UNSET
    note: FreeText | msgspec.UnsetType = msgspec.UNSET


class HandoverCreate(Schema):
    title: Title
    description: FreeText = ""
    kind: HandoverKind = HandoverKind.TRANSFER
    effective_on: date | None = None
    announced_on: date | None = None
    source: FreeText = ""
    parties: list[PartyCreate] = []
    services: list[MovedServiceCreate] = []
    guarantees: list[GuaranteeCreate] = []
    milestones: list[MilestoneCreate] = []


# Unknown fields are refused here so that a PATCH of ``status`` fails loudly instead of
# being ignored: the status changes through transitions only.
class HandoverUpdate(Schema, forbid_unknown_fields=True):
    title: Title | msgspec.UnsetType = msgspec.UNSET
    description: FreeText | msgspec.UnsetType = msgspec.UNSET
    kind: HandoverKind | msgspec.UnsetType = msgspec.UNSET
    effective_on: date | msgspec.UnsetType | None = msgspec.UNSET
    announced_on: date | msgspec.UnsetType | None = msgspec.UNSET
    source: FreeText | msgspec.UnsetType = msgspec.UNSET


class TransitionCreate(Schema):
    to: HandoverStatus
    on: date | None = None
    note: FreeText = ""

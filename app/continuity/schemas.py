"""Continuity as the API and the pages show it."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec

from app.continuity.vocabulary import BreachReason, IssueKind
from app.schemas import MunicipalityRef, Ref, Schema


class PlannedHandover(Schema):
    handover_id: UUID
    status: str
    effective_on: date | None
    to_provider: Ref | None


class GuaranteeInForce(Schema):
    id: UUID
    handover_id: UUID
    until: date | None
    review_on: date | None
    full_strength: bool
    same_conditions: bool
    text: str
    breached: bool


class ServiceContinuity(Schema):
    service: Ref
    provider: Ref
    since: date
    until: date | None
    planned: list[PlannedHandover]
    guarantees: list[GuaranteeInForce]


class SuccessorContinuity(Schema):
    """After a split: what one successor answers, and which part of the old territory it
    covers (``null`` when the registry cannot tell)."""

    municipality: MunicipalityRef
    part: str | None
    services: list[ServiceContinuity]


class Continuity(Schema):
    municipality: MunicipalityRef
    requested_code: str
    on: date
    services: list[ServiceContinuity]
    #: Only when the municipality had been split over several by ``on``.
    successors: list[SuccessorContinuity] | msgspec.UnsetType = msgspec.UNSET
    note: str | msgspec.UnsetType = msgspec.UNSET


class ContinuityIssue(Schema):
    kind: IssueKind
    service: Ref
    municipality: MunicipalityRef
    start: date
    end: date | None
    days: int | None
    organisations: list[Ref]
    provision_ids: list[UUID]
    handover_id: UUID | None = None
    guarantee_id: UUID | None = None
    reason: BreachReason | None = None
    planned: bool = False

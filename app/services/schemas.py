"""A service as the API shows it (with its yearly figures and its timeline in a
municipality), and the bodies that register and change one."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec

from app.fields import Category, FigureValue, FreeText, Metric, Name, Year
from app.schemas import MunicipalityRef, Ref, Schema


class ServiceFigureOut(Schema):
    organisation: Ref
    year: int
    metric: str
    value: float
    note: str


class ServiceOut(Schema):
    id: UUID
    name: str
    category: str
    description: str
    version: int
    figures: list[ServiceFigureOut] = []


class ServiceSummary(Schema):
    id: UUID
    name: str
    category: str


class ServiceCreate(Schema):
    name: Name
    category: Category = ""
    description: FreeText = ""


class ServiceUpdate(Schema):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    category: Category | msgspec.UnsetType = msgspec.UNSET
    description: FreeText | msgspec.UnsetType = msgspec.UNSET


class ServiceFigureCreate(Schema):
    organisation_id: UUID
    year: Year
    metric: Metric
    value: FigureValue
    note: FreeText = ""


class TimelinePeriod(Schema):
    provision_id: UUID
    provider: Ref
    municipality: MunicipalityRef
    valid_from: date
    valid_to: date | None
    staffed_fte: float | None
    opened_by_handover: UUID | None
    closed_by_handover: UUID | None
    via_predecessor: bool
    gap_before_days: int
    overlaps_with: list[UUID]


class Timeline(Schema):
    service: Ref
    municipality: MunicipalityRef
    periods: list[TimelinePeriod]
    gaps: int
    overlaps: int

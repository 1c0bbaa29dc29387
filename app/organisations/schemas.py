"""An organisation as the API shows it (parents, members, names, officers and register
numbers over time), and the bodies that register and change one."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec

from app.fields import FreeText, KvkNumber, Name, OrganisationKind, Website
from app.organisations.vocabulary import IdentifierKind, RelationKind
from app.schemas import Ref, Schema


class NameRecord(Schema):
    name: str
    valid_from: date | None
    valid_to: date | None


class RelationOut(Schema):
    organisation: Ref
    kind: RelationKind
    valid_from: date | None
    valid_to: date | None
    note: str


class OfficerOut(Schema):
    name: str
    title: str
    valid_from: date | None
    valid_to: date | None


IdentifierValue = Annotated[
    str, msgspec.Meta(pattern=r"^\d{1,12}$", description="The number, digits only.")
]


class IdentifierRecord(Schema):
    kind: IdentifierKind
    value: IdentifierValue
    valid_from: date | None = None
    valid_to: date | None = None


class OrganisationOut(Schema):
    id: UUID
    name: str
    kvk_number: str | None
    kind: str
    website: str | None
    description: str
    is_demo: bool
    version: int
    parent: Ref | None = None
    part_of: list[RelationOut] = []
    members: list[RelationOut] = []
    name_history: list[NameRecord] = []
    officers: list[OfficerOut] = []
    identifiers: list[IdentifierRecord] = []


class OrganisationCreate(Schema):
    name: Name
    kvk_number: KvkNumber | None = None
    kind: OrganisationKind = "stichting"
    website: Website | None = None
    description: FreeText = ""
    parent_id: UUID | None = None
    part_of_since: date | None = None
    identifiers: list[IdentifierRecord] = []


class OrganisationUpdate(Schema):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    renamed_on: date | msgspec.UnsetType = msgspec.UNSET
    kvk_number: KvkNumber | msgspec.UnsetType | None = msgspec.UNSET
    kind: OrganisationKind | msgspec.UnsetType = msgspec.UNSET
    website: Website | msgspec.UnsetType | None = msgspec.UNSET
    description: FreeText | msgspec.UnsetType = msgspec.UNSET


class RelationCreate(Schema):
    related_to: UUID
    kind: RelationKind = RelationKind.PART_OF
    valid_from: date | None = None
    valid_to: date | None = None
    note: FreeText = ""

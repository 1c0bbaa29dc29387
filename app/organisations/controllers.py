"""Organisations: providers and other parties, with parents over time and name history."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Response, get, patch, post
from litestar.params import JSONBody, QueryParameter

from app.api.auth import CurrentPrincipal
from app.api.etags import IfMatch, created, with_etag
from app.api.pagination import Cursor, Limit, keyset_page
from app.api.params import IdPath, KnownOn, NameContains, as_aware
from app.dates import today
from app.errors import InvalidInput
from app.fields import FreeText, KvkNumber, Name, OrganisationKind, Website
from app.organisations import service
from app.organisations.identifiers import add_identifier, organisations_known_by
from app.organisations.vocabulary import IdentifierKind, RelationKind
from app.schemas import Page, Ref, Schema, ref_from
from app.store import records
from app.store.search import name_contains
from app.tables.tables import (
    Officer,
    Organisation,
    OrganisationIdentifier,
    OrganisationName,
    OrganisationRelation,
)

IDENTIFIER_VALUE = re.compile(r"^(\d{8}|\d{9}|\d{12})$")


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


def _period_covers(row: dict[str, Any], on: date) -> bool:
    return (row["valid_from"] is None or row["valid_from"] <= on) and (
        row["valid_to"] is None or on < row["valid_to"]
    )


async def organisation_detail(organisation_id: UUID) -> OrganisationOut:
    row = await records.get_row(Organisation, organisation_id)
    names = await OrganisationName.select().where(OrganisationName.organisation == organisation_id)
    relation_columns = (
        OrganisationRelation.organisation,
        OrganisationRelation.organisation.name,
        OrganisationRelation.related_to,
        OrganisationRelation.related_to.name,
        OrganisationRelation.kind,
        OrganisationRelation.valid_from,
        OrganisationRelation.valid_to,
        OrganisationRelation.note,
    )
    relations = await OrganisationRelation.select(*relation_columns).where(
        (OrganisationRelation.organisation == organisation_id)
        | (OrganisationRelation.related_to == organisation_id)
    )
    officers = await Officer.select().where(Officer.organisation == organisation_id)
    identifiers = await OrganisationIdentifier.select().where(
        OrganisationIdentifier.organisation == organisation_id
    )

    def relation(r: dict[str, Any], side: str) -> RelationOut:
        return RelationOut(
            organisation=ref_from(r, side),
            kind=r["kind"],
            valid_from=r["valid_from"],
            valid_to=r["valid_to"],
            note=r["note"],
        )

    part_of = [relation(r, "related_to") for r in relations if r["organisation"] == row["id"]]
    members = [relation(r, "organisation") for r in relations if r["related_to"] == row["id"]]
    on = today()
    current_parent = next(
        (
            r.organisation
            for r in part_of
            if r.kind == RelationKind.PART_OF
            and _period_covers({"valid_from": r.valid_from, "valid_to": r.valid_to}, on)
        ),
        None,
    )
    return OrganisationOut(
        id=row["id"],
        name=row["name"],
        kvk_number=row["kvk_number"],
        kind=row["kind"],
        website=row["website"],
        description=row["description"],
        is_demo=row["is_demo"],
        version=row["version"],
        parent=current_parent,
        part_of=part_of,
        members=members,
        name_history=[
            NameRecord(name=n["name"], valid_from=n["valid_from"], valid_to=n["valid_to"])
            for n in sorted(names, key=lambda n: n["valid_from"] or date.min)
        ],
        officers=[
            OfficerOut(
                name=o["name"], title=o["title"], valid_from=o["valid_from"], valid_to=o["valid_to"]
            )
            for o in sorted(officers, key=lambda o: o["valid_from"] or date.min)
        ],
        identifiers=[
            IdentifierRecord(
                kind=i["kind"], value=i["value"], valid_from=i["valid_from"], valid_to=i["valid_to"]
            )
            for i in sorted(identifiers, key=lambda i: (i["kind"], i["valid_from"] or date.min))
        ],
    )


class OrganisationController(Controller):
    path = "/organisations"
    tags = ["organisations"]

    @get(operation_id="listOrganisations")
    async def list_organisations(
        self,
        limit: Limit = 50,
        cursor: Cursor = None,
        name: NameContains = None,
        kvk_number: Annotated[
            str | None,
            QueryParameter(
                name="kvkNumber",
                description="Exact KvK number.",
                required=False,
                pattern=r"^\d{8}$",
            ),
        ] = None,
        identifier: Annotated[
            str | None,
            QueryParameter(
                description="A KvK number, vestigingsnummer, RSIN or AGB code the organisation "
                "holds (with `on`: held on that date).",
                required=False,
            ),
        ] = None,
        on: Annotated[
            date | None,
            QueryParameter(description="With `identifier`: the date it was held.", required=False),
        ] = None,
        known_on: KnownOn = None,
    ) -> Page[Ref]:
        """List organisations by name, or find one by any of its register numbers."""
        query = Organisation.select(Organisation.id, Organisation.name)
        if name:
            query = query.where(name_contains(Organisation.name, name))
        if kvk_number:
            query = query.where(Organisation.kvk_number == kvk_number)
        if identifier is not None:
            if not IDENTIFIER_VALUE.fullmatch(identifier):
                raise InvalidInput(
                    f"{identifier!r} is not a register number (8, 9 or 12 digits)",
                    field="identifier",
                )
            found = await organisations_known_by(identifier, on)
            query = query.where(Organisation.id.is_in(list(found) or [uuid.UUID(int=0)]))
        elif on is not None:
            raise InvalidInput("on is only used with identifier", field="on")
        rows, next_cursor = await keyset_page(
            query,
            sort=Organisation.name,
            id_column=Organisation.id,
            limit=limit,
            cursor=cursor,
            at=as_aware(known_on),
        )
        return Page(items=[Ref(id=r["id"], name=r["name"]) for r in rows], next=next_cursor)

    @get("/{organisation_id:uuid}", operation_id="getOrganisation")
    async def get_organisation(self, organisation_id: IdPath) -> Response[OrganisationOut]:
        """One organisation with its parents, members, name history and officers."""
        return with_etag(await organisation_detail(organisation_id))

    @post(operation_id="createOrganisation")
    async def create_organisation(
        self, data: JSONBody[OrganisationCreate], principal: CurrentPrincipal
    ) -> Response[OrganisationOut]:
        """Register an organisation."""
        organisation_id = await service.create_organisation(
            {
                "name": data.name,
                "kvk_number": data.kvk_number,
                "kind": data.kind,
                "website": data.website,
                "description": data.description,
            },
            data.parent_id,
            data.part_of_since,
            principal.actor,
            identifiers=[(i.kind, i.value, i.valid_from, i.valid_to) for i in data.identifiers],
        )
        return created(await organisation_detail(organisation_id))

    @patch("/{organisation_id:uuid}", operation_id="updateOrganisation")
    async def update_organisation(
        self,
        organisation_id: IdPath,
        data: JSONBody[OrganisationUpdate],
        principal: CurrentPrincipal,
        if_match: IfMatch = None,
    ) -> Response[OrganisationOut]:
        """Change an organisation; a new name is kept in the name history."""
        changes = {
            k: v
            for k, v in msgspec.structs.asdict(data).items()
            if v is not msgspec.UNSET and k != "renamed_on"
        }
        renamed_on = None if data.renamed_on is msgspec.UNSET else data.renamed_on
        await service.update_organisation(
            organisation_id, changes, renamed_on, principal.actor, if_match
        )
        return with_etag(await organisation_detail(organisation_id))

    @post("/{organisation_id:uuid}/identifiers", operation_id="createOrganisationIdentifier")
    async def create_identifier(
        self,
        organisation_id: IdPath,
        data: JSONBody[IdentifierRecord],
        principal: CurrentPrincipal,
    ) -> Response[OrganisationOut]:
        """Record a register number the organisation holds from a date; an open number of
        the same kind that started earlier ends that day."""
        await add_identifier(
            organisation_id,
            data.kind,
            data.value,
            data.valid_from,
            data.valid_to,
            actor=principal.actor,
        )
        return created(await organisation_detail(organisation_id))

    @post("/{organisation_id:uuid}/relations", operation_id="createOrganisationRelation")
    async def create_relation(
        self, organisation_id: IdPath, data: JSONBody[RelationCreate], principal: CurrentPrincipal
    ) -> Response[OrganisationOut]:
        """Record that the organisation is part (or a member) of another over a period."""
        await service.add_relation(
            organisation_id,
            data.related_to,
            data.kind,
            data.valid_from,
            data.valid_to,
            data.note,
            principal.actor,
        )
        return created(await organisation_detail(organisation_id))

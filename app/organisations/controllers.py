"""Organisations: providers and other parties, with parents over time and name history."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, Response, get, patch, post
from litestar.params import JSONBody, QueryParameter

from app.api.auth import CurrentPrincipal
from app.api.etags import IfMatch, created, with_etag
from app.api.pagination import Cursor, Limit, keyset_page
from app.api.params import IdPath, KnownOn, NameContains, as_aware
from app.organisations import service
from app.organisations.queries import organisation_detail, organisations_query
from app.organisations.schemas import (
    IdentifierRecord,
    OrganisationCreate,
    OrganisationOut,
    OrganisationUpdate,
    RelationCreate,
)
from app.schemas import Page, Ref, set_fields
from app.tables.tables import Organisation


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
        rows, next_cursor = await keyset_page(
            await organisations_query(name, kvk_number, identifier, on),
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
        changes = set_fields(data)
        changes.pop("renamed_on", None)
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
        await service.add_identifier(
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

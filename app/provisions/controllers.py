"""Provisions: an organisation delivering a service in a municipality over a period."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Response, get, patch, post
from litestar.params import JSONBody, QueryParameter

from app.access.scope import check_municipality_allowed
from app.api.auth import CurrentPrincipal
from app.api.etags import IfMatch, created, with_etag
from app.api.pagination import Cursor, Limit, keyset_page
from app.api.params import IdPath, KnownOn, OnDate, as_aware
from app.errors import NotFound
from app.fields import CBS_CODE_QUERY, CbsCode, FreeText, ServiceFte
from app.identifiers import check_cbs_code
from app.provisions.queries import PROVISION_COLUMNS
from app.provisions.service import create_provision, update_provision
from app.schemas import (
    MunicipalityRef,
    Page,
    Ref,
    Schema,
    municipality_from,
    ref_from,
    set_fields,
)
from app.tables.tables import Provision


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


def provision_out(row: dict[str, Any]) -> ProvisionOut:
    return ProvisionOut(
        id=row["id"],
        service=ref_from(row, "service"),
        municipality=municipality_from(row),
        provider=ref_from(row, "organisation"),
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        staffed_fte=row["staffed_fte"],
        opened_by_handover=row["opened_by"],
        closed_by_handover=row["closed_by"],
        note=row["note"],
        version=row["version"],
    )


async def provision_detail(provision_id: UUID) -> ProvisionOut:
    row = (
        await Provision.select(*PROVISION_COLUMNS, Provision.note, Provision.version)
        .where(Provision.id == provision_id)
        .first()
    )
    if row is None:
        raise NotFound(f"no provision with id {provision_id}")
    return provision_out(row)


class ProvisionController(Controller):
    path = "/provisions"
    tags = ["provisions"]

    @get(operation_id="listProvisions")
    async def list_provisions(
        self,
        principal: CurrentPrincipal,
        limit: Limit = 50,
        cursor: Cursor = None,
        service: Annotated[
            UUID | None, QueryParameter(description="Service id.", required=False)
        ] = None,
        municipality: Annotated[
            str | None,
            QueryParameter(description="CBS code, e.g. GM0014.", required=False, **CBS_CODE_QUERY),
        ] = None,
        provider: Annotated[
            UUID | None, QueryParameter(description="Organisation id.", required=False)
        ] = None,
        on: OnDate = None,
        known_on: KnownOn = None,
    ) -> Page[ProvisionOut]:
        """Provisions, by start date, filtered by service, municipality, provider and date."""
        query = Provision.select(*PROVISION_COLUMNS, Provision.note, Provision.version)
        if service is not None:
            query = query.where(Provision.service == service)
        if municipality is not None:
            check_cbs_code(municipality, field="municipality")
            await check_municipality_allowed(principal, municipality)
            query = query.where(Provision.municipality.code == municipality)
        if provider is not None:
            query = query.where(Provision.organisation == provider)
        if on is not None:
            query = query.where(
                (Provision.valid_from <= on)
                & (Provision.valid_to.is_null() | (Provision.valid_to > on))
            )
        rows, next_cursor = await keyset_page(
            query,
            sort=Provision.valid_from,
            id_column=Provision.id,
            limit=limit,
            cursor=cursor,
            convert=date.fromisoformat,
            at=as_aware(known_on),
        )
        return Page(items=[provision_out(r) for r in rows], next=next_cursor)

    @get("/{provision_id:uuid}", operation_id="getProvision")
    async def get_provision(self, provision_id: IdPath) -> Response[ProvisionOut]:
        """One provision."""
        return with_etag(await provision_detail(provision_id))

    @post(operation_id="createProvision")
    async def create_provision(
        self, data: JSONBody[ProvisionCreate], principal: CurrentPrincipal
    ) -> Response[ProvisionOut]:
        """Record that an organisation delivers a service in a municipality from a date."""
        provision_id = await create_provision(
            data.service_id,
            data.municipality_code,
            data.provider_id,
            data.valid_from,
            data.valid_to,
            data.staffed_fte,
            data.note,
            principal.actor,
        )
        return created(await provision_detail(provision_id))

    @patch("/{provision_id:uuid}", operation_id="updateProvision")
    async def update_provision(
        self,
        provision_id: IdPath,
        data: JSONBody[ProvisionUpdate],
        principal: CurrentPrincipal,
        if_match: IfMatch = None,
    ) -> Response[ProvisionOut]:
        """Change a provision's period, staffing or note."""
        await update_provision(provision_id, set_fields(data), principal.actor, if_match)
        return with_etag(await provision_detail(provision_id))

"""Provisions: an organisation delivering a service in a municipality over a period."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.params import JSONBody, QueryParameter

from app.access.scope import check_municipality_allowed
from app.api.auth import CurrentPrincipal
from app.api.etags import IfMatch, created, with_etag
from app.api.pagination import Cursor, Limit, keyset_page
from app.api.params import IdPath, KnownOn, OnDate, as_aware
from app.fields import CBS_CODE_QUERY
from app.identifiers import check_cbs_code
from app.provisions.queries import (
    ProvisionDetailRow,
    provision_detail,
    provision_out,
    provisions_query,
)
from app.provisions.schemas import ProvisionCreate, ProvisionOut, ProvisionUpdate
from app.provisions.service import create_provision, update_provision
from app.schemas import Page, set_fields
from app.store.typed_rows import as_rows
from app.tables.tables import Provision


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
        if municipality is not None:
            check_cbs_code(municipality, field="municipality")
            await check_municipality_allowed(principal, municipality)
        rows, next_cursor = await keyset_page(
            provisions_query(service, municipality, provider, on),
            sort=Provision.valid_from,
            id_column=Provision.id,
            limit=limit,
            cursor=cursor,
            convert=date.fromisoformat,
            at=as_aware(known_on),
        )
        return Page(
            items=[provision_out(r) for r in as_rows(ProvisionDetailRow, rows)], next=next_cursor
        )

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

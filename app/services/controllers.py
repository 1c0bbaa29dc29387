"""Services residents use (Link050, Jimmy's, ...), their yearly figures and their timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.params import JSONBody, QueryParameter

from app.access.scope import check_municipality_allowed
from app.answer_cache import cached_answer
from app.api.auth import CurrentPrincipal
from app.api.encoded_answers import EncodedAnswer, encode_answer, send_encoded
from app.api.etags import IfMatch, created, with_etag
from app.api.pagination import Cursor, Limit, keyset_page
from app.api.params import IdPath, KnownOn, NameContains, as_aware
from app.fields import CBS_CODE_QUERY, SEARCH
from app.identifiers import check_cbs_code
from app.schemas import Page, set_fields
from app.services.queries import service_detail, service_timeline, services_query
from app.services.schemas import (
    ServiceCreate,
    ServiceFigureCreate,
    ServiceOut,
    ServiceSummary,
    ServiceUpdate,
    Timeline,
)
from app.services.service import add_figure, create_service, update_service
from app.tables.tables import Service


@cached_answer(unless=lambda arguments: arguments["known_on"] is not None)
async def timeline_document(
    service_id: UUID, municipality: str, known_on: datetime | None
) -> EncodedAnswer[Timeline]:
    """A service's timeline, built once per registry state (callers must not change it)."""
    return encode_answer(await service_timeline(service_id, municipality, known_on))


class ServiceController(Controller):
    path = "/services"
    tags = ["services"]

    @get(operation_id="listServices")
    async def list_services(
        self,
        limit: Limit = 50,
        cursor: Cursor = None,
        name: NameContains = None,
        category: Annotated[
            str | None, QueryParameter(description="Exact category.", required=False, **SEARCH)
        ] = None,
        known_on: KnownOn = None,
    ) -> Page[ServiceSummary]:
        """List services by name."""
        rows, next_cursor = await keyset_page(
            services_query(name, category),
            sort=Service.name,
            id_column=Service.id,
            limit=limit,
            cursor=cursor,
            at=as_aware(known_on),
        )
        return Page(items=[ServiceSummary(**r) for r in rows], next=next_cursor)

    @get("/{service_id:uuid}", operation_id="getService")
    async def get_service(self, service_id: IdPath) -> Response[ServiceOut]:
        """One service with its yearly figures per provider."""
        return with_etag(await service_detail(service_id))

    @post(operation_id="createService")
    async def create_service(
        self, data: JSONBody[ServiceCreate], principal: CurrentPrincipal
    ) -> Response[ServiceOut]:
        """Register a service."""
        service_id = await create_service(
            data.name, data.category, data.description, principal.actor
        )
        return created(await service_detail(service_id))

    @patch("/{service_id:uuid}", operation_id="updateService")
    async def update_service(
        self,
        service_id: IdPath,
        data: JSONBody[ServiceUpdate],
        principal: CurrentPrincipal,
        if_match: IfMatch = None,
    ) -> Response[ServiceOut]:
        """Change a service's name, category or description."""
        await update_service(service_id, set_fields(data), principal.actor, if_match)
        return with_etag(await service_detail(service_id))

    @post("/{service_id:uuid}/figures", operation_id="createServiceFigure")
    async def create_figure(
        self, service_id: IdPath, data: JSONBody[ServiceFigureCreate], principal: CurrentPrincipal
    ) -> Response[ServiceOut]:
        """Record a yearly figure of the service at a provider."""
        await add_figure(
            service_id,
            data.organisation_id,
            data.year,
            data.metric,
            data.value,
            data.note,
            principal.actor,
        )
        return created(await service_detail(service_id))

    @get("/{service_id:uuid}/timeline", operation_id="getServiceTimeline")
    async def get_timeline(
        self,
        service_id: IdPath,
        municipality: Annotated[
            str,
            QueryParameter(
                description="CBS code of the municipality, e.g. GM0014.", **CBS_CODE_QUERY
            ),
        ],
        principal: CurrentPrincipal,
        known_on: KnownOn = None,
    ) -> Response[Timeline]:
        """The provision periods of the service in a municipality, with gaps and overlaps."""
        check_cbs_code(municipality, field="municipality")
        await check_municipality_allowed(principal, municipality)
        return send_encoded(await timeline_document(service_id, municipality, as_aware(known_on)))

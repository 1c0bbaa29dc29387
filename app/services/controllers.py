"""Services residents use (Link050, Jimmy's, ...), their yearly figures and their timeline."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response, get, patch, post
from litestar.params import JSONBody, QueryParameter

from app.access.scope import check_municipality_allowed
from app.answer_cache import cached_answer
from app.api.auth import CurrentPrincipal
from app.api.encoded_answers import EncodedAnswer, encode_answer, send_encoded
from app.api.etags import IfMatch, created, with_etag
from app.api.pagination import Cursor, Limit, keyset_page
from app.api.params import IdPath, KnownOn, NameContains, as_aware
from app.continuity import queries
from app.continuity.sources import source_for
from app.fields import (
    CBS_CODE_QUERY,
    SEARCH,
    Category,
    FigureValue,
    FreeText,
    Metric,
    Name,
    Year,
)
from app.identifiers import check_cbs_code
from app.schemas import MunicipalityRef, Page, Ref, Schema, ref_from, set_fields
from app.services.service import add_figure, create_service, update_service
from app.store import records
from app.store.search import name_contains
from app.tables.tables import Service, ServiceFigure


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


async def service_detail(service_id: UUID) -> ServiceOut:
    row = await records.get_row(Service, service_id)
    figures = (
        await ServiceFigure.select(
            ServiceFigure.organisation,
            ServiceFigure.organisation.name,
            ServiceFigure.year,
            ServiceFigure.metric,
            ServiceFigure.value,
            ServiceFigure.note,
        )
        .where(ServiceFigure.service == service_id)
        .order_by(ServiceFigure.year)
        .order_by(ServiceFigure.metric)
    )
    return ServiceOut(
        id=row["id"],
        name=row["name"],
        category=row["category"],
        description=row["description"],
        version=row["version"],
        figures=[
            ServiceFigureOut(
                organisation=ref_from(f, "organisation"),
                year=f["year"],
                metric=f["metric"],
                value=f["value"],
                note=f["note"],
            )
            for f in figures
        ],
    )


@cached_answer(unless=lambda arguments: arguments["known_on"] is not None)
async def timeline_document(
    service_id: UUID, municipality: str, known_on: datetime | None
) -> EncodedAnswer[Timeline]:
    """A service's timeline, built once per registry state (callers must not change it)."""
    service = await records.get_row(Service, service_id)
    answer = await queries.service_timeline(service_id, municipality, source_for(known_on))
    periods = [
        TimelinePeriod(
            provision_id=r["id"],
            provider=ref_from(r, "organisation"),
            municipality=MunicipalityRef(code=r["municipality.code"], name=r["municipality.name"]),
            valid_from=r["valid_from"],
            valid_to=r["valid_to"],
            staffed_fte=r["staffed_fte"],
            opened_by_handover=r["opened_by"],
            closed_by_handover=r["closed_by"],
            via_predecessor=r["via_predecessor"],
            gap_before_days=answer.gap_before_days[r["id"]],
            overlaps_with=answer.overlaps_with[r["id"]],
        )
        for r in answer.rows
    ]
    return encode_answer(
        Timeline(
            service=Ref(id=service["id"], name=service["name"]),
            municipality=MunicipalityRef(
                code=answer.municipality.code, name=answer.municipality.name
            ),
            periods=periods,
            gaps=sum(1 for p in periods if p.gap_before_days),
            overlaps=sum(len(p.overlaps_with) for p in periods) // 2,
        )
    )


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
        query = Service.select(Service.id, Service.name, Service.category)
        if name:
            query = query.where(name_contains(Service.name, name))
        if category:
            query = query.where(Service.category == category)
        rows, next_cursor = await keyset_page(
            query,
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

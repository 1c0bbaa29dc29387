"""Reading services: one service with its yearly figures, the services by name, and a
service's timeline in a municipality (the continuity engine's answer, as a document)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec
from piccolo.query import Select

from app.continuity import queries as continuity
from app.continuity.sources import source_for
from app.schemas import MunicipalityRef, Ref
from app.services.schemas import ServiceFigureOut, ServiceOut, Timeline, TimelinePeriod
from app.store import records
from app.store.search import name_contains
from app.store.typed_rows import as_rows, columns_for
from app.tables.tables import Service, ServiceFigure


class FigureRow(msgspec.Struct, frozen=True):
    organisation: UUID
    organisation_name: str = msgspec.field(name="organisation.name")
    year: int
    metric: str
    value: float
    note: str


_FIGURE_COLUMNS = tuple(columns_for(FigureRow, ServiceFigure))


async def service_figures(service_id: UUID) -> list[FigureRow]:
    """A service's yearly figures with their providers, by year and metric."""
    return as_rows(
        FigureRow,
        await ServiceFigure.select(*_FIGURE_COLUMNS)
        .where(ServiceFigure.service == service_id)
        .order_by(ServiceFigure.year)
        .order_by(ServiceFigure.metric),
    )


async def service_detail(service_id: UUID) -> ServiceOut:
    row = await records.get_row(Service, service_id)
    figures = await service_figures(service_id)
    return ServiceOut(
        id=row["id"],
        name=row["name"],
        category=row["category"],
        description=row["description"],
        version=row["version"],
        figures=[
            ServiceFigureOut(
                organisation=Ref(id=f.organisation, name=f.organisation_name),
                year=f.year,
                metric=f.metric,
                value=f.value,
                note=f.note,
            )
            for f in figures
        ],
    )


def services_query(name: str | None, category: str | None) -> Select:
    """Services (id, name, category) whose name contains ``name``, of ``category``."""
    query = Service.select(Service.id, Service.name, Service.category)
    if name:
        query = query.where(name_contains(Service.name, name))
    if category:
        query = query.where(Service.category == category)
    return query


async def service_timeline(
    service_id: UUID, municipality: str, known_on: datetime | None
) -> Timeline:
    """The provision periods of a service in a municipality (and in those that merged
    into it), with the gaps before them and the periods each overlaps."""
    service = await records.get_row(Service, service_id)
    answer = await continuity.service_timeline(service_id, municipality, source_for(known_on))
    periods = [
        TimelinePeriod(
            provision_id=r.id,
            provider=Ref(id=r.organisation, name=r.organisation_name),
            municipality=MunicipalityRef(code=r.municipality_code, name=r.municipality_name),
            valid_from=r.valid_from,
            valid_to=r.valid_to,
            staffed_fte=r.staffed_fte,
            opened_by_handover=r.opened_by,
            closed_by_handover=r.closed_by,
            via_predecessor=answer.via_predecessor(r),
            gap_before_days=answer.gap_before_days[r.id],
            overlaps_with=answer.overlaps_with[r.id],
        )
        for r in answer.rows
    ]
    return Timeline(
        service=Ref(id=service["id"], name=service["name"]),
        municipality=MunicipalityRef(code=answer.municipality.code, name=answer.municipality.name),
        periods=periods,
        gaps=sum(1 for p in periods if p.gap_before_days),
        overlaps=sum(len(p.overlaps_with) for p in periods) // 2,
    )

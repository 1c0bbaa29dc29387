"""Every write on a service and its yearly figures: audited, transactional, callable
without HTTP (the services API and the service page's forms)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.database import write_transaction
from app.store import records
from app.tables.tables import Organisation, Service, ServiceFigure


async def create_service(name: str, category: str, description: str, actor: str) -> UUID:
    values = {"name": name, "category": category, "description": description}
    return (await records.create(Service, values, actor=actor))["id"]


async def update_service(
    service_id: UUID, changes: dict[str, Any], actor: str, if_match: str | None
) -> None:
    await records.update(Service, service_id, changes, actor=actor, if_match=if_match)


async def add_figure(
    service_id: UUID,
    organisation_id: UUID,
    year: int,
    metric: str,
    value: float,
    note: str,
    actor: str,
) -> None:
    """A yearly figure of the service at a provider (seed 001: 300 new volunteers)."""
    async with write_transaction():
        await records.get_row(Service, service_id, for_update=True)
        await records.get_row(Organisation, organisation_id)
        await records.create(
            ServiceFigure,
            {
                "service": service_id,
                "organisation": organisation_id,
                "year": year,
                "metric": metric,
                "value": value,
                "note": note,
            },
            actor=actor,
        )
        await records.touch(Service, service_id)  # its document lists the figures

"""What the page of one service shows: its providers per municipality over time, the
guarantees on it, and its yearly figures around each handover that moved it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from app.access.roles import Principal, Role
from app.continuity import queries
from app.continuity.sources import LIVE, TrackGuaranteeRow
from app.dates import today
from app.handovers.access import visible_handover_ids
from app.provisions.queries import ProvisionRow
from app.services.queries import service_figures
from app.store import records
from app.tables.tables import Handover, Service
from app.web import choices, figures, gantt
from app.web.forms import may
from app.web.labels import label, long_date


async def municipality_ids_for(viewer: Principal) -> list[UUID] | None:
    """A municipality sees the rows of its own municipalities (and their predecessors)."""
    if viewer.role is not Role.MUNICIPALITY:
        return None
    municipalities = await queries.load_municipalities()
    found: list[UUID] = []
    for code in sorted(viewer.municipality_codes):
        found.extend(m.id for m in municipalities.with_predecessors(municipalities.get(code)))
    return found


def row_name(row: ProvisionRow) -> str:
    return f"{row.municipality_name} ({row.municipality_code})"


@dataclass(frozen=True, slots=True)
class GuaranteeLine:
    """A guarantee as the service page lists it: with its handover's title and link."""

    guarantee: TrackGuaranteeRow
    title: str
    href: str | None


async def handover_titles(ids: set[UUID]) -> dict[UUID, str]:
    if not ids:
        return {}
    rows = await Handover.select(Handover.id, Handover.title).where(Handover.id.is_in(list(ids)))
    return {r["id"]: r["title"] for r in rows}


async def service_page(viewer: Principal, service_id: UUID, on: date) -> dict[str, Any]:
    service = await records.get_row(Service, service_id)
    territory = await municipality_ids_for(viewer)
    provisions = await LIVE.provision_rows(territory, [service_id])
    statuses = queries.IN_FORCE_STATUSES + queries.PLANNED
    guarantees = await LIVE.guarantee_rows(territory, [service_id], statuses)
    moved = await LIVE.handover_service_rows(territory, [service_id], queries.NOT_CANCELLED)
    titles = await handover_titles({m.handover for m in moved} | {g.handover for g in guarantees})
    visible = await visible_handover_ids(viewer)

    def link(handover_id: UUID) -> str | None:
        return f"/overdrachten/{handover_id}" if visible is None or handover_id in visible else None

    chart = gantt.layout(
        [
            gantt.ProvisionIn(
                service=r.municipality,
                service_name=row_name(r),
                provider=r.organisation,
                provider_name=r.organisation_name,
                start=r.valid_from,
                end=r.valid_to,
            )
            for r in provisions
        ],
        [],
        [
            gantt.SpanIn(
                g.municipality,
                g.valid_from,
                g.until,
                f"Garantie: {g.text or 'continuïteit'}, {long_date(g.valid_from)} – "
                f"{long_date(g.until, 'open einde')}",
            )
            for g in guarantees
        ],
        [
            gantt.MarkerIn(
                m.municipality,
                m.handover_effective_on,
                f"Overdracht {long_date(m.handover_effective_on)}: {titles[m.handover]} "
                f"({label(m.handover_status)})",
                link(m.handover),
            )
            for m in moved
        ],
        on,
        today(),
    )
    figure_rows = await service_figures(service_id)
    handover_dates = sorted({(m.handover_effective_on, titles[m.handover]) for m in moved})
    colours = dict((name, colour) for name, colour in chart.legend)
    metric_charts = [
        figures.layout(
            metric,
            [
                figures.FigureIn(r.year, r.organisation_name, r.value, r.note)
                for r in figure_rows
                if r.metric == metric
            ],
            handover_dates,
            colours,
        )
        for metric in sorted({r.metric for r in figure_rows})
    ]
    editor = may(viewer, "updateService")
    return {
        "service": service,
        "provisions": sorted(
            provisions,
            key=lambda r: (r.municipality_name, r.valid_from, r.organisation_name),
        ),
        "can_edit": editor,
        "can_figures": may(viewer, "createServiceFigure"),
        "can_provide": may(viewer, "createProvision"),
        "can_edit_provisions": may(viewer, "updateProvision"),
        "organisation_options": await choices.organisations() if editor else {},
        "municipality_options": await choices.municipalities() if editor else {},
        "forms": {},
        "chart": chart,
        "on": on,
        "guarantees": [
            GuaranteeLine(g, titles[g.handover], link(g.handover))
            for g in sorted(guarantees, key=lambda g: (g.municipality_name, g.valid_from))
        ],
        "figures": metric_charts,
        "scoped": territory is not None,
    }

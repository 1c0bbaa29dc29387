"""The service's writes and reads, through its service, its queries and a real database:
no HTTP."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from app.errors import NotFound, PreconditionFailed
from app.services import service as services
from app.services.queries import service_detail, service_timeline, services_query
from app.store import records
from app.tables.tables import Service, ServiceFigure
from tests import factories

ACTOR = "test:services"


async def test_a_new_service_lands_audited_and_is_found_by_name() -> None:
    made = await services.create_service("Jimmy's Proef", "jongeren", "Steunpunt", ACTOR)
    detail = await service_detail(made)
    assert (detail.name, detail.category, detail.description, detail.version) == (
        "Jimmy's Proef",
        "jongeren",
        "Steunpunt",
        1,
    )
    assert detail.figures == []
    assert await factories.audit_trail(made) == [("service", "create", ACTOR)]
    assert [r["id"] for r in await services_query("jimmy's pro", "jongeren")] == [made]
    assert await services_query("jimmy's pro", "welzijn") == []


async def test_a_change_needs_the_current_version() -> None:
    made = await factories.service()
    await services.update_service(made, {"category": "wonen"}, ACTOR, records.etag(1))
    with pytest.raises(PreconditionFailed):
        await services.update_service(made, {"category": "zorg"}, ACTOR, records.etag(1))
    row = await records.get_row(Service, made)
    assert (row["category"], row["version"]) == ("wonen", 2)
    assert await factories.audit_trail(made) == [
        ("service", "create", factories.ACTOR),
        ("service", "update", ACTOR),
    ]


async def test_a_yearly_figure_shows_with_its_provider_and_moves_the_version_on() -> None:
    # Not a demo name: the demo's keys find their organisations by name.
    made, provider = await factories.service(), await factories.organisation("Stichting Proefwerk")
    await services.add_figure(made, provider, 2022, "new_volunteers", 300, "jaarverslag", ACTOR)
    detail = await service_detail(made)
    assert [
        (f.organisation.id, f.organisation.name, f.year, f.metric, f.value) for f in detail.figures
    ] == [(provider, "Stichting Proefwerk", 2022, "new_volunteers", 300.0)]
    assert detail.version == 2


async def test_a_figure_of_an_unknown_provider_is_refused_and_not_kept() -> None:
    made = await factories.service()
    with pytest.raises(NotFound):
        await services.add_figure(made, uuid4(), 2022, "new_volunteers", 1, "", ACTOR)
    assert not await ServiceFigure.exists().where(ServiceFigure.service == made)
    assert (await records.get_row(Service, made))["version"] == 1


async def test_the_timeline_counts_a_gap_between_two_providers() -> None:
    moved, first, second = (
        await factories.service(),
        await factories.organisation(),
        await factories.organisation(),
    )
    await factories.provision(moved, first, date(2019, 1, 1), date(2020, 1, 1))
    await factories.provision(moved, second, date(2020, 3, 1))
    timeline = await service_timeline(moved, factories.UTRECHT, None)
    assert [
        (p.provider.id, p.valid_from, p.valid_to, p.gap_before_days) for p in timeline.periods
    ] == [
        (first, date(2019, 1, 1), date(2020, 1, 1), 0),
        (second, date(2020, 3, 1), None, 60),
    ]
    assert (timeline.gaps, timeline.overlaps) == (1, 0)
    assert timeline.municipality.code == factories.UTRECHT
    assert not any(p.via_predecessor for p in timeline.periods)

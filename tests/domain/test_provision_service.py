"""The provision's rules, through its service, its queries and a real database: no HTTP."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from app.errors import InvalidInput, NotFound, OverlappingProvision, PreconditionFailed
from app.provisions import rules
from app.provisions import service as provisions
from app.provisions.periods import Period
from app.provisions.queries import (
    ProvisionDetailRow,
    provision_detail,
    provisions_query,
)
from app.store import records
from app.store.typed_rows import as_rows
from app.tables.tables import Provision
from tests import factories

ACTOR = "test:provisions"


async def _track(service_id: object) -> list[tuple[date, date | None]]:
    rows = await Provision.select(Provision.valid_from, Provision.valid_to).where(
        Provision.service == service_id
    )
    return sorted((r["valid_from"], r["valid_to"]) for r in rows)


async def test_a_new_provision_lands_audited_with_the_names_it_joins() -> None:
    moved, provider = await factories.service("Woonkans Proef"), await factories.organisation()
    made = await provisions.create_provision(
        moved, factories.UTRECHT, provider, date(2022, 1, 1), None, 4.5, "start", ACTOR
    )
    detail = await provision_detail(made)
    assert (detail.service.id, detail.service.name) == (moved, "Woonkans Proef")
    assert detail.municipality.code == factories.UTRECHT
    assert detail.provider.id == provider
    assert (detail.valid_from, detail.valid_to, detail.staffed_fte, detail.note) == (
        date(2022, 1, 1),
        None,
        4.5,
        "start",
    )
    assert await factories.audit_trail(made) == [("provision", "create", ACTOR)]


async def test_provisions_of_one_service_in_one_municipality_do_not_overlap() -> None:
    moved, first, second = (
        await factories.service(),
        await factories.organisation(),
        await factories.organisation(),
    )
    await factories.provision(moved, first, date(2020, 1, 1), date(2022, 1, 1))
    with pytest.raises(OverlappingProvision) as refused:
        await provisions.create_provision(
            moved, factories.UTRECHT, second, date(2021, 12, 31), None, None, "", ACTOR
        )
    assert refused.value.field == "validFrom"
    assert "2020-01-01 – 2022-01-01" in (refused.value.nl or "")
    assert await _track(moved) == [(date(2020, 1, 1), date(2022, 1, 1))]

    # Half-open: the next provider may start on the day the first one ends.
    await provisions.create_provision(
        moved, factories.UTRECHT, second, date(2022, 1, 1), None, None, "", ACTOR
    )
    assert await _track(moved) == [
        (date(2020, 1, 1), date(2022, 1, 1)),
        (date(2022, 1, 1), None),
    ]


async def test_a_provision_ends_after_it_starts_in_a_known_municipality() -> None:
    moved, provider = await factories.service(), await factories.organisation()
    with pytest.raises(InvalidInput) as reversed_period:
        await provisions.create_provision(
            moved, factories.UTRECHT, provider, date(2022, 1, 1), date(2022, 1, 1), None, "", ACTOR
        )
    assert reversed_period.value.field == "validTo"
    with pytest.raises(InvalidInput) as not_a_code:
        await provisions.create_provision(
            moved, "Utrecht", provider, date(2022, 1, 1), None, None, "", ACTOR
        )
    assert not_a_code.value.field == "municipalityCode"
    with pytest.raises(NotFound):
        await provisions.create_provision(
            moved, "GM9999", provider, date(2022, 1, 1), None, None, "", ACTOR
        )
    with pytest.raises(NotFound):
        await provisions.create_provision(
            moved, factories.UTRECHT, uuid4(), date(2022, 1, 1), None, None, "", ACTOR
        )
    assert await _track(moved) == []


async def test_a_change_that_would_overlap_is_refused_and_nothing_changes() -> None:
    moved, first, second = (
        await factories.service(),
        await factories.organisation(),
        await factories.organisation(),
    )
    earlier = await factories.provision(moved, first, date(2020, 1, 1), date(2021, 1, 1))
    await factories.provision(moved, second, date(2021, 1, 1))
    with pytest.raises(OverlappingProvision):
        await provisions.update_provision(
            earlier, {"valid_to": date(2021, 6, 1)}, ACTOR, records.etag(1)
        )
    with pytest.raises(InvalidInput) as reversed_period:
        await provisions.update_provision(
            earlier, {"valid_to": date(2019, 6, 1)}, ACTOR, records.etag(1)
        )
    assert reversed_period.value.field == "validTo"
    row = await records.get_row(Provision, earlier)
    assert (row["valid_to"], row["version"]) == (date(2021, 1, 1), 1)
    assert await factories.audit_trail(earlier) == [("provision", "create", factories.ACTOR)]

    await provisions.update_provision(
        earlier, {"valid_to": date(2020, 7, 1), "staffed_fte": 2.0}, ACTOR, records.etag(1)
    )
    with pytest.raises(PreconditionFailed):
        await provisions.update_provision(earlier, {"note": "laat"}, ACTOR, records.etag(1))
    detail = await provision_detail(earlier)
    assert (detail.valid_to, detail.staffed_fte, detail.note, detail.version) == (
        date(2020, 7, 1),
        2.0,
        "",
        2,
    )
    assert ("provision", "update", ACTOR) in await factories.audit_trail(earlier)


async def test_the_list_filters_by_provider_and_date() -> None:
    moved, first, second = (
        await factories.service(),
        await factories.organisation(),
        await factories.organisation(),
    )
    old = await factories.provision(moved, first, date(2020, 1, 1), date(2021, 1, 1))
    new = await factories.provision(moved, second, date(2021, 1, 1))
    rows = as_rows(
        ProvisionDetailRow,
        await provisions_query(moved, factories.UTRECHT, None, date(2020, 12, 31)),
    )
    assert [r.id for r in rows] == [old]
    rows = as_rows(ProvisionDetailRow, await provisions_query(moved, None, second, None))
    assert [(r.id, r.organisation) for r in rows] == [(new, second)]
    assert await provisions_query(moved, "GM0014", None, None) == []


def test_the_overlap_rule_ignores_the_period_itself_and_other_tracks() -> None:
    running = Period("a", "link050", "GM0014", "werkpro", date(2020, 1, 1))
    rules.check_no_overlap([running], Period("a", "link050", "GM0014", "werkpro", date(2019, 1, 1)))
    rules.check_no_overlap([running], Period("b", "link050", "GM0017", "mjd", date(2020, 6, 1)))
    with pytest.raises(OverlappingProvision):
        rules.check_no_overlap([running], Period("b", "link050", "GM0014", "mjd", date(2030, 1, 1)))
    with pytest.raises(InvalidInput):
        rules.check_period(date(2020, 1, 2), date(2020, 1, 1))
    rules.check_period(date(2020, 1, 1), date(2020, 1, 2))

"""The municipalities' writes (the shipped CBS reference data, a newer CBS list) and reads,
through their service, their queries and a real database: no HTTP.

Every test of the session shares the municipalities, so an update that is meant to land
is applied inside a transaction the test then rolls back: its changes are seen landing,
audited, and leave no trace for the other tests.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.database import write_transaction
from app.errors import InvalidInput
from app.municipalities import service as municipalities
from app.municipalities.queries import municipalities_query, municipality_detail
from app.municipalities.reference import BadFile, MunicipalityFact, Succession
from app.tables.tables import AuditEvent, Municipality, MunicipalitySuccessor
from tests import factories

ACTOR = "test:municipalities"
ON = date(2027, 1, 1)
ASSEN, AA_EN_HUNZE, NEW_CODE = "GM0106", "GM1680", "GM1999"


class RolledBack(Exception):
    """Raised at the end of a transaction whose writes the test has seen."""


async def _current_list() -> list[MunicipalityFact]:
    """The registry's current municipalities, as a CBS list would give them."""
    rows = await Municipality.select(
        Municipality.code, Municipality.name, Municipality.province
    ).where(Municipality.valid_to.is_null())
    return [MunicipalityFact(r["code"], r["name"], r["province"]) for r in rows]


def _newer_list(current: list[MunicipalityFact]) -> list[MunicipalityFact]:
    """Assen is gone, Aa en Hunze has a new name, and there is a new municipality."""
    listed = [
        MunicipalityFact(f.code, "Aa en Hunze en Assen", f.province) if f.code == AA_EN_HUNZE else f
        for f in current
        if f.code != ASSEN
    ]
    return [*listed, MunicipalityFact(NEW_CODE, "Proefgemeente Nieuw", "Drenthe")]


async def _state() -> tuple[int, list[dict], int]:
    """What an update could change: audit events, the municipalities, the successions."""
    return (
        await AuditEvent.count(),
        await Municipality.select().order_by(Municipality.code),
        await MunicipalitySuccessor.count(),
    )


async def test_loading_the_shipped_reference_again_writes_nothing() -> None:
    before = await _state()
    assert await municipalities.load_reference() == 0
    assert await _state() == before


async def test_a_dry_run_says_what_a_newer_list_changes_and_writes_nothing() -> None:
    before = await _state()
    changes = await municipalities.apply_update(
        _newer_list(await _current_list()),
        [Succession(ON, ASSEN, AA_EN_HUNZE)],
        ON,
        dry_run=True,
        actor=ACTOR,
    )
    assert sorted((c.kind, c.code) for c in changes) == [
        ("ended", ASSEN),
        ("new", NEW_CODE),
        ("rename", AA_EN_HUNZE),
    ]
    assert await _state() == before


async def _apply_the_newer_list_then_roll_back() -> None:
    """Apply the newer list, check what it wrote, and undo all of it."""
    async with write_transaction():
        await municipalities.apply_update(
            _newer_list(await _current_list()),
            [Succession(ON, ASSEN, AA_EN_HUNZE)],
            ON,
            actor=ACTOR,
        )
        assen = await municipality_detail(ASSEN)
        assert assen.valid_to == ON
        assert assen.successor is not None
        assert assen.successor.code == AA_EN_HUNZE
        assert [(s.municipality.code, s.on) for s in assen.successors] == [(AA_EN_HUNZE, ON)]
        merged_into = await municipality_detail(AA_EN_HUNZE)
        assert merged_into.name == "Aa en Hunze en Assen"
        assert ASSEN in [p.code for p in merged_into.predecessors]
        new = await municipality_detail(NEW_CODE)
        assert (new.name, new.valid_from, new.valid_to) == ("Proefgemeente Nieuw", ON, None)
        audited = await AuditEvent.select(AuditEvent.record_type, AuditEvent.action).where(
            AuditEvent.actor == ACTOR
        )
        assert sorted((e["record_type"], e["action"]) for e in audited) == [
            ("municipality", "create"),
            ("municipality", "update"),
            ("municipality", "update"),
            ("municipality_succession", "create"),
        ]
        raise RolledBack


async def test_a_newer_list_lands_whole_and_audited() -> None:
    before = await _state()
    with pytest.raises(RolledBack):
        await _apply_the_newer_list_then_roll_back()
    assert await _state() == before


@pytest.mark.parametrize(
    ("successions", "says"),
    [
        ([], "does not say where it went"),
        ([Succession(ON, ASSEN, "GM9998")], "which is not in the new list"),
        (
            [Succession(ON, ASSEN, AA_EN_HUNZE), Succession(ON, "GM9997", AA_EN_HUNZE)],
            "which the registry does not know",
        ),
    ],
)
async def test_a_list_that_does_not_fit_the_registry_is_refused_whole(
    successions: list[Succession], says: str
) -> None:
    before = await _state()
    with pytest.raises(BadFile) as refused:
        await municipalities.apply_update(
            _newer_list(await _current_list()), successions, ON, actor=ACTOR
        )
    assert isinstance(refused.value, InvalidInput)
    assert says in refused.value.detail
    assert await _state() == before


async def test_a_merged_municipality_names_its_successor_and_a_split_one_all_of_them() -> None:
    haren = await municipality_detail("GM0017")
    assert haren.successor is not None
    assert (haren.successor.code, haren.valid_to) == ("GM0014", date(2019, 1, 1))
    groningen = await municipality_detail("GM0014")
    assert groningen.successor is None
    assert {"GM0009", "GM0017"} <= {p.code for p in groningen.predecessors}
    haaren = await municipality_detail("GM0788")
    assert haaren.successor is None
    assert [s.municipality.code for s in haaren.successors] == [
        "GM0757",
        "GM0824",
        "GM0855",
        "GM0865",
    ]
    assert haaren.tooi.endswith("gm0788")


async def test_the_list_tells_current_from_former_municipalities() -> None:
    former = [r["code"] for r in await municipalities_query("Haaren", current=False)]
    assert former == ["GM0788"]
    assert await municipalities_query("Haaren", current=True) == []
    assert factories.UTRECHT in [r["code"] for r in await municipalities_query("Utrecht", None)]

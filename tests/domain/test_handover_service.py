"""The handover's rules, through its service and a real database: no HTTP."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import Conflict, InvalidInput, NotFound
from app.handovers import service as handovers
from app.handovers.vocabulary import HandoverStatus, Involvement, PartyRole
from app.store import records
from app.tables.tables import Handover, HandoverParty, Provision
from tests import factories

NEW_YEAR = date(2027, 1, 1)


async def test_a_handover_has_at_most_one_receiving_party() -> None:
    made, *_ = await factories.moving_handover(NEW_YEAR)
    another = handovers.NewParty(
        role=PartyRole.RECEIVING, organisation_id=await factories.organisation()
    )
    with pytest.raises(Conflict) as refused:
        await handovers.add_to_handover(made["id"], handovers.add_party, another, "test")
    assert refused.value.field == "role"
    assert refused.value.nl == "Een overdracht heeft ten hoogste één ontvangende partij."
    roles = await HandoverParty.select(HandoverParty.role).where(
        HandoverParty.handover == made["id"]
    )
    assert sorted(r["role"] for r in roles) == [PartyRole.RECEIVING, PartyRole.SOURCE]


async def test_a_municipality_party_needs_its_involvement_and_names_the_input() -> None:
    party = handovers.NewParty(role=PartyRole.MUNICIPALITY, municipality_code=factories.UTRECHT)
    with pytest.raises(InvalidInput) as refused:
        await factories.handover(parties=[party])
    assert refused.value.field == "parties[0].involvement"


async def test_a_refused_part_leaves_no_handover_behind() -> None:
    title = "Overdracht die niet doorgaat"
    unknown = handovers.NewParty(
        role=PartyRole.SOURCE,
        organisation_id=await factories.organisation(),
    )
    missing = handovers.NewParty(
        role=PartyRole.MUNICIPALITY, municipality_code="GM9999", involvement=Involvement.INFORMED
    )
    with pytest.raises(NotFound):
        await factories.handover(title=title, parties=[unknown, missing])
    assert not await Handover.exists().where(Handover.title == title)


async def test_taking_effect_moves_the_provision_and_then_freezes_parties_and_date() -> None:
    made, moved, source, receiving = await factories.moving_handover(NEW_YEAR)
    for step in (HandoverStatus.AGREED, HandoverStatus.EFFECTIVE):
        current = await records.get_row(Handover, made["id"])
        await handovers.take_step(
            made["id"], step, NEW_YEAR, "", "test", records.etag(current["version"])
        )
    provisions = await Provision.select(
        Provision.organisation, Provision.valid_from, Provision.valid_to
    ).where(Provision.service == moved)
    assert sorted(provisions, key=lambda p: p["valid_from"]) == [
        {"organisation": source, "valid_from": date(2020, 1, 1), "valid_to": NEW_YEAR},
        {"organisation": receiving, "valid_from": NEW_YEAR, "valid_to": None},
    ]

    late = handovers.NewParty(role=PartyRole.OTHER, organisation_id=await factories.organisation())
    with pytest.raises(Conflict):
        await handovers.add_to_handover(made["id"], handovers.add_party, late, "test")
    current = await records.get_row(Handover, made["id"])
    with pytest.raises(Conflict) as refused:
        await handovers.update_handover(
            made["id"], {"effective_on": date(2027, 2, 1)}, "test", records.etag(current["version"])
        )
    assert refused.value.field == "effectiveOn"

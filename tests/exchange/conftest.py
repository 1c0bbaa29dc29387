"""Records of the exchange tests' own — an organisation, a municipality, two services and
handovers between them — so imports never touch what other tests assert about the demo."""

from __future__ import annotations

from typing import Any

import pytest

from app.access.keys import create_api_key
from app.store import records
from app.tables.tables import (
    Handover,
    HandoverParty,
    HandoverService,
    Municipality,
    Organisation,
    Service,
)

ORGANISATION = "Uitwisseling Proef BV"
MUNICIPALITY = "GM9801"
SERVICES = ("Proefdienst A", "Proefdienst B")


@pytest.fixture(scope="session")
async def exchange_world(demo: None) -> dict[str, Any]:
    """Created once: the organisation (with an HR key), the municipality and the services.

    None of them is provided anywhere, so no continuity answer of the demo changes.
    """
    organisation = await records.create(Organisation, {"name": ORGANISATION}, actor="test")
    municipality = await records.create(
        Municipality, {"code": MUNICIPALITY, "name": "Proefgemeente"}, actor="test"
    )
    services = [
        await records.create(Service, {"name": name, "category": "proef"}, actor="test")
        for name in SERVICES
    ]
    hr_key = await create_api_key("hr", organisations=[str(organisation["id"])], name="hr proef")
    return {
        "organisation": organisation,
        "municipality": municipality,
        "services": services,
        "hr_key": hr_key,
    }


async def new_handover(world: dict[str, Any], title: str) -> dict[str, Any]:
    """A proposed handover to the test organisation, moving the test services."""
    handover = await records.create(Handover, {"title": title}, actor="test")
    await records.create(
        HandoverParty,
        {
            "handover": handover["id"],
            "role": "receiving",
            "organisation": world["organisation"]["id"],
        },
        actor="test",
    )
    for service in world["services"]:
        await records.create(
            HandoverService,
            {
                "handover": handover["id"],
                "service": service["id"],
                "municipality": world["municipality"]["id"],
            },
            actor="test",
        )
    return handover


@pytest.fixture
async def handover(
    exchange_world: dict[str, Any], request: pytest.FixtureRequest
) -> dict[str, Any]:
    return await new_handover(exchange_world, f"Uitwisseltest: {request.node.name}")


def staff_csv(*rows: str, header: str = "personeelsnummer;naam;functie;fte;dienst;status") -> bytes:
    return ("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode()

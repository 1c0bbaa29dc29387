"""Test data made through the domain services, as the registry itself makes it: no HTTP,
no demo seeds. Each call makes new, uniquely named records so tests do not meet."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any
from uuid import UUID

from app.handovers import service as handovers
from app.handovers.vocabulary import PartyRole
from app.organisations.service import create_organisation
from app.provisions.service import create_provision
from app.services.service import create_service
from app.store import records
from app.tables.tables import AuditEvent, Handover

ACTOR = "test:factory"
#: Utrecht, from the CBS list every test database has; the demo and other tests use others.
UTRECHT = "GM0344"
_numbers = itertools.count(1)


def _unique(prefix: str) -> str:
    return f"{prefix} {next(_numbers)}"


async def organisation(name: str | None = None) -> UUID:
    values = {"name": name or _unique("Stichting Proef"), "kind": "stichting", "description": ""}
    return await create_organisation(values, None, None, ACTOR)


async def service(name: str | None = None) -> UUID:
    return await create_service(name or _unique("Buurtwerk"), "welzijn", "", ACTOR)


async def provision(
    service_id: UUID, provider_id: UUID, valid_from: date, valid_to: date | None = None
) -> UUID:
    return await create_provision(
        service_id, UTRECHT, provider_id, valid_from, valid_to, None, "", ACTOR
    )


async def handover(**fields: Any) -> dict[str, Any]:
    """A proposed handover with nothing in it yet; ``fields`` as ``NewHandover``'s."""
    fields.setdefault("title", _unique("Overdracht"))
    handover_id = await handovers.create_handover(handovers.NewHandover(**fields), ACTOR)
    return await records.get_row(Handover, handover_id)


async def moving_handover(on: date) -> tuple[dict[str, Any], UUID, UUID, UUID]:
    """A handover moving one service in Utrecht from a provider with a running provision
    to a receiving one: (handover, service, source, receiving)."""
    source, receiving, moved = await organisation(), await organisation(), await service()
    await provision(moved, source, date(2020, 1, 1))
    made = await handover(
        effective_on=on,
        parties=[
            handovers.NewParty(role=PartyRole.SOURCE, organisation_id=source),
            handovers.NewParty(role=PartyRole.RECEIVING, organisation_id=receiving),
        ],
        services=[
            handovers.NewMovedService(
                service_id=moved, municipality_code=UTRECHT, from_organisation_id=source
            )
        ],
    )
    return made, moved, source, receiving


def kvk_number() -> str:
    """A KvK number no other test (nor the demo, whose numbers are real) holds."""
    return f"9{next(_numbers):07d}"


async def audit_trail(record_id: UUID) -> list[tuple[str, str, str]]:
    """(record type, action, actor) of every audit event on ``record_id``, sorted: events
    of one transaction may share their moment (PostgreSQL's ``now()``)."""
    events = await AuditEvent.select(
        AuditEvent.record_type, AuditEvent.action, AuditEvent.actor
    ).where(AuditEvent.record_id == str(record_id))
    return sorted((e["record_type"], e["action"], e["actor"]) for e in events)

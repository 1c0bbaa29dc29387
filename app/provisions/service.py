"""Every write on a provision, held to the rules (``app.provisions.rules``) that keep a
service's timeline in one municipality free of overlaps: audited, transactional,
callable without HTTP."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from app.database import write_transaction
from app.errors import NotFound
from app.identifiers import check_cbs_code
from app.provisions import rules
from app.provisions.periods import Period, as_period
from app.provisions.queries import PERIOD_COLUMNS, PeriodRow
from app.store import records
from app.store.typed_rows import as_rows
from app.tables.tables import Municipality, Organisation, Provision, Service


async def _check_no_overlap(candidate: Period) -> None:
    """Within a write transaction: refuse a period that shares a day with another."""
    same_track = await Provision.select(*PERIOD_COLUMNS).where(
        (Provision.service == candidate.service)
        & (Provision.municipality == candidate.municipality)
    )
    rules.check_no_overlap([as_period(r) for r in as_rows(PeriodRow, same_track)], candidate)


async def create_provision(
    service_id: UUID,
    municipality_code: str,
    provider_id: UUID,
    valid_from: date,
    valid_to: date | None,
    staffed_fte: float | None,
    note: str,
    actor: str,
) -> UUID:
    check_cbs_code(municipality_code, field="municipalityCode")
    rules.check_period(valid_from, valid_to)
    async with write_transaction():
        await records.get_row(Service, service_id)
        await records.get_row(Organisation, provider_id)
        municipality = (
            await Municipality.select(Municipality.id)
            .where(Municipality.code == municipality_code)
            .first()
        )
        if municipality is None:
            raise NotFound(f"no municipality with CBS code {municipality_code}")
        await _check_no_overlap(
            Period(None, service_id, municipality["id"], provider_id, valid_from, valid_to)
        )
        row = await records.create(
            Provision,
            {
                "service": service_id,
                "municipality": municipality["id"],
                "organisation": provider_id,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "staffed_fte": staffed_fte,
                "note": note,
            },
            actor=actor,
        )
    return row["id"]


async def update_provision(
    provision_id: UUID, changes: dict[str, Any], actor: str, if_match: str | None
) -> None:
    async with write_transaction():
        row = await records.get_current(Provision, provision_id, if_match)
        merged = {**row, **changes}
        rules.check_period(merged["valid_from"], merged["valid_to"])
        await _check_no_overlap(as_period(msgspec.convert(merged, PeriodRow)))
        await records.update(Provision, provision_id, changes, actor=actor)

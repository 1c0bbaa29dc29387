"""Register numbers of organisations (KvK, vestigingsnummer, RSIN, AGB), each held over a
period: a takeover or a change of legal form ends one and starts another. Every write
goes through the audited record writes."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from app.database import write_transaction
from app.errors import Conflict, InvalidInput
from app.identifiers import IDENTIFIER_FIELDS, check_organisation_identifier
from app.organisations.rules import covers
from app.store import records
from app.tables.tables import Organisation, OrganisationIdentifier


def _overlap(a_from: date | None, a_to: date | None, b_from: date | None, b_to: date | None):
    return (a_to is None or b_from is None or b_from < a_to) and (
        b_to is None or a_from is None or a_from < b_to
    )


async def add_identifier(
    organisation_id: UUID,
    kind: str,
    value: str,
    valid_from: date | None,
    valid_to: date | None,
    *,
    actor: str,
    field: str | None = None,
) -> dict[str, Any]:
    """Record that the organisation holds ``value`` over ``[valid_from, valid_to)``.

    An open identifier of the same kind that started earlier is closed on ``valid_from``
    (the new number replaces it); any other overlap, or the same number held by another
    organisation at the same time, is refused.
    """
    check_organisation_identifier(kind, value, field)
    if valid_from and valid_to and valid_to <= valid_from:
        raise InvalidInput("validTo must lie after validFrom", field="validTo")
    async with write_transaction():
        await records.get_row(Organisation, organisation_id)
        rows = await OrganisationIdentifier.select().where(
            (OrganisationIdentifier.kind == kind)
            & (
                (OrganisationIdentifier.organisation == organisation_id)
                | (OrganisationIdentifier.value == value)
            )
        )
        for row in rows:
            if not _overlap(row["valid_from"], row["valid_to"], valid_from, valid_to):
                continue
            if row["organisation"] != organisation_id:
                raise Conflict(
                    f"another organisation holds {IDENTIFIER_FIELDS[kind]} {value} in that period",
                    field=field or IDENTIFIER_FIELDS[kind],
                )
            replaces = (
                row["valid_to"] is None
                and valid_from is not None
                and (row["valid_from"] is None or row["valid_from"] < valid_from)
                and row["value"] != value
            )
            if not replaces:
                raise Conflict(
                    f"the organisation already has a {IDENTIFIER_FIELDS[kind]} in that period "
                    f"({row['value']})",
                    field=field or IDENTIFIER_FIELDS[kind],
                )
            await records.update(
                OrganisationIdentifier, row["id"], {"valid_to": valid_from}, actor=actor
            )
        created = await records.create(
            OrganisationIdentifier,
            {
                "organisation": organisation_id,
                "kind": kind,
                "value": value,
                "valid_from": valid_from,
                "valid_to": valid_to,
            },
            actor=actor,
        )
        await records.touch(Organisation, organisation_id)
    return created


async def organisations_known_by(value: str, on: date | None) -> set[UUID]:
    """Organisations that held ``value`` (on ``on``, or at any time): any kind of number,
    and the KvK number on the organisation itself."""
    rows = await OrganisationIdentifier.select(
        OrganisationIdentifier.organisation,
        OrganisationIdentifier.valid_from,
        OrganisationIdentifier.valid_to,
    ).where(OrganisationIdentifier.value == value)
    found = {
        r["organisation"] for r in rows if on is None or covers(r["valid_from"], r["valid_to"], on)
    }
    if on is None or not rows:
        found |= {
            r["id"]
            for r in await Organisation.select(Organisation.id).where(
                Organisation.kvk_number == value
            )
        }
    return found

"""Every write on an organisation, its names, relations and register numbers: audited,
transactional, callable without HTTP (the organisations API and the organisation forms)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from app.database import write_transaction
from app.dates import today
from app.errors import Conflict
from app.identifiers import check_kvk_number, check_organisation_identifier
from app.organisations import rules
from app.store import records
from app.tables.tables import (
    Organisation,
    OrganisationIdentifier,
    OrganisationName,
    OrganisationRelation,
)


async def check_kvk_free(kvk_number: str, except_id: UUID | None = None) -> None:
    query = Organisation.exists().where(Organisation.kvk_number == kvk_number)
    if except_id is not None:
        query = query.where(Organisation.id != except_id)
    if await query:
        raise Conflict(
            f"another organisation already has KvK number {kvk_number}",
            field="kvkNumber",
            nl="Een andere organisatie heeft dit KvK-nummer al.",
        )


async def create_organisation(
    values: dict[str, Any],
    parent_id: UUID | None,
    part_of_since: date | None,
    actor: str,
    identifiers: Sequence[tuple[str, str, date | None, date | None]] = (),
) -> UUID:
    """``values``: name, kvk_number, kind, website, description; ``identifiers``: (kind,
    value, valid from, valid to) of its register numbers."""
    if values.get("kvk_number") is not None:
        check_kvk_number(values["kvk_number"])
    async with write_transaction():
        if values.get("kvk_number") is not None:
            await check_kvk_free(values["kvk_number"])
        if parent_id is not None:
            await records.get_row(Organisation, parent_id)
        row = await records.create(Organisation, values, actor=actor)
        await records.create(
            OrganisationName,
            {"organisation": row["id"], "name": values["name"], "valid_from": None},
            actor=actor,
        )
        for n, (kind, value, valid_from, valid_to) in enumerate(identifiers):
            await add_identifier(
                row["id"], kind, value, valid_from, valid_to,
                actor=actor, field=f"identifiers[{n}].value",
            )  # fmt: skip
        if parent_id is not None:
            await records.create(
                OrganisationRelation,
                {
                    "organisation": row["id"],
                    "related_to": parent_id,
                    "kind": "part_of",
                    "valid_from": part_of_since,
                },
                actor=actor,
            )
    return row["id"]


async def update_organisation(
    organisation_id: UUID,
    changes: dict[str, Any],
    renamed_on: date | None,
    actor: str,
    if_match: str | None,
) -> None:
    """Change an organisation; a new name is kept in the name history from ``renamed_on``."""
    if changes.get("kvk_number") is not None:
        check_kvk_number(changes["kvk_number"])
    async with write_transaction():
        before = await records.get_current(Organisation, organisation_id, if_match)
        if changes.get("kvk_number") is not None:
            await check_kvk_free(changes["kvk_number"], except_id=organisation_id)
        if "name" in changes and changes["name"] != before["name"]:
            await rename(organisation_id, changes["name"], renamed_on or today(), actor)
        await records.update(Organisation, organisation_id, changes, actor=actor)


async def add_relation(
    organisation_id: UUID,
    related_to: UUID,
    kind: str,
    valid_from: date | None,
    valid_to: date | None,
    note: str,
    actor: str,
) -> None:
    """The organisation is part (or a member) of another over a period."""
    rules.check_relation(organisation_id, related_to, valid_from, valid_to)
    async with write_transaction():
        await records.get_row(Organisation, organisation_id)
        await records.get_row(Organisation, related_to)
        await records.create(
            OrganisationRelation,
            {
                "organisation": organisation_id,
                "related_to": related_to,
                "kind": kind,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "note": note,
            },
            actor=actor,
        )
        # Both organisations' documents now show the relation.
        await records.touch(Organisation, organisation_id)
        await records.touch(Organisation, related_to)


async def rename(organisation_id: UUID, new_name: str, on: date, actor: str) -> None:
    """Close the current name on ``on`` and open the new one; the identity stays."""
    current = (
        await OrganisationName.select()
        .where(
            (OrganisationName.organisation == organisation_id) & OrganisationName.valid_to.is_null()
        )
        .first()
    )
    if current is not None:
        rules.check_rename(current["valid_from"], on)
        await records.update(OrganisationName, current["id"], {"valid_to": on}, actor=actor)
    await records.create(
        OrganisationName,
        {"organisation": organisation_id, "name": new_name, "valid_from": on},
        actor=actor,
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
    """Record that the organisation holds register number ``value`` (KvK,
    vestigingsnummer, RSIN, AGB) over ``[valid_from, valid_to)``; a takeover or a change
    of legal form ends one and starts another (``rules.identifiers_replaced``)."""
    check_organisation_identifier(kind, value, field)
    rules.check_period(valid_from, valid_to)
    async with write_transaction():
        await records.get_row(Organisation, organisation_id)
        meeting = await OrganisationIdentifier.select().where(
            (OrganisationIdentifier.kind == kind)
            & (
                (OrganisationIdentifier.organisation == organisation_id)
                | (OrganisationIdentifier.value == value)
            )
        )
        replaced = rules.identifiers_replaced(
            organisation_id, kind, value, valid_from, valid_to, meeting, field
        )
        for identifier_id in replaced:
            await records.update(
                OrganisationIdentifier, identifier_id, {"valid_to": valid_from}, actor=actor
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

"""Reading organisations: one organisation with its relations, names, officers and
register numbers, and the query behind the list (by name or by register number)."""

from __future__ import annotations

import uuid
from datetime import date
from uuid import UUID

import msgspec
from piccolo.query import Select
from piccolo.table import Table

from app.dates import today
from app.organisations.rules import check_identifier_search, covers
from app.organisations.schemas import (
    IdentifierRecord,
    NameRecord,
    OfficerOut,
    OrganisationOut,
    RelationOut,
)
from app.organisations.vocabulary import IdentifierKind, RelationKind
from app.schemas import Ref
from app.store import records
from app.store.search import name_contains
from app.store.typed_rows import R, as_rows, columns_for
from app.tables.tables import (
    Officer,
    Organisation,
    OrganisationIdentifier,
    OrganisationName,
    OrganisationRelation,
)


class RelationRow(msgspec.Struct, frozen=True):
    """``organisation`` is part (or a member) of ``related_to``."""

    organisation: UUID
    organisation_name: str = msgspec.field(name="organisation.name")
    related_to: UUID
    related_to_name: str = msgspec.field(name="related_to.name")
    kind: RelationKind
    valid_from: date | None
    valid_to: date | None
    note: str


class NameRow(msgspec.Struct, frozen=True):
    name: str
    valid_from: date | None
    valid_to: date | None


class OfficerRow(msgspec.Struct, frozen=True):
    name: str
    title: str
    valid_from: date | None
    valid_to: date | None


class IdentifierRow(msgspec.Struct, frozen=True):
    kind: IdentifierKind
    value: str
    valid_from: date | None
    valid_to: date | None


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


async def _of_organisation(row: type[R], table: type[Table], organisation_id: UUID) -> list[R]:
    organisation = table._meta.get_column_by_name("organisation")
    query = table.select(*columns_for(row, table)).where(organisation == organisation_id)
    return as_rows(row, await query)


def _relation_out(r: RelationRow, other: Ref) -> RelationOut:
    return RelationOut(
        organisation=other,
        kind=r.kind,
        valid_from=r.valid_from,
        valid_to=r.valid_to,
        note=r.note,
    )


async def organisation_detail(organisation_id: UUID) -> OrganisationOut:
    """The organisation with what it is part of (and its parent today), its members, name
    history, officers and register numbers."""
    row = await records.get_row(Organisation, organisation_id)
    names = await _of_organisation(NameRow, OrganisationName, organisation_id)
    relations = as_rows(
        RelationRow,
        await OrganisationRelation.select(*columns_for(RelationRow, OrganisationRelation)).where(
            (OrganisationRelation.organisation == organisation_id)
            | (OrganisationRelation.related_to == organisation_id)
        ),
    )
    officers = await _of_organisation(OfficerRow, Officer, organisation_id)
    identifiers = await _of_organisation(IdentifierRow, OrganisationIdentifier, organisation_id)

    part_of = [r for r in relations if r.organisation == row["id"]]
    members = [r for r in relations if r.related_to == row["id"]]
    on = today()
    parent = next(
        (
            r
            for r in part_of
            if r.kind == RelationKind.PART_OF and covers(r.valid_from, r.valid_to, on)
        ),
        None,
    )
    return OrganisationOut(
        id=row["id"],
        name=row["name"],
        kvk_number=row["kvk_number"],
        kind=row["kind"],
        website=row["website"],
        description=row["description"],
        is_demo=row["is_demo"],
        version=row["version"],
        parent=Ref(id=parent.related_to, name=parent.related_to_name) if parent else None,
        part_of=[_relation_out(r, Ref(id=r.related_to, name=r.related_to_name)) for r in part_of],
        members=[
            _relation_out(r, Ref(id=r.organisation, name=r.organisation_name)) for r in members
        ],
        name_history=[
            NameRecord(name=n.name, valid_from=n.valid_from, valid_to=n.valid_to)
            for n in sorted(names, key=lambda n: n.valid_from or date.min)
        ],
        officers=[
            OfficerOut(name=o.name, title=o.title, valid_from=o.valid_from, valid_to=o.valid_to)
            for o in sorted(officers, key=lambda o: o.valid_from or date.min)
        ],
        identifiers=[
            IdentifierRecord(
                kind=i.kind, value=i.value, valid_from=i.valid_from, valid_to=i.valid_to
            )
            for i in sorted(identifiers, key=lambda i: (i.kind, i.valid_from or date.min))
        ],
    )


async def organisations_query(
    name: str | None, kvk_number: str | None, identifier: str | None, on: date | None
) -> Select:
    """Organisations (id, name) whose name contains ``name``, with KvK number
    ``kvk_number``, or holding the register number ``identifier`` (on ``on``, if given)."""
    check_identifier_search(identifier, on)
    query = Organisation.select(Organisation.id, Organisation.name)
    if name:
        query = query.where(name_contains(Organisation.name, name))
    if kvk_number:
        query = query.where(Organisation.kvk_number == kvk_number)
    if identifier is not None:
        found = await organisations_known_by(identifier, on)
        # No holder: an id no row has, so the page is empty rather than unfiltered.
        query = query.where(Organisation.id.is_in(list(found) or [uuid.UUID(int=0)]))
    return query

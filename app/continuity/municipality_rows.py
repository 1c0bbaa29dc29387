"""What continuity on a date reads about one municipality, in one statement.

The provisions the date touches (those that cover it, and the earlier ones a guarantee in
force on it judges), the services its handovers move (with each handover's receiving
organisation) and the guarantees given for it. Each set is gathered into a JSON array by
the database itself (``json_agg`` on PostgreSQL, ``json_group_array`` on SQLite), so the
answer costs one round trip and arrives as typed rows that msgspec decodes in C, instead
of five queries whose rows Python turns into dicts. Which rows mean what stays with the
continuity queries and the engine (which moves are still to come, which guarantees are in
force); the statement only leaves out the provisions no rule could look at, as a
municipality's whole history is three times its present.

The statement names its tables as the other queries do, so asked "as recorded at" a
moment (``app.store.recorded.as_recorded``) it reads the versions held then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from uuid import UUID

import msgspec
from piccolo.engine.postgres import PostgresEngine
from piccolo.querystring import QueryString

from app.handovers.lifecycle import IN_FORCE_STATUSES
from app.handovers.vocabulary import HandoverStatus, PartyRole
from app.provisions.periods import Period, within
from app.store.recorded import read_sql
from app.tables.tables import Provision


class ProvisionRow(msgspec.Struct, frozen=True, array_like=True):
    id: UUID
    service: UUID
    service_name: str
    municipality: UUID
    organisation: UUID
    organisation_name: str
    valid_from: date
    valid_to: date | None
    staffed_fte: float | None
    opened_by: UUID | None
    closed_by: UUID | None

    def covers(self, day: date) -> bool:
        return within(self.valid_from, self.valid_to, day)

    def period(self) -> Period:
        return Period(
            id=self.id,
            service=self.service,
            municipality=self.municipality,
            provider=self.organisation,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            staffed_fte=self.staffed_fte,
        )


class MoveRow(msgspec.Struct, frozen=True, array_like=True):
    """A service a handover (not cancelled) moves in the municipality."""

    service: UUID
    handover: UUID
    status: str
    effective_on: date | None
    to_organisation: UUID | None
    to_organisation_name: str | None


class GuaranteeRow(msgspec.Struct, frozen=True, array_like=True):
    """A guarantee of a handover that has taken effect."""

    id: UUID
    handover: UUID
    service: UUID
    municipality: UUID
    valid_from: date
    until: date | None
    review_on: date | None
    full_strength: bool
    same_conditions: bool
    baseline_fte: float | None
    text: str


class MunicipalityRows(msgspec.Struct, frozen=True):
    provisions: list[ProvisionRow]
    moves: list[MoveRow]
    guarantees: list[GuaranteeRow]


def _listed(statuses: Iterable[HandoverStatus]) -> str:
    return ", ".join(f"'{s.value}'" for s in statuses)


_IN_FORCE = f"h.status IN ({_listed(IN_FORCE_STATUSES)})"

#: Per set: its fields, and the rest of its statement with ``{municipality}`` and ``{on}``.
_SETS = {
    "provisions": (
        {
            "id": "p.id",
            "service": "p.service",
            # Looked up per row by key: a join would hash the whole table for three dozen.
            "service_name": '(SELECT s.name FROM "service" s WHERE s.id = p.service)',
            "municipality": "p.municipality",
            "organisation": "p.organisation",
            "organisation_name": (
                '(SELECT o.name FROM "organisation" o WHERE o.id = p.organisation)'
            ),
            "valid_from": "p.valid_from",
            "valid_to": "p.valid_to",
            "staffed_fte": "p.staffed_fte",
            "opened_by": "p.opened_by",
            "closed_by": "p.closed_by",
        },
        'FROM "provision" p WHERE p.municipality = {municipality} AND p.valid_from <= {on} '
        "AND (p.valid_to IS NULL OR p.valid_to > {on} "
        # An earlier provision matters only to a guarantee in force on its service.
        'OR p.service IN (SELECT g.service FROM "continuity_guarantee" g JOIN "handover" h '
        "ON h.id = g.handover WHERE g.municipality = {municipality} "
        f"AND {_IN_FORCE} AND g.valid_from <= {{on}} AND (g.until IS NULL OR g.until > {{on}})))",
    ),
    "moves": (
        {
            "service": "m.service",
            "handover": "m.handover",
            "status": "h.status",
            "effective_on": "h.effective_on",
            "to_organisation": "r.organisation",
            "to_organisation_name": "ro.name",
        },
        'FROM "handover_service" m JOIN "handover" h ON h.id = m.handover '
        'LEFT JOIN "handover_party" r ON r.handover = m.handover '
        f"AND r.role = '{PartyRole.RECEIVING.value}' "
        'LEFT JOIN "organisation" ro ON ro.id = r.organisation '
        "WHERE m.municipality = {municipality} "
        f"AND h.status <> '{HandoverStatus.CANCELLED.value}'",
    ),
    "guarantees": (
        {
            name: f"g.{name}"
            for name in GuaranteeRow.__struct_fields__  # the table's own columns
        },
        'FROM "continuity_guarantee" g JOIN "handover" h ON h.id = g.handover '
        f"WHERE g.municipality = {{municipality}} AND {_IN_FORCE}",
    ),
}


def _placeholders(rest: str) -> tuple[str, list[str]]:
    """``rest`` with Piccolo's ``{}`` for each named placeholder, and the names in order."""
    names = re.findall(r"\{(municipality|on)\}", rest)
    return re.sub(r"\{(?:municipality|on)\}", "{}", rest), names


def _statement(postgres: bool) -> tuple[str, list[str]]:
    def aggregated(fields: dict[str, str], rest: str) -> str:
        # Rows as arrays, not objects: no key repeated in every row, half the text to
        # build and to read (the Structs are ``array_like``, in the same field order).
        values = ", ".join(fields.values())
        if postgres:
            return f"(SELECT coalesce(json_agg(json_build_array({values})), '[]') {rest})"
        return f"(SELECT json_group_array(json_array({values})) {rest})"

    sets = ", ".join(f'{aggregated(*parts)} AS "{name}"' for name, parts in _SETS.items())
    return _placeholders(f"SELECT {sets}")


_STATEMENTS = {True: _statement(postgres=True), False: _statement(postgres=False)}
_ROW_TYPES = {"provisions": ProvisionRow, "moves": MoveRow, "guarantees": GuaranteeRow}
for _name, _row_type in _ROW_TYPES.items():
    assert tuple(_SETS[_name][0]) == _row_type.__struct_fields__, _name
# SQLite gives booleans as 0 and 1; lax decoding takes them as they are meant.
_DECODERS = {
    name: msgspec.json.Decoder(list[row_type], strict=False)  # type: ignore[valid-type]
    for name, row_type in _ROW_TYPES.items()
}


async def municipality_rows(
    municipality_id: UUID, on: date, at: datetime | None
) -> MunicipalityRows:
    """The rows of the municipality that continuity on ``on`` reads, live (``at`` is None)
    or as recorded at ``at``."""
    statement, names = _STATEMENTS[isinstance(Provision._meta.db, PostgresEngine)]
    values = {"municipality": municipality_id, "on": on}
    query = QueryString(statement, *(values[name] for name in names))
    (row,) = await read_sql(Provision, query, at)
    return MunicipalityRows(**{name: _DECODERS[name].decode(row[name]) for name in _SETS})

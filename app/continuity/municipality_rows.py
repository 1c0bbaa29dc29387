"""What continuity on a date reads about one municipality, in one statement.

Its provisions, the services its handovers move (with each handover's receiving
organisation) and the guarantees given for it. Each set is gathered into a JSON array by
the database itself (``json_agg`` on PostgreSQL, ``json_group_array`` on SQLite), so the
answer costs one round trip and arrives as typed rows that msgspec decodes in C, instead
of five queries whose rows Python turns into dicts.

The statement names its tables as the other queries do, so asked "as recorded at" a
moment (``app.store.recorded.as_recorded``) it reads the versions held then.
"""

from __future__ import annotations

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


_SETS = {
    "provisions": (
        {
            "id": "p.id",
            "service": "p.service",
            "service_name": "s.name",
            "municipality": "p.municipality",
            "organisation": "p.organisation",
            "organisation_name": "o.name",
            "valid_from": "p.valid_from",
            "valid_to": "p.valid_to",
            "staffed_fte": "p.staffed_fte",
            "opened_by": "p.opened_by",
            "closed_by": "p.closed_by",
        },
        'FROM "provision" p JOIN "service" s ON s.id = p.service '
        'JOIN "organisation" o ON o.id = p.organisation WHERE p.municipality = {}',
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
        f"WHERE m.municipality = {{}} AND h.status <> '{HandoverStatus.CANCELLED.value}'",
    ),
    "guarantees": (
        {
            name: f"g.{name}"
            for name in GuaranteeRow.__struct_fields__  # the table's own columns
        },
        'FROM "continuity_guarantee" g JOIN "handover" h ON h.id = g.handover '
        "WHERE g.municipality = {} AND h.status IN "
        f"({_listed(IN_FORCE_STATUSES)})",
    ),
}


def _statement(postgres: bool) -> str:
    def aggregated(fields: dict[str, str], rest: str) -> str:
        # Rows as arrays, not objects: no key repeated in every row, half the text to
        # build and to read (the Structs are ``array_like``, in the same field order).
        values = ", ".join(fields.values())
        if postgres:
            return f"(SELECT coalesce(json_agg(json_build_array({values})), '[]') {rest})"
        return f"(SELECT json_group_array(json_array({values})) {rest})"

    sets = ", ".join(f'{aggregated(*parts)} AS "{name}"' for name, parts in _SETS.items())
    return f"SELECT {sets}"


_STATEMENTS = {True: _statement(postgres=True), False: _statement(postgres=False)}
_ROW_TYPES = {"provisions": ProvisionRow, "moves": MoveRow, "guarantees": GuaranteeRow}
for _name, _row_type in _ROW_TYPES.items():
    assert tuple(_SETS[_name][0]) == _row_type.__struct_fields__, _name
# SQLite gives booleans as 0 and 1; lax decoding takes them as they are meant.
_DECODERS = {
    name: msgspec.json.Decoder(list[row_type], strict=False)  # type: ignore[valid-type]
    for name, row_type in _ROW_TYPES.items()
}


async def municipality_rows(municipality_id: UUID, at: datetime | None) -> MunicipalityRows:
    """The rows of the municipality, live (``at`` is None) or as recorded at ``at``."""
    postgres = isinstance(Provision._meta.db, PostgresEngine)
    query = QueryString(_STATEMENTS[postgres], *([municipality_id] * len(_SETS)))
    (row,) = await read_sql(Provision, query, at)
    return MunicipalityRows(**{name: _DECODERS[name].decode(row[name]) for name in _SETS})

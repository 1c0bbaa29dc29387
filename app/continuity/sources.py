"""Where continuity reads the registry from: its rows now, or as recorded at a moment.

One set of queries serves both (``app.store.recorded``), so the continuity queries don't
know whether they answer about today or about what the registry knew at some past moment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec
from piccolo.query import Select
from piccolo.querystring import QueryString
from piccolo.table import Table

from app.continuity.municipality_rows import MunicipalityRows, municipality_rows
from app.handovers.queries import receiving_organisations
from app.handovers.vocabulary import HandoverStatus
from app.municipalities.queries import SuccessionRow
from app.provisions.queries import PROVISION_COLUMNS, ProvisionRow
from app.schemas import Ref
from app.store.prepared import PreparedSelect
from app.store.recorded import read, read_sql
from app.store.typed_rows import as_rows, columns_for
from app.tables.tables import (
    ContinuityGuarantee,
    HandoverService,
    Municipality,
    MunicipalitySuccessor,
    Provision,
)


class MunicipalityInfo(msgspec.Struct, frozen=True):
    """A municipality as continuity follows it through mergers."""

    id: UUID
    code: str
    name: str
    valid_to: date | None
    successor_id: UUID | None = msgspec.field(name="successor")


class TrackGuaranteeRow(msgspec.Struct, frozen=True):
    """A guarantee given for a service in a municipality, with its handover's status."""

    id: UUID
    handover: UUID
    handover_status: HandoverStatus = msgspec.field(name="handover.status")
    service: UUID
    service_name: str = msgspec.field(name="service.name")
    municipality: UUID
    municipality_code: str = msgspec.field(name="municipality.code")
    municipality_name: str = msgspec.field(name="municipality.name")
    valid_from: date
    until: date | None
    review_on: date | None
    full_strength: bool
    same_conditions: bool
    baseline_fte: float | None
    text: str


class TrackMoveRow(msgspec.Struct, frozen=True):
    """A service a handover with an effective date moves in a municipality."""

    handover: UUID
    handover_status: HandoverStatus = msgspec.field(name="handover.status")
    handover_effective_on: date = msgspec.field(name="handover.effective_on")
    service: UUID
    service_name: str = msgspec.field(name="service.name")
    municipality: UUID
    municipality_code: str = msgspec.field(name="municipality.code")
    municipality_name: str = msgspec.field(name="municipality.name")
    from_organisation: UUID | None


# Built once: Piccolo copies a column for every step of a join path it is asked for.
GUARANTEE_COLUMNS = tuple(columns_for(TrackGuaranteeRow, ContinuityGuarantee))
HANDOVER_SERVICE_COLUMNS = tuple(columns_for(TrackMoveRow, HandoverService))


def _within_tracks(
    query: Select,
    table: type[Table],
    municipality_ids: Sequence[UUID] | None,
    service_ids: Sequence[UUID] | None,
) -> Select:
    """Only rows of these municipalities and services (``None``: all of them)."""
    if municipality_ids is not None:
        municipality = table._meta.get_column_by_name("municipality")
        query = query.where(municipality.is_in(list(municipality_ids)))
    if service_ids is not None:
        service = table._meta.get_column_by_name("service")
        query = query.where(service.is_in(list(service_ids)))
    return query


def _on_tracks(table: type[Table], columns: Sequence[Any]) -> Callable[..., Select]:
    """A select of ``columns`` of ``table``, narrowed to the ``municipalities`` and
    ``services`` given (either may be left out: all of them) and handover ``statuses``."""

    def build(
        municipalities: Sequence[UUID] | None = None,
        services: Sequence[UUID] | None = None,
        statuses: Sequence[str] | None = None,
    ) -> Select:
        query = _within_tracks(table.select(*columns), table, municipalities, services)
        if statuses is not None:
            status = table._meta.get_column_by_name("handover.status")
            query = query.where(status.is_in(list(statuses)))
        return query

    return build


def _tracks(
    municipality_ids: Sequence[UUID] | None, service_ids: Sequence[UUID] | None
) -> dict[str, list[UUID]]:
    values = {}
    if municipality_ids is not None:
        values["municipalities"] = list(municipality_ids)
    if service_ids is not None:
        values["services"] = list(service_ids)
    return values


_PROVISIONS = PreparedSelect(
    Provision,
    lambda **tracks: _on_tracks(Provision, PROVISION_COLUMNS)(**tracks).order_by(
        Provision.valid_from, Provision.id
    ),
)
_OF_HANDOVERS = {
    ContinuityGuarantee: PreparedSelect(
        ContinuityGuarantee, _on_tracks(ContinuityGuarantee, GUARANTEE_COLUMNS)
    ),
    HandoverService: PreparedSelect(
        HandoverService,
        lambda **tracks: _on_tracks(HandoverService, HANDOVER_SERVICE_COLUMNS)(**tracks).where(
            HandoverService.handover.effective_on.is_not_null()
        ),
    ),
}


def _none_if_empty(*filters: Sequence[UUID] | None) -> bool:
    """Whether a filter is an empty list, which no row can match."""
    return any(f is not None and len(f) == 0 for f in filters)


MUNICIPALITY_COLUMNS = tuple(columns_for(MunicipalityInfo, Municipality))


_MUNICIPALITY_FIELDS = ", ".join(f'"{c._meta.db_column_name}"' for c in MUNICIPALITY_COLUMNS)
# Up the chain of mergers from the code, then down every chain that ends in it.
_FAMILY = f"""WITH RECURSIVE "up"("id", "successor") AS (
    SELECT "id", "successor" FROM "municipality" WHERE "code" = {{}}
    UNION SELECT m."id", m."successor" FROM "municipality" m JOIN "up" ON m."id" = "up"."successor"
), "down"("id") AS (
    SELECT "id" FROM "up"
    UNION SELECT m."id" FROM "municipality" m JOIN "down" ON m."successor" = "down"."id"
)
SELECT {_MUNICIPALITY_FIELDS} FROM "municipality" WHERE "id" IN (SELECT "id" FROM "down")"""


class RegistrySource:
    """The registry as it is now, or (``at``) as it was recorded at a past moment."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at

    async def municipality_rows(self) -> list[MunicipalityInfo]:
        rows = await read(Municipality.select(*MUNICIPALITY_COLUMNS), self.at)
        return as_rows(MunicipalityInfo, rows)

    async def municipality_family(self, code: str) -> list[MunicipalityInfo]:
        """What ``family_of`` gives, in one query: the municipality, the successors it
        merged into, and everything merged into any of those."""
        rows = await read_sql(Municipality, QueryString(_FAMILY, code), self.at)
        return as_rows(MunicipalityInfo, rows)

    async def successions_of(self, municipality_id: UUID) -> list[SuccessionRow]:
        """Where a municipality went, one row per successor, in the order of their codes."""
        query = (
            MunicipalitySuccessor.select(*columns_for(SuccessionRow, MunicipalitySuccessor))
            .where(MunicipalitySuccessor.municipality == municipality_id)
            .order_by(MunicipalitySuccessor.successor.code)
        )
        return as_rows(SuccessionRow, await read(query, self.at))

    async def continuity_rows(self, municipality_id: UUID, on: date) -> MunicipalityRows:
        """The provisions, moving services and guarantees of one municipality that
        continuity on ``on`` reads, at once."""
        return await municipality_rows(municipality_id, on, self.at)

    async def provision_rows(
        self, municipality_ids: Sequence[UUID] | None, service_ids: Sequence[UUID] | None = None
    ) -> list[ProvisionRow]:
        if _none_if_empty(municipality_ids, service_ids):
            return []
        rows = await _PROVISIONS(self.at, **_tracks(municipality_ids, service_ids))
        return as_rows(ProvisionRow, rows)

    async def guarantee_rows(
        self,
        municipality_ids: Sequence[UUID] | None,
        service_ids: Sequence[UUID] | None,
        statuses: Sequence[str],
    ) -> list[TrackGuaranteeRow]:
        rows = await self._of_handovers(
            ContinuityGuarantee, municipality_ids, service_ids, statuses
        )
        return as_rows(TrackGuaranteeRow, rows)

    async def handover_service_rows(
        self,
        municipality_ids: Sequence[UUID] | None,
        service_ids: Sequence[UUID] | None,
        statuses: Sequence[str],
    ) -> list[TrackMoveRow]:
        """The moves of handovers (in one of ``statuses``) that have an effective date."""
        rows = await self._of_handovers(HandoverService, municipality_ids, service_ids, statuses)
        return as_rows(TrackMoveRow, rows)

    async def _of_handovers(
        self,
        table: type[Table],
        municipality_ids: Sequence[UUID] | None,
        service_ids: Sequence[UUID] | None,
        statuses: Sequence[str],
    ) -> list[dict[str, Any]]:
        """Rows of ``table`` on these tracks whose handover is in one of ``statuses``."""
        if _none_if_empty(municipality_ids, service_ids):
            return []
        tracks = _tracks(municipality_ids, service_ids)
        return await _OF_HANDOVERS[table](self.at, **tracks, statuses=list(statuses))

    async def receiving_organisations(self, handover_ids: Iterable[UUID]) -> dict[UUID, Ref]:
        return await receiving_organisations(handover_ids, self.at)


LIVE = RegistrySource()


def source_for(known_on: datetime | None) -> RegistrySource:
    return LIVE if known_on is None else RegistrySource(known_on)

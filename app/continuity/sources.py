"""Where continuity reads the registry from: the tables now, or the audit trail as of then.

Both sources hand out rows of the same shape (a select with the joined names), so the
continuity queries don't know whether they answer about today or about what the
registry knew at some past moment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from piccolo.query import Select
from piccolo.table import Table

from app.continuity.history import rows_as_known_on
from app.tables.tables import (
    ContinuityGuarantee,
    Handover,
    HandoverParty,
    HandoverService,
    Municipality,
    Organisation,
    Provision,
    Service,
)

Rows = list[dict[str, Any]]

PROVISION_COLUMNS = (
    Provision.id,
    Provision.service,
    Provision.service.name,
    Provision.municipality,
    Provision.municipality.code,
    Provision.municipality.name,
    Provision.organisation,
    Provision.organisation.name,
    Provision.valid_from,
    Provision.valid_to,
    Provision.staffed_fte,
    Provision.opened_by,
    Provision.closed_by,
)

# Built once: Piccolo copies a column for every step of a join path it is asked for.
GUARANTEE_COLUMNS = (
    *ContinuityGuarantee.all_columns(),
    ContinuityGuarantee.service.name,
    ContinuityGuarantee.municipality.code,
    ContinuityGuarantee.municipality.name,
    ContinuityGuarantee.handover.status,
)
HANDOVER_SERVICE_COLUMNS = (
    *HandoverService.all_columns(),
    HandoverService.service.name,
    HandoverService.municipality.code,
    HandoverService.municipality.name,
    HandoverService.handover.status,
    HandoverService.handover.effective_on,
)


class RegistrySource(Protocol):
    async def municipality_rows(self) -> Rows: ...

    async def municipality_family(self, code: str) -> Rows: ...

    async def provision_rows(
        self, municipality_ids: Sequence[UUID] | None, service_ids: Sequence[UUID] | None = None
    ) -> Rows: ...

    async def guarantee_rows(
        self,
        municipality_ids: Sequence[UUID] | None,
        service_ids: Sequence[UUID] | None,
        statuses: Sequence[str],
    ) -> Rows: ...

    async def handover_service_rows(
        self,
        municipality_ids: Sequence[UUID] | None,
        service_ids: Sequence[UUID] | None,
        statuses: Sequence[str],
    ) -> Rows: ...

    async def receiving_organisations(self, handover_ids: Iterable[UUID]) -> dict[UUID, dict]: ...


def _within_tracks(
    query: Select,
    table: type[Table],
    municipality_ids: Sequence[UUID] | None,
    service_ids: Sequence[UUID] | None,
) -> Select:
    """Only rows of these municipalities and services (``None``: all of them)."""
    if municipality_ids is not None:
        query = query.where(table.municipality.is_in(list(municipality_ids)))
    if service_ids is not None:
        query = query.where(table.service.is_in(list(service_ids)))
    return query


def _none_if_empty(*filters: Sequence[UUID] | None) -> bool:
    """Whether a filter is an empty list, which no row can match."""
    return any(f is not None and len(f) == 0 for f in filters)


MUNICIPALITY_COLUMNS = (
    Municipality.id,
    Municipality.code,
    Municipality.name,
    Municipality.valid_to,
    Municipality.successor,
)


def family_of(code: str, rows: Rows) -> Rows:
    """``code``, the municipalities it merged into, and everything merged into those."""
    by_id = {r["id"]: r for r in rows}
    found = {r["id"]: r for r in rows if r["code"] == code}
    chain = list(found.values())
    while chain and (successor := chain[-1]["successor"]) in by_id and successor not in found:
        found[successor] = by_id[successor]
        chain.append(by_id[successor])
    level = set(found)
    while level:
        level = {r["id"] for r in rows if r["successor"] in level and r["id"] not in found}
        found.update((i, by_id[i]) for i in level)
    return list(found.values())


class LiveSource:
    """The registry as it is now."""

    async def municipality_rows(self) -> Rows:
        return await Municipality.select(*MUNICIPALITY_COLUMNS)

    async def municipality_family(self, code: str) -> Rows:
        """What ``family_of`` gives, in a few indexed queries (one per merger level)."""
        rows = await Municipality.select(*MUNICIPALITY_COLUMNS).where(Municipality.code == code)
        found = {r["id"]: r for r in rows}
        successor = rows[0]["successor"] if rows else None
        while successor is not None and successor not in found:
            up = await Municipality.select(*MUNICIPALITY_COLUMNS).where(
                Municipality.id == successor
            )
            found.update((r["id"], r) for r in up)
            successor = up[0]["successor"] if up else None
        level = list(found)
        while level:
            down = await Municipality.select(*MUNICIPALITY_COLUMNS).where(
                Municipality.successor.is_in(level)
            )
            level = [r["id"] for r in down if r["id"] not in found]
            found.update((r["id"], r) for r in down)
        return list(found.values())

    async def provision_rows(
        self, municipality_ids: Sequence[UUID] | None, service_ids: Sequence[UUID] | None = None
    ) -> Rows:
        if _none_if_empty(municipality_ids, service_ids):
            return []
        query = Provision.select(*PROVISION_COLUMNS)
        query = _within_tracks(query, Provision, municipality_ids, service_ids)
        return await query.order_by(Provision.valid_from)

    async def guarantee_rows(
        self,
        municipality_ids: Sequence[UUID] | None,
        service_ids: Sequence[UUID] | None,
        statuses: Sequence[str],
    ) -> Rows:
        if _none_if_empty(municipality_ids, service_ids):
            return []
        query = ContinuityGuarantee.select(*GUARANTEE_COLUMNS).where(
            ContinuityGuarantee.handover.status.is_in(list(statuses))
        )
        query = _within_tracks(query, ContinuityGuarantee, municipality_ids, service_ids)
        return await query

    async def handover_service_rows(
        self,
        municipality_ids: Sequence[UUID] | None,
        service_ids: Sequence[UUID] | None,
        statuses: Sequence[str],
    ) -> Rows:
        if _none_if_empty(municipality_ids, service_ids):
            return []
        query = HandoverService.select(*HANDOVER_SERVICE_COLUMNS).where(
            HandoverService.handover.status.is_in(list(statuses))
        )
        query = _within_tracks(query, HandoverService, municipality_ids, service_ids)
        return await query

    async def receiving_organisations(self, handover_ids: Iterable[UUID]) -> dict[UUID, dict]:
        ids = list(handover_ids)
        if not ids:
            return {}
        rows = await HandoverParty.select(
            HandoverParty.handover, HandoverParty.organisation, HandoverParty.organisation.name
        ).where(HandoverParty.handover.is_in(ids) & (HandoverParty.role == "receiving"))
        return {
            r["handover"]: {"id": r["organisation"], "name": r["organisation.name"]}
            for r in rows
            if r["organisation"] is not None
        }


def _within(value: Any, allowed: Sequence[Any] | None) -> bool:
    return allowed is None or value in allowed


class HistorySource:
    """The registry as it was recorded at ``known_on``, replayed from the audit trail."""

    def __init__(self, known_on: datetime) -> None:
        self.known_on = known_on
        self._tables: dict[str, dict[UUID, dict[str, Any]]] = {}

    async def rows(self, table: type[Table]) -> Rows:
        """Every row of ``table`` as it stood at ``known_on``."""
        return list((await self._table(table)).values())

    async def name_of(self, table: type[Table], record_id: UUID | None, field: str = "name") -> Any:
        return await self._named(table, record_id, field)

    async def _table(self, table: type[Table]) -> dict[UUID, dict[str, Any]]:
        name = table._meta.tablename
        if name not in self._tables:
            rows = await rows_as_known_on(table, self.known_on)
            self._tables[name] = {row["id"]: row for row in rows}
        return self._tables[name]

    async def _named(self, table: type[Table], record_id: UUID | None, field: str = "name") -> Any:
        row = (await self._table(table)).get(record_id) if record_id is not None else None
        return row[field] if row else None

    async def municipality_rows(self) -> Rows:
        return list((await self._table(Municipality)).values())

    async def municipality_family(self, code: str) -> Rows:
        return family_of(code, await self.municipality_rows())

    async def provision_rows(
        self, municipality_ids: Sequence[UUID] | None, service_ids: Sequence[UUID] | None = None
    ) -> Rows:
        rows = []
        for row in (await self._table(Provision)).values():
            if _within(row["municipality"], municipality_ids) and _within(
                row["service"], service_ids
            ):
                rows.append(
                    {
                        **row,
                        "service.name": await self._named(Service, row["service"]),
                        "municipality.code": await self._named(
                            Municipality, row["municipality"], "code"
                        ),
                        "municipality.name": await self._named(Municipality, row["municipality"]),
                        "organisation.name": await self._named(Organisation, row["organisation"]),
                    }
                )
        return sorted(rows, key=lambda r: r["valid_from"])

    async def _with_handover(self, table: type[Table], row: dict[str, Any]) -> dict[str, Any]:
        handover = (await self._table(Handover)).get(row["handover"]) or {}
        return {
            **row,
            "service.name": await self._named(Service, row["service"]),
            "municipality.code": await self._named(Municipality, row["municipality"], "code"),
            "municipality.name": await self._named(Municipality, row["municipality"]),
            "handover.status": handover.get("status"),
            "handover.effective_on": handover.get("effective_on"),
        }

    async def _linked(
        self,
        table: type[Table],
        municipality_ids: Sequence[UUID] | None,
        service_ids: Sequence[UUID] | None,
        statuses: Sequence[str],
    ) -> Rows:
        rows = []
        for row in (await self._table(table)).values():
            if _within(row["municipality"], municipality_ids) and _within(
                row["service"], service_ids
            ):
                joined = await self._with_handover(table, row)
                if joined["handover.status"] in statuses:
                    rows.append(joined)
        return rows

    async def guarantee_rows(
        self,
        municipality_ids: Sequence[UUID] | None,
        service_ids: Sequence[UUID] | None,
        statuses: Sequence[str],
    ) -> Rows:
        return await self._linked(ContinuityGuarantee, municipality_ids, service_ids, statuses)

    async def handover_service_rows(
        self,
        municipality_ids: Sequence[UUID] | None,
        service_ids: Sequence[UUID] | None,
        statuses: Sequence[str],
    ) -> Rows:
        return await self._linked(HandoverService, municipality_ids, service_ids, statuses)

    async def receiving_organisations(self, handover_ids: Iterable[UUID]) -> dict[UUID, dict]:
        wanted = set(handover_ids)
        result = {}
        for party in (await self._table(HandoverParty)).values():
            if (
                party["handover"] in wanted
                and party["role"] == "receiving"
                and party["organisation"] is not None
            ):
                result[party["handover"]] = {
                    "id": party["organisation"],
                    "name": await self._named(Organisation, party["organisation"]),
                }
        return result


LIVE = LiveSource()


def source_for(known_on: datetime | None) -> RegistrySource:
    return LIVE if known_on is None else HistorySource(known_on)

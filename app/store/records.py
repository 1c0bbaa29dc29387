"""Create, update and delete rows with their audit event, in one write transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar, cast
from uuid import UUID, uuid4

from piccolo.columns import Column, Integer
from piccolo.table import Table

from app.database import is_postgres, record_as, write_transaction
from app.errors import NotFound, PreconditionFailed, PreconditionRequired
from app.store.audit import record_event

T = TypeVar("T", bound=Table)


#: ``update(..., if_match=UNCHECKED)``: an internal write that is not a client's edit.
UNCHECKED: Any = object()


async def filled_tables(tables: Iterable[type[Table]]) -> list[str]:
    """``"name (n rows)"`` for each of ``tables`` that holds rows: what stops a bulk load
    that must start from an empty registry (the generator, the registry import)."""
    return [f"{t._meta.tablename} ({n} rows)" for t in tables if (n := await t.count())]


def etag(version: int) -> str:
    """The strong entity tag of a record at ``version``: the API's ETag."""
    return f'"{version}"'


def check_version(row: dict[str, Any], if_match: str | None) -> None:
    """Refuse an edit whose ``If-Match`` does not name the row's current version.

    Call it on a row read with ``for_update=True`` inside the write transaction, so no
    other write can come between the comparison and the update.
    """
    if if_match is None:
        raise PreconditionRequired(
            "send the ETag of the record you edit as If-Match (GET it first)", field="If-Match"
        )
    if etag(row["version"]) not in {tag.strip() for tag in if_match.split(",")}:
        raise PreconditionFailed(
            "the record has changed since you read it: GET it again and reapply your change",
            field="If-Match",
        )


async def get_current(
    table: type[Table], record_id: UUID | str, if_match: str | None
) -> dict[str, Any]:
    """The row, locked for this transaction, if ``If-Match`` names its current version."""
    row = await get_row(table, record_id, for_update=True)
    check_version(row, if_match)
    return row


async def touch(table: type[Table], record_id: UUID | str) -> None:
    """Bump a record's version: a part of it (a milestone of a handover, say) changed."""
    version = cast(Integer, table._meta.get_column_by_name("version"))
    await table.update({version: version + 1}).where(table._meta.primary_key == record_id)


def record_type(table: type[Table]) -> str:
    return table._meta.tablename


async def get_row(
    table: type[Table], record_id: UUID | str, *, for_update: bool = False
) -> dict[str, Any]:
    """One row by id, or ``NotFound``.

    ``for_update`` locks the row until the transaction ends on PostgreSQL, so that a
    read-then-write cannot interleave with another; on SQLite the write transaction
    (BEGIN IMMEDIATE) already holds the whole database.
    """
    query = table.select().where(table._meta.primary_key == record_id)
    if for_update and is_postgres():
        query = query.lock_rows()
    row = await query.first()
    if row is None:
        raise NotFound(f"no {record_type(table).replace('_', ' ')} with id {record_id}")
    return row


async def create(table: type[Table], values: dict[str, Any], *, actor: str) -> dict[str, Any]:
    values = {"id": uuid4(), **values}
    async with write_transaction():
        await record_as(actor)
        await table.insert(table(**values))
        row = await get_row(table, values["id"])
        await record_event(
            actor=actor,
            action="create",
            record_type=record_type(table),
            record_id=row["id"],
            after=row,
        )
    return row


async def update(
    table: type[Table],
    record_id: UUID | str,
    changes: dict[str, Any],
    *,
    actor: str,
    if_match: str | None = UNCHECKED,
) -> dict[str, Any]:
    """Apply ``changes``; a client's edit passes its ``If-Match``, checked under the lock."""
    async with write_transaction():
        before = await get_row(table, record_id, for_update=True)
        if if_match is not UNCHECKED:
            check_version(before, if_match)
        if not changes:
            return before
        if "version" in before:
            changes = {**changes, "version": before["version"] + 1}
        await record_as(actor)
        await table.update(cast(dict[Column | str, Any], changes)).where(
            table._meta.primary_key == record_id
        )
        after = await get_row(table, record_id)
        await record_event(
            actor=actor,
            action="update",
            record_type=record_type(table),
            record_id=record_id,
            before=before,
            after=after,
        )
    return after


async def delete(table: type[Table], record_id: UUID | str, *, actor: str) -> None:
    async with write_transaction():
        before = await get_row(table, record_id, for_update=True)
        await record_as(actor)
        await table.delete().where(table._meta.primary_key == record_id)
        await record_event(
            actor=actor,
            action="delete",
            record_type=record_type(table),
            record_id=record_id,
            before=before,
        )

"""Many rows into one table, fast, inside the caller's write transaction.

PostgreSQL takes them by ``COPY`` (asyncpg's binary ``copy_records_to_table``); SQLite by
``executemany`` of one prepared INSERT, with Piccolo's adapters turning UUIDs, dates and
timestamps into the text it stores. Values are Python values of the column types (JSON
columns as JSON text). Both need the connection of the transaction that is open.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

from app.database import DB


def _connection() -> Any:
    transaction = DB.current_transaction.get()
    if transaction is None:
        raise RuntimeError("bulk writes need an open transaction (app.database.write_transaction)")
    return transaction.connection


async def insert_rows(
    table: type[Table], columns: Sequence[str], records: Iterable[Sequence[Any]]
) -> None:
    records = list(records)
    if not records:
        return
    connection = _connection()
    name = table._meta.tablename
    if isinstance(DB, PostgresEngine):
        await connection.copy_records_to_table(name, records=records, columns=list(columns))
        return
    quoted = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    await connection.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})', records)


async def update_rows(
    table: type[Table], columns: Sequence[str], records: Iterable[Sequence[Any]]
) -> None:
    """Set ``columns`` of rows by id; each record is the new values followed by the id."""
    records = list(records)
    if not records:
        return
    connection = _connection()
    name = table._meta.tablename
    if isinstance(DB, PostgresEngine):
        sets = ", ".join(f'"{c}" = ${i}' for i, c in enumerate(columns, start=1))
        sql = f'UPDATE "{name}" SET {sets} WHERE id = ${len(columns) + 1}'
    else:
        sets = ", ".join(f'"{c}" = ?' for c in columns)
        sql = f'UPDATE "{name}" SET {sets} WHERE id = ?'
    await connection.executemany(sql, records)

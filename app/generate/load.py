"""Bulk loading a generated registry: COPY on PostgreSQL, batched executemany on SQLite.

Everything goes in one transaction, so a failed run leaves the registry as empty as
it found it. Rows are checked by the database as they land: foreign keys, unique
indexes and, on PostgreSQL, the exclusion constraint on provisions.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine  # (also registers sqlite3 adapters)

from app import database
from app.errors import Conflict
from app.generate.synthetic import TABLES, Dataset
from app.store import records
from app.store.recorded import VERSIONED
from app.store.versions import rebuild_statements, rebuild_versions
from app.tables.tables import (
    Handover,
    Municipality,
    Organisation,
    Provision,
    Service,
    StaffTransfer,
)

#: Progress callback: (table, rows just loaded).
Progress = Callable[[str, int], None]
BATCH = 20_000


async def check_empty() -> None:
    """Refuse to add a synthetic registry to one that already holds records."""
    registry = (Organisation, Municipality, Service, Provision, Handover, StaffTransfer)
    if found := await records.filled_tables(registry):
        raise Conflict(
            f"the registry is not empty ({', '.join(found)}); generate into a new, empty "
            "database (generate migrates it itself; `handover migrate` would add the "
            "municipalities the generator brings)"
        )


def _batches(rows: Iterable[tuple], size: int = BATCH) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _rows(dataset: Dataset, table: str) -> Iterable[tuple]:
    return dataset.audit_rows() if table == "audit_event" else dataset.rows[table]


async def load(dataset: Dataset, progress: Progress = lambda table, n: None) -> None:
    await check_empty()
    if isinstance(database.DB, PostgresEngine):
        await _load_postgres(database.DB, dataset, progress)
    else:
        assert isinstance(database.DB, SQLiteEngine)  # the only other engine the app makes
        await asyncio.to_thread(_load_sqlite, database.DB.path, dataset, progress)


async def _load_postgres(engine: PostgresEngine, dataset: Dataset, progress: Progress) -> None:
    import asyncpg

    connection = await asyncpg.connect(engine.config["dsn"])
    try:
        async with connection.transaction():
            for table in TABLES:
                # Building an index once after the COPY is far cheaper than keeping it up
                # to date row by row; indexes that back a constraint stay and check.
                indexes = await connection.fetch(
                    "SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) "
                    "AS definition FROM pg_index i WHERE i.indrelid = $1::regclass AND NOT "
                    "EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                    table,
                )
                for index in indexes:
                    await connection.execute(f"DROP INDEX {index['name']}")
                for batch in _batches(_rows(dataset, table)):
                    await connection.copy_records_to_table(
                        table, records=batch, columns=list(dataset.columns[table])
                    )
                    progress(table, len(batch))
                for index in indexes:
                    await connection.execute(index["definition"])
            await rebuild_versions(connection.execute)
        # VACUUM too: it marks the freshly loaded pages all-visible, so the reads that an
        # index answers alone (a name as recorded at a moment) need not visit the table.
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


def _load_sqlite(path: str, dataset: Dataset, progress: Progress) -> None:
    connection = sqlite3.connect(path, timeout=30)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        with connection:  # one transaction
            for table in TABLES:
                columns = dataset.columns[table]
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" * len(columns))
                statement = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
                for batch in _batches(_rows(dataset, table)):
                    connection.executemany(statement, batch)
                    progress(table, len(batch))
            # The generated history is in the audit trail, not in the moment of loading.
            for versioned in VERSIONED:
                for rebuild in rebuild_statements(versioned):
                    connection.execute(rebuild)
        connection.execute("ANALYZE")
    finally:
        connection.close()

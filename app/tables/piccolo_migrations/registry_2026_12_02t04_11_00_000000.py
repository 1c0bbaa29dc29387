"""Recorded time for the two tables of the previous migration, in the pattern of
``registry_2026_12_01t23_50``: a ``_version`` twin each, filled by triggers.

Existing registries keep their mergers: each ``municipality.successor`` becomes a
``municipality_succession`` row dated on the municipality's ``valid_to``.
"""

from __future__ import annotations

import uuid

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

from app.tables.piccolo_migrations.registry_2026_12_01t23_50_00_000000 import (
    columns_of,
    create_version_table,
    postgres_triggers,
    run,
    sqlite_triggers,
)

ID = "2026-12-02T04:11:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "versions of municipality successors and organisation identifiers"

TABLES = ("municipality_succession", "organisation_identifier")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)

    async def migrate() -> None:
        postgres = isinstance(engine_finder(), PostgresEngine)
        await run(
            "CREATE UNIQUE INDEX municipality_succession_unique "
            "ON municipality_succession (municipality, successor)"
        )
        for table in TABLES:
            columns = await columns_of(table, postgres)
            await create_version_table(table, columns, postgres)
            triggers = postgres_triggers if postgres else sqlite_triggers
            for statement in triggers(table, columns):
                await run(statement)
        merged = await run(
            "SELECT id, successor, valid_to FROM municipality "
            "WHERE successor IS NOT NULL AND valid_to IS NOT NULL"
        )
        for row in merged:
            await run(
                "INSERT INTO municipality_succession (id, municipality, successor, valid_from, part) "
                "VALUES ({}, {}, {}, {}, '')",
                uuid.uuid4() if postgres else str(uuid.uuid4()),
                row["id"],
                row["successor"],
                row["valid_to"],
            )

    manager.add_raw(migrate)
    return manager

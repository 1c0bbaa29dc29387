"""Version indexes that find the versions held at a moment without reading older ones.

A question "as known on" a moment reads, of each table it touches, the versions with
``recorded_from <= moment`` and ``recorded_to`` after it (or still open). The version
tables were indexed on the column a read filters on alone, so every version of, say, a
municipality's provisions (six per row on the national data) was fetched from the table
to be tested, and a past answer cost twice the live one. Each of those indexes now holds
``recorded_to`` beside its column, so the index itself leaves out the versions closed
before the moment. The names of organisations and services, joined to almost every
answer, are read from an index that holds them with their recorded period.
"""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.querystring import QueryString

ID = "2026-12-02T16:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "version indexes with the recorded period"

#: Version tables whose ``name`` is joined to the answers.
NAMED = ("organisation_version", "service_version")

_POSTGRES_INDEXES = """
SELECT i.relname AS "index", t.relname AS "table", a.attname AS "column"
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
WHERE t.relnamespace = current_schema()::regnamespace AND t.relname LIKE '%\\_version'
  AND x.indnatts = 1 AND NOT x.indisunique AND x.indpred IS NULL
  AND a.attname NOT IN ('id', 'version_id')
"""


async def run(sql: str) -> list[dict[str, Any]]:
    engine = engine_finder()
    assert engine is not None
    return await engine.run_querystring(QueryString(sql))


async def single_column_indexes(postgres: bool) -> list[tuple[str, str, str]]:
    """(index, version table, column) of each plain one-column index on a version table."""
    if postgres:
        rows = await run(_POSTGRES_INDEXES)
        return [(r["index"], r["table"], r["column"]) for r in rows]
    found = []
    indexes = await run(
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' "
        "AND tbl_name LIKE '%\\_version' ESCAPE '\\' AND sql IS NOT NULL "
        "AND sql NOT LIKE 'CREATE UNIQUE%' AND sql NOT LIKE '% WHERE %'"
    )
    for index in indexes:
        columns = await run(f"PRAGMA index_info(\"{index['name']}\")")
        if len(columns) == 1 and columns[0]["name"] not in {"id", "version_id"}:
            found.append((index["name"], index["tbl_name"], columns[0]["name"]))
    return found


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)

    async def migrate() -> None:
        postgres = isinstance(engine_finder(), PostgresEngine)
        for index, table, column in await single_column_indexes(postgres):
            await run(f'DROP INDEX "{index}"')
            await run(f'CREATE INDEX "{index}" ON "{table}" ("{column}", "recorded_to")')
        for table in NAMED:
            # It starts as the (id, recorded_from) index did, which it replaces.
            await run(f'DROP INDEX "{table}_id"')
            await run(
                f'CREATE INDEX "{table}_id_name" ON "{table}" '
                '("id", "recorded_from", "recorded_to", "name")'
            )

    manager.add_raw(migrate)
    return manager

"""The version tables' indexes leave out versions closed before the moment asked about.

Without ``recorded_to`` beside the filtered column, a ``knownOn`` read fetched every
version of the rows it filtered and cost twice the live read (see the migration
``registry_2026_12_02t16_00``); a version table added later must be indexed alike.
"""

from __future__ import annotations

import importlib

from piccolo.querystring import QueryString

from app.database import DB, is_postgres

migration = importlib.import_module(
    "app.tables.piccolo_migrations.registry_2026_12_02t16_00_00_000000"
)

_POSTGRES_COLUMNS = """SELECT a.attname AS "name" FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN LATERAL unnest(x.indkey) WITH ORDINALITY k(attnum, position) ON true
JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
WHERE i.relname = {} ORDER BY k.position"""


async def index_columns(name: str) -> list[str]:
    if is_postgres():
        query = QueryString(_POSTGRES_COLUMNS, name)
    else:
        query = QueryString(f'PRAGMA index_info("{name}")')
    return [row["name"] for row in await DB.run_querystring(query)]


async def test_no_version_table_is_indexed_on_a_column_alone() -> None:
    assert await migration.single_column_indexes(is_postgres()) == []


async def test_filtered_version_indexes_hold_the_recorded_period() -> None:
    columns = await index_columns("provision_version_municipality")
    assert columns == ["municipality", "recorded_to"]


async def test_names_are_read_with_their_recorded_period() -> None:
    for table in migration.NAMED:
        columns = await index_columns(f"{table}_id_name")
        assert columns == ["id", "recorded_from", "recorded_to", "name"]

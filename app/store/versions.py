"""Rebuilding the version tables from the audit trail, after a bulk load that carries one.

A registry import (``handover import``) and a generated registry bring their history as
audit events; the triggers stamp what they load with the moment of loading. This puts
back the history those events tell: each create or update holds until the next event of
its record, and each row's current version is the row itself, since its last event.
"""

from __future__ import annotations

from typing import Any

from piccolo.querystring import QueryString
from piccolo.table import Table

from app.database import DB, is_postgres
from app.store.recorded import VERSIONED, version_table

_POSTGRES_TYPES = {
    "UUID": "uuid",
    "ForeignKey": "uuid",
    "Date": "date",
    "Timestamptz": "timestamptz",
    "Integer": "integer",
    "DoublePrecision": "double precision",
    "Boolean": "boolean",
}


def _names(table: type[Table]) -> list[tuple[str, str]]:
    return [(c._meta.db_column_name, type(c).__name__) for c in table._meta.columns]


def _from_snapshot(name: str, kind: str) -> str:
    if is_postgres():
        return f"(e.after->>'{name}')::{_POSTGRES_TYPES.get(kind, 'text')}"
    return f"json_extract(e.after, '$.{name}')"


def _moment(expression: str) -> str:
    if is_postgres():
        return expression
    # The version tables' fixed-width text (see app.store.recorded.moment_value).
    return f"(strftime('%Y-%m-%d %H:%M:%f', {expression}) || '+00:00')"


def rebuild_statements(table: type[Table]) -> list[str]:
    name = table._meta.tablename
    columns = _names(table)
    listed = ", ".join(f'"{n}"' for n, _ in columns)
    snapshot = ", ".join(_from_snapshot(n, k) for n, k in columns)
    row = ", ".join(f't."{n}"' for n, _ in columns)
    record_id = "t.id::text" if is_postgres() else "t.id"
    own = next((n for n in ("recorded_at", "created_at") if n in dict(columns)), None)
    since = f"coalesce(last.at, {_moment(f't.{own}')})" if own else "last.at"
    now = "now()" if is_postgres() else _moment("'now'")
    return [
        f'DELETE FROM "{version_table(table)}"',
        f'INSERT INTO "{version_table(table)}" ({listed}, recorded_from, recorded_to, recorded_by) '
        f"SELECT {snapshot}, {_moment('e.occurred_at')}, {_moment('e.next_at')}, e.actor FROM ("
        "SELECT a.*, lead(a.occurred_at) OVER (PARTITION BY a.record_id ORDER BY a.occurred_at) "
        "AS next_at FROM audit_event a WHERE a.record_type = "
        f"'{name}' AND a.action IN ('create', 'update', 'delete')) e "
        "WHERE e.action <> 'delete' AND e.after IS NOT NULL AND e.next_at > e.occurred_at",
        f'INSERT INTO "{version_table(table)}" ({listed}, recorded_from, recorded_by) '
        f'SELECT {row}, coalesce({since}, {now}), last.actor FROM "{name}" t LEFT JOIN ('
        f"SELECT a.record_id, {_moment('max(a.occurred_at)')} AS at, max(a.actor) AS actor "
        f"FROM audit_event a WHERE a.record_type = '{name}' "
        "AND a.action IN ('create', 'update') GROUP BY a.record_id) last "
        f"ON last.record_id = {record_id}",
    ]


async def rebuild_versions(run: Any = None) -> None:
    """Every version table rebuilt from the audit trail; call it inside the load's
    transaction (``run`` executes one statement; the engine's by default)."""
    for table in VERSIONED:
        for statement in rebuild_statements(table):
            if run is None:
                await DB.run_querystring(QueryString(statement))
            else:
                await run(statement)

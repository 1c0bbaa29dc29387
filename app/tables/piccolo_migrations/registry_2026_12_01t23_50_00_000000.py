"""Recorded time: every version of every registry row, with the period the registry held it.

For each table an answer depends on, ``<table>_version`` holds the row's columns as they
were, plus ``recorded_from``/``recorded_to`` (half-open; an empty ``recorded_to`` is the
current version) and ``recorded_by``. Database triggers write them in the transaction of
the change, so no write path (the API, bulk imports, cascading deletes) can skip them:

- PostgreSQL: statement triggers with transition tables, stamped with the transaction's
  ``now()`` (never before the version they close) and the actor the app set with
  ``set_config('handover.actor', …, true)``.
- SQLite: row triggers, stamped from ``recording_context``, the one row the app's write
  transaction fills at BEGIN and empties before COMMIT (SQLite has no session variables;
  writers are serialised, so one row serves).

A second write to a row in the same transaction replaces that transaction's version: what
no other reader could see was never held by the registry.

Existing registries keep their history: versions are backfilled from the audit trail
(each create and update's ``after`` snapshot, closed by the next event), and each row's
current version is the row itself. A row without audit events is known from its own
``recorded_at``/``created_at``, or else from this migration.

Personal data are never versioned: ``staff_transfer.name`` stays out of its versions.
A later migration that changes one of these tables changes its version table and
triggers too.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.querystring import QueryString

ID = "2026-12-01T23:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "recorded-time versions of every registry table"

TABLES = (
    "organisation",
    "organisation_name_history",
    "organisation_relation",
    "officer",
    "municipality",
    "service",
    "handover",
    "handover_party",
    "handover_service",
    "handover_transition",
    "provision",
    "staff_transfer",
    "continuity_guarantee",
    "milestone",
    "service_figure",
)
#: Personal data: in no version, ever.
EXCLUDED = {"staff_transfer": {"name"}}
#: Columns the reads filter on, besides every reference to another row.
FILTERED = {"municipality": ("code",), "handover": ("status",)}
#: SQLite keeps moments as text; one fixed width keeps them in order as text.
SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '+00:00'"


def sqlite_moment(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00:00")


def q(name: str) -> str:
    return f'"{name}"'


async def run(sql: str, *args: Any) -> list[dict[str, Any]]:
    engine = engine_finder()
    assert engine is not None
    return await engine.run_querystring(QueryString(sql, *args))


async def columns_of(table: str, postgres: bool) -> list[tuple[str, str]]:
    """(name, type) of each column, in table order, without the excluded ones."""
    if postgres:
        rows = await run(
            "SELECT column_name AS name, data_type AS type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = {} "
            "ORDER BY ordinal_position",
            table,
        )
    else:
        rows = await run(f"SELECT name, type FROM pragma_table_info('{table}')")
    return [(r["name"], r["type"]) for r in rows if r["name"] not in EXCLUDED.get(table, ())]


def is_reference(table: str, column: str, kind: str) -> bool:
    return column != "id" and kind.lower() == "uuid"


async def create_version_table(table: str, columns: list[tuple[str, str]], postgres: bool) -> None:
    version = f"{table}_version"
    if postgres:
        mirrored = ", ".join(f"{q(name)} {kind}" for name, kind in columns)
        await run(
            f"CREATE TABLE {q(version)} ("
            '"version_id" BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, '
            f"{mirrored}, "
            '"recorded_from" TIMESTAMPTZ NOT NULL, "recorded_to" TIMESTAMPTZ, '
            '"recorded_by" VARCHAR(200))'
        )
    else:
        mirrored = ", ".join(f"{q(name)} {kind}" for name, kind in columns)
        await run(
            f"CREATE TABLE {q(version)} ("
            '"version_id" INTEGER PRIMARY KEY AUTOINCREMENT, '
            f"{mirrored}, "
            '"recorded_from" TIMESTAMPTZ NOT NULL, "recorded_to" TIMESTAMPTZ, '
            '"recorded_by" VARCHAR(200))'
        )
    await run(f'CREATE INDEX "{version}_id" ON {q(version)} ("id", "recorded_from")')
    await run(
        f'CREATE UNIQUE INDEX "{version}_current" ON {q(version)} ("id") '
        'WHERE "recorded_to" IS NULL'
    )
    names = {name for name, _ in columns}
    filtered = [n for n, k in columns if is_reference(table, n, k)]
    filtered += [n for n in FILTERED.get(table, ()) if n in names]
    for name in filtered:
        await run(f'CREATE INDEX "{version}_{name}" ON {q(version)} ({q(name)})')


def postgres_triggers(table: str, columns: list[tuple[str, str]]) -> list[str]:
    version = f"{table}_version"
    names = ", ".join(q(n) for n, _ in columns)
    new_values = ", ".join(f"n.{q(n)}" for n, _ in columns)
    function = f"{table}_record_versions"
    # A version this transaction wrote is replaced, not closed (xmin is its writer).
    drop_own = (
        f"DELETE FROM {q(version)} v USING old_rows o WHERE v.id = o.id "
        "AND v.recorded_to IS NULL AND v.xmin = pg_current_xact_id()::xid;"
    )
    close = (
        f"UPDATE {q(version)} v SET recorded_to = greatest(recording_stamp, v.recorded_from) "
        "FROM old_rows o WHERE v.id = o.id AND v.recorded_to IS NULL"
    )
    body = f"""
    CREATE FUNCTION {q(function)}() RETURNS trigger AS $$
    DECLARE
        recording_stamp timestamptz := now();
        recording_actor text := nullif(current_setting('handover.actor', true), '');
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO {q(version)} ({names}, recorded_from, recorded_by)
            SELECT {new_values}, recording_stamp, recording_actor FROM new_rows n;
        ELSIF TG_OP = 'UPDATE' THEN
            {drop_own}
            WITH closed AS ({close} RETURNING v.id, v.recorded_to)
            INSERT INTO {q(version)} ({names}, recorded_from, recorded_by)
            SELECT {new_values}, coalesce(c.recorded_to, recording_stamp), recording_actor
            FROM new_rows n LEFT JOIN closed c ON c.id = n.id;
        ELSE
            {drop_own}
            {close};
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """
    return [
        body,
        f'CREATE TRIGGER "{table}_versions_insert" AFTER INSERT ON {q(table)} '
        f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {q(function)}()",
        f'CREATE TRIGGER "{table}_versions_update" AFTER UPDATE ON {q(table)} '
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {q(function)}()",
        f'CREATE TRIGGER "{table}_versions_delete" AFTER DELETE ON {q(table)} '
        f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {q(function)}()",
    ]


def sqlite_triggers(table: str, columns: list[tuple[str, str]]) -> list[str]:
    version = f"{table}_version"
    names = ", ".join(q(n) for n, _ in columns)
    new_values = ", ".join(f"NEW.{q(n)}" for n, _ in columns)
    stamp = f"coalesce((SELECT recorded_at FROM recording_context WHERE id = 1), {SQLITE_NOW})"
    actor = "(SELECT actor FROM recording_context WHERE id = 1)"
    insert = (
        f"INSERT INTO {q(version)} ({names}, recorded_from, recorded_by) "
        f"VALUES ({new_values}, {stamp}, {actor});"
    )
    drop_own = (
        f"DELETE FROM {q(version)} WHERE id = OLD.id AND recorded_to IS NULL "
        f"AND recorded_from = {stamp};"
    )
    close = f"UPDATE {q(version)} SET recorded_to = {stamp} WHERE id = OLD.id AND recorded_to IS NULL;"
    return [
        f'CREATE TRIGGER "{table}_versions_insert" AFTER INSERT ON {q(table)} '
        f"FOR EACH ROW BEGIN {insert} END",
        f'CREATE TRIGGER "{table}_versions_update" AFTER UPDATE ON {q(table)} '
        f"FOR EACH ROW BEGIN {drop_own} {close} {insert} END",
        f'CREATE TRIGGER "{table}_versions_delete" AFTER DELETE ON {q(table)} '
        f"FOR EACH ROW BEGIN {drop_own} {close} END",
    ]


# --- backfill ---------------------------------------------------------------------------


def parser(kind: str, postgres: bool):
    kind = kind.lower()
    if kind == "uuid":
        return uuid.UUID
    if kind == "date":
        return date.fromisoformat
    if kind in {"timestamptz", "timestamp with time zone"}:
        return datetime.fromisoformat
    if kind in {"json", "jsonb"}:
        return json.dumps
    if kind in {"double precision", "real", "numeric"}:
        return float
    if kind in {"integer", "bigint", "smallint"}:
        return int
    if kind == "boolean":
        return bool
    return None


def as_moment(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def backfill(table: str, columns: list[tuple[str, str]], postgres: bool) -> None:
    migrated_at = datetime.now(UTC)
    parsers = {name: parser(kind, postgres) for name, kind in columns}
    events = await run(
        "SELECT record_id, action, actor, after, occurred_at FROM audit_event "
        "WHERE record_type = {} AND action IN ('create', 'update', 'delete') "
        "ORDER BY occurred_at",
        table,
    )
    names = [n for n, _ in columns]
    current = {str(r["id"]): r for r in await run(f"SELECT {', '.join(map(q, names))} FROM {q(table)}")}

    def from_snapshot(snapshot: dict[str, Any]) -> dict[str, Any]:
        row = {}
        for name in names:
            value = snapshot.get(name)
            parse = parsers[name]
            row[name] = parse(value) if value is not None and parse is not None else value
        return row

    history: dict[str, list[list[Any]]] = defaultdict(list)  # id → [[row, from, to, by]]
    for event in events:
        moment = as_moment(event["occurred_at"])
        versions = history[event["record_id"]]
        if versions and versions[-1][2] is None:
            versions[-1][2] = moment
        after = event["after"]
        if isinstance(after, str):
            after = json.loads(after)
        if event["action"] != "delete" and after is not None:
            versions.append([from_snapshot(after), moment, None, event["actor"]])
    own_stamp = next((n for n in ("recorded_at", "created_at") if n in names), None)
    for record_id, row in current.items():
        versions = history[record_id]
        if versions and versions[-1][2] is None:
            versions[-1][0] = dict(row)
        else:
            known = as_moment(row[own_stamp]) if own_stamp and row[own_stamp] else migrated_at
            versions.append([dict(row), known, None, None])
    count = len(names) + 3
    marks = ", ".join(f"${i}" for i in range(1, count + 1)) if postgres else ", ".join("?" * count)
    insert = (
        f'INSERT INTO {q(table + "_version")} ({", ".join(map(q, names))}, recorded_from, '
        f"recorded_to, recorded_by) VALUES ({marks})"
    )
    rows = []
    for versions in history.values():
        for row, start, end, actor in versions:
            if end is not None and end <= start:
                continue
            if postgres:
                rows.append([*(row[n] for n in names), start, end, actor])
            else:
                rows.append(
                    [
                        *(row[n] for n in names),
                        sqlite_moment(start),
                        None if end is None else sqlite_moment(end),
                        actor,
                    ]
                )
    if rows:
        # The migration's own transaction, so the backfill is all or nothing.
        engine = engine_finder()
        assert engine is not None
        transaction = engine.current_transaction.get()
        assert transaction is not None  # migrations run in a transaction
        connection = transaction.connection
        await connection.executemany(insert, rows)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)

    async def migrate() -> None:
        postgres = isinstance(engine_finder(), PostgresEngine)
        if not postgres:
            await run(
                'CREATE TABLE "recording_context" ("id" INTEGER PRIMARY KEY CHECK ("id" = 1), '
                '"recorded_at" TIMESTAMPTZ, "actor" VARCHAR(200))'
            )
        for table in TABLES:
            columns = await columns_of(table, postgres)
            await create_version_table(table, columns, postgres)
            await backfill(table, columns, postgres)
            triggers = postgres_triggers if postgres else sqlite_triggers
            for statement in triggers(table, columns):
                await run(statement)

    manager.add_raw(migrate)
    return manager

"""Names out of ``staff_transfer`` and out of the audit trail, into ``staff_personal_data``.

The one sanctioned rewrite of the audit trail (AVG art. 5(1)(e) and 17: a name copied
into an append-only trail could never be erased). In the migration's own transaction:
the names of existing staff transfers are copied to ``staff_personal_data``; the
append-only triggers on ``audit_event`` are lifted, the ``name`` key is removed from
every staff transfer snapshot, the triggers are put back; replayed answers of staff
writes (``idempotent_request``, which quote names) are dropped; an audit event records
the rewrite, when there was one, (how many rows, never which names); then the column goes.
"""

import json
from datetime import UTC, datetime
from uuid import uuid4

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-01T22:14:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "staff names out of staff transfers and the audit trail"
ACTOR = f"migration:{ID}"
BATCH = 1_000

SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
]
SNAPSHOT_HAS_NAME = {
    "postgres": "(before::jsonb ? 'name' OR after::jsonb ? 'name')",
    "sqlite": "(json_type(before, '$.name') IS NOT NULL OR json_type(after, '$.name') IS NOT NULL)",
}
WITHOUT_NAME = {
    "postgres": "(before::jsonb - 'name')::json",
    "sqlite": "json_remove(before, '$.name')",
}


async def move_names() -> None:
    engine = engine_finder()
    assert engine is not None
    kind = "postgres" if isinstance(engine, PostgresEngine) else "sqlite"
    mark = (lambda i: f"${i}") if kind == "postgres" else (lambda i: "?")

    async def run(sql: str, *values) -> list:
        transaction = engine.current_transaction.get()
        assert transaction is not None  # migrations run in a transaction
        connection = transaction.connection
        if kind == "postgres":
            return await connection.fetch(sql, *values)
        cursor = await connection.execute(sql, values)
        return list(await cursor.fetchall())

    now = datetime.now(UTC)
    named = await run("SELECT id, name FROM staff_transfer WHERE name IS NOT NULL")
    insert = (
        "INSERT INTO staff_personal_data (id, staff_transfer, name, recorded_at) "
        f"VALUES ({mark(1)}, {mark(2)}, {mark(3)}, {mark(4)})"
    )
    transaction = engine.current_transaction.get()
    assert transaction is not None  # migrations run in a transaction
    connection = transaction.connection
    rows = [
        (uuid4(), r["id"], r["name"], now) if kind == "postgres"
        else (str(uuid4()), r["id"], r["name"], now.isoformat())
        for r in named
    ]
    for start in range(0, len(rows), BATCH):
        await connection.executemany(insert, rows[start : start + BATCH])

    where = f"record_type = 'staff_transfer' AND {SNAPSHOT_HAS_NAME[kind]}"
    counted = await run(f"SELECT count(*) AS n FROM audit_event WHERE {where}")
    if kind == "postgres":
        await run("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
    else:
        await run("DROP TRIGGER audit_event_no_update")
        await run("DROP TRIGGER audit_event_no_delete")
    without = WITHOUT_NAME[kind]
    await run(
        f"UPDATE audit_event SET before = {without}, "
        f"after = {without.replace('before', 'after')} WHERE {where}"
    )
    if kind == "postgres":
        await run("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")
    else:
        for statement in SQLITE_TRIGGERS:
            await run(statement)
    await run("DELETE FROM idempotent_request WHERE path LIKE '%/staff%'")
    if not rows and not counted[0]["n"]:
        return  # a new registry: nothing was rewritten, so nothing to account for
    summary = {
        "reason": "staff names moved to staff_personal_data (AVG); the one sanctioned "
        "rewrite of the audit trail",
        "staff_personal_data_rows": len(rows),
        "audit_events_rewritten": counted[0]["n"],
    }
    await run(
        "INSERT INTO audit_event (id, occurred_at, actor, action, record_type, record_id, "
        f"before, after) VALUES ({', '.join(mark(i) for i in range(1, 9))})",
        uuid4() if kind == "postgres" else str(uuid4()),
        now if kind == "postgres" else now.isoformat(),
        ACTOR,
        "rewrite",
        "audit_event",
        ID,
        None,
        json.dumps(summary),
    )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)
    manager.add_raw(move_names)
    manager.drop_column(
        table_class_name="StaffTransfer",
        tablename="staff_transfer",
        column_name="name",
        db_column_name="name",
        schema=None,
    )
    return manager

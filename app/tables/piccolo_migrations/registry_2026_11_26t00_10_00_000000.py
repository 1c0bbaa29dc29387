"""Constraints over more than one column, written by hand.

SQLite cannot ``ALTER TABLE ... ADD CONSTRAINT``, so unique pairs are unique indexes
(which both databases have). On PostgreSQL the rule that provisions of one service in
one municipality never overlap is also an exclusion constraint, so no code path (or
person with psql) can store an overlap.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-26T00:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique pairs, period checks and the provision exclusion constraint"

BOTH = [
    "CREATE UNIQUE INDEX handover_service_unique "
    "ON handover_service (handover, service, municipality)",
    "CREATE UNIQUE INDEX staff_transfer_ref_unique ON staff_transfer (handover, staff_ref)",
    "CREATE UNIQUE INDEX service_figure_unique "
    "ON service_figure (service, organisation, year, metric)",
    "CREATE INDEX provision_lookup ON provision (municipality, valid_from, valid_to)",
    "CREATE INDEX provision_service_lookup ON provision (service, municipality, valid_from)",
    "CREATE INDEX audit_event_record ON audit_event (record_type, record_id, occurred_at)",
]

POSTGRES_ONLY = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE provision ADD CONSTRAINT provision_period_valid "
    "CHECK (valid_to IS NULL OR valid_to > valid_from)",
    "ALTER TABLE provision ADD CONSTRAINT provision_no_overlap EXCLUDE USING gist "
    "(service WITH =, municipality WITH =, daterange(valid_from, valid_to, '[)') WITH &&)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        statements = BOTH + (POSTGRES_ONLY if isinstance(engine, PostgresEngine) else [])
        for statement in statements:
            await engine._run_in_new_connection(statement)

    manager.add_raw(run)
    return manager

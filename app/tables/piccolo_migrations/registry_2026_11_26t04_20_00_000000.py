"""Every committed registry change notifies the processes that keep answers.

Each registry write inserts audit events; on PostgreSQL a statement trigger on
``audit_event`` sends ``NOTIFY registry_changed``, delivered at commit (and not at all on
rollback), so every process's answer cache (``app.continuity.cache``) forgets in time.
SQLite has no such channel; the cache is off there.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-26T04:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "registry changes notify answer caches"

POSTGRES = [
    """
    CREATE FUNCTION registry_changed() RETURNS trigger AS $$
    BEGIN
        PERFORM pg_notify('registry_changed', '');
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER audit_event_notifies AFTER INSERT ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION registry_changed()",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            for statement in POSTGRES:
                await engine._run_in_new_connection(statement)

    manager.add_raw(run)
    return manager

"""At most one receiving organisation per handover, held by the database itself.

A partial unique index, which SQLite and PostgreSQL both have; the API checks the same
rule first to give a clear message, this catches two registrars racing.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T01:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one receiving party per handover"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)

    async def run():
        await engine_finder()._run_in_new_connection(
            "CREATE UNIQUE INDEX handover_party_one_receiving "
            "ON handover_party (handover) WHERE role = 'receiving'"
        )

    manager.add_raw(run)
    return manager

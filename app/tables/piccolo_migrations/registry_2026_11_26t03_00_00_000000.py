"""Indexes behind the national-scale queries, written by hand for both databases.

The handover list pages by ``(created_at, id)``, optionally within one status; merged
municipalities are looked up by their successor; a handover's provisions by the
handover that opened or closed them (also what ``ON DELETE SET NULL`` needs).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-26T03:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for national scale"

BOTH = [
    "CREATE INDEX handover_page ON handover (created_at, id)",
    "CREATE INDEX handover_status_page ON handover (status, created_at, id)",
    "CREATE INDEX municipality_successor ON municipality (successor)",
    "CREATE INDEX provision_opened_by ON provision (opened_by)",
    "CREATE INDEX provision_closed_by ON provision (closed_by)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for statement in BOTH:
            await engine._run_in_new_connection(statement)

    manager.add_raw(run)
    return manager

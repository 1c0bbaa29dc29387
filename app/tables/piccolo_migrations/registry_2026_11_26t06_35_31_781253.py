"""A staff transfer's own index on handover duplicated the unique (handover, staff_ref)
index, which leads with handover; every imported row paid for both."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import ForeignKey

ID = "2026-11-26T06:35:31:781253"
VERSION = "1.38.0"
DESCRIPTION = "staff transfers indexed by their unique (handover, staff_ref) only"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="registry", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="StaffTransfer",
        tablename="staff_transfer",
        column_name="handover",
        db_column_name="handover",
        params={"index": False},
        old_params={"index": True},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    return manager

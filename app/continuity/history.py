"""What the registry knew at a moment: tables rebuilt from the append-only audit trail.

Every write stores the whole row after it (and before it) in an audit event, in the
write's own transaction. Replaying a table's events up to a moment gives the rows as
they stood then, in the shape ``Table.select()`` returns them today.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from piccolo.columns import UUID as UUIDColumn
from piccolo.columns import Date, ForeignKey, Timestamptz
from piccolo.table import Table

from app.tables.tables import AuditEvent


def _parser(column: Any) -> Callable[[Any], Any] | None:
    if isinstance(column, (UUIDColumn, ForeignKey)):
        return UUID
    if isinstance(column, Date):
        return date.fromisoformat
    if isinstance(column, Timestamptz):
        return datetime.fromisoformat
    return None


def revive(table: type[Table], snapshot: dict[str, Any]) -> dict[str, Any]:
    """A JSON snapshot back into the Python values a select returns."""
    row = dict(snapshot)
    for column in table._meta.columns:
        name = column._meta.name
        parse = _parser(column)
        if parse is not None and row.get(name) is not None:
            row[name] = parse(row[name])
    return row


async def rows_as_known_on(table: type[Table], known_on: datetime) -> list[dict[str, Any]]:
    events = (
        await AuditEvent.select(
            AuditEvent.record_id, AuditEvent.action, AuditEvent.after, AuditEvent.occurred_at
        )
        .where(
            (AuditEvent.record_type == table._meta.tablename)
            & (AuditEvent.occurred_at <= known_on)
            & AuditEvent.action.is_in(["create", "update", "delete"])
        )
        .order_by(AuditEvent.occurred_at)
        .output(load_json=True)
    )
    state: dict[str, dict[str, Any]] = {}
    for event in events:
        if event["action"] == "delete" or event["after"] is None:
            state.pop(event["record_id"], None)
        else:
            state[event["record_id"]] = event["after"]
    return [revive(table, snapshot) for snapshot in state.values()]

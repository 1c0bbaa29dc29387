"""The audit trail: one append-only event per change, written in the change's transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from app.changes import Change, note_change
from app.tables.tables import AuditEvent


def json_value(value: Any) -> Any:
    if isinstance(value, (UUID, Enum)):
        return str(value.value if isinstance(value, Enum) else value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return value


def snapshot(row: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if row is None else {k: json_value(v) for k, v in row.items()}


async def record_event(
    *,
    actor: str,
    action: str,
    record_type: str,
    record_id: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    await AuditEvent.insert(
        AuditEvent(
            actor=actor,
            action=action,
            record_type=record_type,
            record_id=str(record_id),
            before=snapshot(before),
            after=snapshot(after),
        )
    )
    note_change(Change(record_type, action, str(record_id), before, after))

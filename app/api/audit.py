"""The audit trail, for admins: every change with who, when, before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get
from litestar.params import QueryParameter

from app.api.pagination import Cursor, Limit, keyset_page
from app.fields import SEARCH
from app.schemas import Page, Schema
from app.tables.tables import AuditEvent


class AuditEventOut(Schema):
    id: UUID
    occurred_at: datetime
    actor: str
    action: str
    record_type: str
    record_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditController(Controller):
    path = "/audit"
    tags = ["audit"]

    @get(operation_id="listAuditEvents")
    async def list_events(
        self,
        limit: Limit = 50,
        cursor: Cursor = None,
        record: Annotated[
            str | None,
            QueryParameter(description="Only events of this record id.", required=False, **SEARCH),
        ] = None,
        record_type: Annotated[
            str | None,
            QueryParameter(
                name="recordType",
                description="Only events of this table.",
                required=False,
                **SEARCH,
            ),
        ] = None,
    ) -> Page[AuditEventOut]:
        """Audit events, oldest first."""
        query = AuditEvent.select().output(load_json=True)
        if record:
            query = query.where(AuditEvent.record_id == record)
        if record_type:
            query = query.where(AuditEvent.record_type == record_type)
        rows, next_cursor = await keyset_page(
            query,
            sort=AuditEvent.occurred_at,
            id_column=AuditEvent.id,
            limit=limit,
            cursor=cursor,
            convert=datetime.fromisoformat,
        )
        return Page(items=[AuditEventOut(**r) for r in rows], next=next_cursor)

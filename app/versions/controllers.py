"""``GET …/{id}/versions``: each version of a record, as the registry held it, newest first.

A correction of a past fact is a version like any other, so these lists show what the
registry said when, and who changed it: what an objection or an audit asks.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any, cast
from uuid import UUID

import msgspec
from litestar import Controller, get
from piccolo.columns import (
    UUID as UUIDColumn,
)
from piccolo.columns import (
    Boolean,
    Column,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Timestamptz,
)
from piccolo.querystring import QueryString
from piccolo.table import Table

from app.access.roles import Principal
from app.api.auth import CurrentPrincipal
from app.api.pagination import Cursor, Limit
from app.api.params import IdPath
from app.database import DB
from app.errors import InvalidInput, NotFound
from app.handovers.access import check_handover_visible
from app.schemas import Page, Schema
from app.staff.access import check_staff_access
from app.store.recorded import version_table
from app.tables.tables import Handover, Organisation, Provision, Service, StaffTransfer


def _python_type(column: Column) -> Any:
    if isinstance(column, (UUIDColumn, ForeignKey)):
        return UUID
    if isinstance(column, Date):
        return date
    if isinstance(column, Timestamptz):
        return datetime
    if isinstance(column, Integer):
        return int
    if isinstance(column, DoublePrecision):
        return float
    if isinstance(column, Boolean):
        return bool
    return str


def _fields(table: type[Table]) -> list[Column]:
    return list(table._meta.columns)


def version_schema(name: str, table: type[Table]) -> type[Schema]:
    """The body of one version: when the registry held it, who wrote it, and its fields."""
    fields: list[tuple[str, Any, Any]] = [
        ("recorded_from", datetime, msgspec.NODEFAULT),
        ("recorded_to", datetime | None, None),
        ("actor", str | None, None),
    ]
    fields += [(c._meta.name, _python_type(c) | None, None) for c in _fields(table)]
    struct = msgspec.defstruct(name, fields, bases=(Schema,), kw_only=True, module=__name__)
    return cast("type[Schema]", struct)  # a subclass of its base, Schema


OrganisationVersion = version_schema("OrganisationVersion", Organisation)
ServiceVersion = version_schema("ServiceVersion", Service)
ProvisionVersion = version_schema("ProvisionVersion", Provision)
HandoverVersion = version_schema("HandoverVersion", Handover)
StaffTransferVersion = version_schema("StaffTransferVersion", StaffTransfer)


def _cursor_value(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        return int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except ValueError as error:
        raise InvalidInput("the cursor is not one this API handed out", field="cursor") from error


def _cursor_of(version_id: int) -> str:
    return base64.urlsafe_b64encode(str(version_id).encode()).decode().rstrip("=")


async def versions_page(
    table: type[Table], schema: type[Schema], record_id: UUID, limit: int, cursor: str | None
) -> Page[Any]:
    columns = ", ".join(f'"{c._meta.db_column_name}"' for c in _fields(table))
    before = _cursor_value(cursor)
    sql = (
        f'SELECT "version_id", "recorded_from", "recorded_to", "recorded_by", {columns} '
        f'FROM "{version_table(table)}" WHERE "id" = {{}}'
    )
    args: list[Any] = [record_id]
    if before is not None:
        sql += ' AND "version_id" < {}'
        args.append(before)
    sql += ' ORDER BY "version_id" DESC LIMIT {}'
    rows = await DB.run_querystring(QueryString(sql, *args, limit + 1))
    if not rows and before is None:
        raise NotFound(f"the registry has no record of {table._meta.tablename} {record_id}")
    page = rows[:limit]
    names = [c._meta.name for c in _fields(table)]
    items = [
        schema(
            recorded_from=_moment(row["recorded_from"]),
            recorded_to=_moment(row["recorded_to"]),
            actor=row["recorded_by"],
            **{name: row[name] for name in names},
        )
        for row in page
    ]
    next_cursor = _cursor_of(page[-1]["version_id"]) if len(rows) > limit else None
    return Page(items=items, next=next_cursor)


def _moment(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


async def _visible_handover(principal: Principal, handover_id: UUID) -> None:
    if await Handover.exists().where(Handover.id == handover_id):
        await check_handover_visible(principal, handover_id)
    elif not principal.unscoped:
        # A handover that no longer exists is shown only to keys that see everything.
        raise NotFound(f"no handover with id {handover_id}")


class VersionController(Controller):
    tags = ["versions"]

    @get("/organisations/{organisation_id:uuid}/versions", operation_id="listOrganisationVersions")
    async def organisation_versions(
        self, organisation_id: IdPath, limit: Limit = 50, cursor: Cursor = None
    ) -> Page[OrganisationVersion]:  # type: ignore[valid-type]
        """Each version of an organisation as the registry held it, newest first."""
        return await versions_page(
            Organisation, OrganisationVersion, organisation_id, limit, cursor
        )

    @get("/services/{service_id:uuid}/versions", operation_id="listServiceVersions")
    async def service_versions(
        self, service_id: IdPath, limit: Limit = 50, cursor: Cursor = None
    ) -> Page[ServiceVersion]:  # type: ignore[valid-type]
        """Each version of a service as the registry held it, newest first."""
        return await versions_page(Service, ServiceVersion, service_id, limit, cursor)

    @get("/provisions/{provision_id:uuid}/versions", operation_id="listProvisionVersions")
    async def provision_versions(
        self, provision_id: IdPath, limit: Limit = 50, cursor: Cursor = None
    ) -> Page[ProvisionVersion]:  # type: ignore[valid-type]
        """Each version of a provision as the registry held it, newest first."""
        return await versions_page(Provision, ProvisionVersion, provision_id, limit, cursor)

    @get("/handovers/{handover_id:uuid}/versions", operation_id="listHandoverVersions")
    async def handover_versions(
        self,
        handover_id: IdPath,
        principal: CurrentPrincipal,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[HandoverVersion]:  # type: ignore[valid-type]
        """Each version of a handover as the registry held it, newest first."""
        await _visible_handover(principal, handover_id)
        return await versions_page(Handover, HandoverVersion, handover_id, limit, cursor)

    @get(
        "/handovers/{handover_id:uuid}/staff/{staff_id:uuid}/versions",
        operation_id="listStaffTransferVersions",
    )
    async def staff_transfer_versions(
        self,
        handover_id: IdPath,
        staff_id: IdPath,
        principal: CurrentPrincipal,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[StaffTransferVersion]:  # type: ignore[valid-type]
        """Each version of a staff transfer (never its personal data), newest first."""
        await check_staff_access(principal, handover_id)
        page = await versions_page(StaffTransfer, StaffTransferVersion, staff_id, limit, cursor)
        if any(item.handover != handover_id for item in page.items):
            raise NotFound(f"no staff transfer {staff_id} in handover {handover_id}")
        return page

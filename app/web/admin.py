"""Piccolo Admin at ``/admin/`` for registrars and admins, with the pages' own logins.

Piccolo Admin lets in users with ``admin=True`` (registrars and admins, see
``app.access.people``) and reads the same ``id`` session cookie as the pages.
API keys, sessions and idempotency records are secrets or plumbing, so they are left out.

The registry's tables are read-only here: every change must go through the audited
write path (``app.store.records``) and the lifecycle rules, which Piccolo Admin's saves
would bypass. Registrars browse, filter and export here; they change through the API.
"""

from __future__ import annotations

from litestar import asgi
from litestar.handlers import ASGIRouteHandler
from litestar.types import Receive, Scope, Send
from piccolo_admin.endpoints import TableConfig, create_admin, superuser_validators
from piccolo_api.crud.endpoints import PiccoloCRUD
from piccolo_api.crud.validators import Validators
from starlette.exceptions import HTTPException
from starlette.requests import Request

from app.store.recorded import VERSIONED
from app.tables.tables import UserAccess

#: The registry's own tables, the ones whose every version is kept: shown, never written.
REGISTRY_TABLES = list(VERSIONED)


def refuse_unaudited_writes(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    if request.method.upper() in {"PUT", "PATCH", "DELETE", "POST"}:
        raise HTTPException(
            status_code=405,
            detail="Wijzigen kan hier niet: gebruik de API, zodat de wijziging in de "
            "audit trail komt (changes go through the audited API).",
        )


def admin_handler() -> ASGIRouteHandler:
    read_only = Validators(every=[refuse_unaudited_writes])
    admin_app = create_admin(
        tables=[
            *(TableConfig(table, validators=read_only) for table in REGISTRY_TABLES),
            # Roles grant access: only superusers (the admin role) may change them.
            TableConfig(UserAccess, validators=Validators(every=[superuser_validators])),
        ],
        site_name="Overdrachtsregister beheer",  # Piccolo Admin has no Dutch translation yet
    )

    @asgi("/admin", is_mount=True, copy_scope=True)
    async def admin(scope: Scope, receive: Receive, send: Send) -> None:
        await admin_app(scope, receive, send)

    return admin

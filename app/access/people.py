"""People who log in to the web pages: a Piccolo ``BaseUser`` plus the registry's role.

The login is Piccolo's own (so Piccolo Admin knows the same people and sessions); the
``UserAccess`` row gives the person a role and scope, as an API key has one.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from piccolo.apps.user.tables import BaseUser

from app.access.keys import resolve_organisations
from app.access.roles import ORGANISATION_SCOPED, Principal, Role
from app.database import write_transaction
from app.errors import Conflict, InvalidInput
from app.identifiers import check_cbs_code
from app.store.audit import record_event
from app.store.typed_rows import columns_for
from app.tables.tables import Municipality, UserAccess

#: Roles that may use Piccolo Admin (it lets in users with ``admin=True``).
ADMIN_APP_ROLES = frozenset({Role.ADMIN, Role.REGISTRAR})


def parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InvalidInput(
            f"unknown role {role!r} (choose from {', '.join(r.value for r in Role)})", field="role"
        ) from None


async def create_person(
    username: str,
    password: str,
    role: str,
    *,
    organisations: Sequence[str] = (),
    municipalities: Sequence[str] = (),
    email: str | None = None,
    actor: str = "cli",
) -> int:
    """Create a login and its role in one transaction; returns the user's id."""
    role_ = parse_role(role)
    username = username.strip()
    if not username:
        raise InvalidInput("a username is needed", field="username")
    if role_ in ORGANISATION_SCOPED and not organisations:
        raise InvalidInput(f"{role_} people need at least one --organisation", field="organisation")
    if role_ is Role.MUNICIPALITY and not municipalities:
        raise InvalidInput(
            "a municipality person needs at least one --municipality", field="municipality"
        )
    try:
        BaseUser._validate_password(password)
    except ValueError as error:
        raise InvalidInput(str(error), field="password") from None
    codes = [check_cbs_code(code, field="municipality") for code in municipalities]
    async with write_transaction():
        for code in codes:
            if not await Municipality.exists().where(Municipality.code == code):
                raise InvalidInput(f"no municipality with code {code}", field="municipality")
        organisation_ids = await resolve_organisations(organisations)
        if await BaseUser.exists().where(BaseUser.username == username):
            raise Conflict(f"a person with username {username!r} already exists", field="username")
        user = await BaseUser.create_user(
            username=username,
            password=password,
            # The column is unique and required; a reserved domain marks it as a placeholder.
            email=email or f"{username}@overdrachtsregister.invalid",
            active=True,
            admin=role_ in ADMIN_APP_ROLES,
            superuser=role_ is Role.ADMIN,
        )
        await UserAccess.insert(
            UserAccess(
                user=user.id,
                role=role_.value,
                organisation_ids=organisation_ids,
                municipality_codes=codes,
            )
        )
        await record_event(
            actor=actor,
            action="create",
            record_type="user",
            record_id=user.id,
            after={
                "username": username,
                "role": role_.value,
                "organisationIds": organisation_ids,
                "municipalityCodes": codes,
            },
        )
    return int(user.id)


class LoginRow(msgspec.Struct, frozen=True):
    """A person's access and the state of their login."""

    role: Role
    organisation_ids: list[str] | None
    municipality_codes: list[str] | None
    username: str = msgspec.field(name="user.username")
    active: bool = msgspec.field(name="user.active")


async def principal_for_user(user_id: int) -> Principal | None:
    """The person behind a session: active, and with a role in the registry; else ``None``."""
    found = (
        await UserAccess.select(*columns_for(LoginRow, UserAccess))
        .where(UserAccess.user == user_id)
        .output(load_json=True)
        .first()
    )
    if found is None:
        return None
    row = msgspec.convert(found, LoginRow)
    if not row.active:
        return None
    return Principal(
        key_id=f"user:{user_id}",
        name=row.username,
        role=row.role,
        organisation_ids=frozenset(row.organisation_ids or ()),
        municipality_codes=frozenset(row.municipality_codes or ()),
    )

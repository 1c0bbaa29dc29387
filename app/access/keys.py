"""API keys: random secrets shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from uuid import UUID

from app.access.roles import Principal, Role
from app.database import write_transaction
from app.errors import InvalidInput
from app.identifiers import check_cbs_code
from app.store.audit import record_event
from app.tables.tables import ApiKey, Municipality, Organisation

KEY_PREFIX = "hov_"


def hash_key(key: str) -> str:
    # The key is 256 random bits, so a fast hash cannot be brute-forced; it also keeps
    # every authenticated request to one indexed lookup.
    return hashlib.sha256(key.encode()).hexdigest()


async def resolve_organisations(names_or_ids: Sequence[str]) -> list[str]:
    ids: list[str] = []
    for value in names_or_ids:
        try:
            condition = Organisation.id == UUID(value)
        except ValueError:
            condition = Organisation.name == value
        row = await Organisation.select(Organisation.id).where(condition).first()
        if row is None:
            raise InvalidInput(f"no organisation named or with id {value!r}", field="organisation")
        ids.append(str(row["id"]))
    return ids


async def create_api_key(
    role: str,
    *,
    organisations: Sequence[str] = (),
    municipalities: Sequence[str] = (),
    name: str = "",
    actor: str = "cli",
) -> str:
    try:
        role_ = Role(role)
    except ValueError:
        raise InvalidInput(
            f"unknown role {role!r} (choose from {', '.join(r.value for r in Role)})", field="role"
        ) from None
    if role_ in {Role.HR, Role.MANAGEMENT} and not organisations:
        raise InvalidInput(f"{role_} keys need at least one --organisation", field="organisation")
    if role_ is Role.MUNICIPALITY and not municipalities:
        raise InvalidInput(
            "a municipality key needs at least one --municipality", field="municipality"
        )
    codes = [check_cbs_code(code, field="municipality") for code in municipalities]
    for code in codes:
        if not await Municipality.exists().where(Municipality.code == code):
            raise InvalidInput(f"no municipality with code {code}", field="municipality")
    organisation_ids = await resolve_organisations(organisations)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        name=name,
        role=role_.value,
        key_hash=hash_key(key),
        prefix=key[: len(KEY_PREFIX) + 6],
        organisation_ids=organisation_ids,
        municipality_codes=codes,
    )
    async with write_transaction():
        await ApiKey.insert(row)
        await record_event(
            actor=actor,
            action="create",
            record_type="api_key",
            record_id=row.id,
            after={
                "name": name,
                "role": role_.value,
                "prefix": row.prefix,
                "organisationIds": organisation_ids,
                "municipalityCodes": codes,
            },
        )
    return key


async def principal_for_key(key: str) -> Principal | None:
    row = (
        await ApiKey.select()
        .where((ApiKey.key_hash == hash_key(key)) & ApiKey.revoked_at.is_null())
        .output(load_json=True)
        .first()
    )
    if row is None:
        return None
    return Principal(
        key_id=str(row["id"]),
        name=row["name"],
        role=Role(row["role"]),
        organisation_ids=frozenset(row["organisation_ids"] or ()),
        municipality_codes=frozenset(row["municipality_codes"] or ()),
    )

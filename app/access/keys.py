"""API keys: random secrets shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
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
    expires_at: datetime | None = None,
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
        expires_at=expires_at,
    )
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise InvalidInput("the expiry lies in the past", field="expires")
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


#: Last-used times are kept to the minute: one write a minute per key at most.
LAST_USED_RESOLUTION = timedelta(minutes=1)


async def principal_for_key(key: str) -> Principal | None:
    """The holder of a key that is known, not revoked and not expired; else ``None``."""
    row = (
        await ApiKey.select()
        .where((ApiKey.key_hash == hash_key(key)) & ApiKey.revoked_at.is_null())
        .output(load_json=True)
        .first()
    )
    now = datetime.now(UTC)
    if row is None or (row["expires_at"] is not None and row["expires_at"] <= now):
        return None
    if row["last_used_at"] is None or now - row["last_used_at"] >= LAST_USED_RESOLUTION:
        await ApiKey.update({ApiKey.last_used_at: now}).where(ApiKey.id == row["id"])
    return Principal(
        key_id=str(row["id"]),
        name=row["name"],
        role=Role(row["role"]),
        organisation_ids=frozenset(row["organisation_ids"] or ()),
        municipality_codes=frozenset(row["municipality_codes"] or ()),
    )


async def list_api_keys() -> list[dict]:
    """Every key, newest first, without its hash."""
    return (
        await ApiKey.select(
            ApiKey.id,
            ApiKey.prefix,
            ApiKey.name,
            ApiKey.role,
            ApiKey.organisation_ids,
            ApiKey.municipality_codes,
            ApiKey.created_at,
            ApiKey.expires_at,
            ApiKey.last_used_at,
            ApiKey.revoked_at,
        )
        .order_by(ApiKey.created_at, ascending=False)
        .output(load_json=True)
    )


async def revoke_api_key(prefix_or_id: str, *, actor: str = "cli") -> dict:
    """Revoke the one key whose id or shown prefix this is; the key stops working at once."""
    try:
        condition = ApiKey.id == UUID(prefix_or_id)
    except ValueError:
        condition = ApiKey.prefix == prefix_or_id
    async with write_transaction():
        rows = await ApiKey.select(ApiKey.id, ApiKey.prefix, ApiKey.name).where(condition)
        if len(rows) != 1:
            raise InvalidInput(
                f"{prefix_or_id!r} matches {len(rows)} keys; give the key's id", field="key"
            )
        row = rows[0]
        now = datetime.now(UTC)
        await ApiKey.update({ApiKey.revoked_at: now}).where(ApiKey.id == row["id"])
        await record_event(
            actor=actor,
            action="update",
            record_type="api_key",
            record_id=row["id"],
            after={"revokedAt": now, "prefix": row["prefix"]},
        )
    return row

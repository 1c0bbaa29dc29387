"""API keys: random secrets shown once, stored only as a keyed hash.

A key is stored as HMAC-SHA256 under the server's secret (``app.settings.secret_key``):
a copy of the table alone does not let anyone test guesses, not even for the short,
public demo keys. Keys stored as bare SHA-256 (before the hash was keyed) still work:
the first time one is used its row is rewritten to the keyed hash, so no holder has to
get a new key and no plain SHA-256 outlives the key's next use.

Authentication is cached in the process for ``HANDOVER_KEY_CACHE_SECONDS`` (default
10 s): revoking a key takes effect at once in the process that revokes it and within
that many seconds in every other one; an expiry takes effect at once everywhere. With
``HANDOVER_REDIS_URL`` set, a revocation is published to every process (``app.cross_process``),
which forgets the key at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID

from app.access.roles import Principal, Role
from app.cross_process import listening, publish
from app.database import write_transaction
from app.errors import InvalidInput
from app.identifiers import check_cbs_code
from app.settings import get_settings, secret_key
from app.store.audit import record_event
from app.tables.tables import ApiKey, Municipality, Organisation

KEY_PREFIX = "hov_"


def hash_key(key: str) -> str:
    """The stored form of a key: HMAC-SHA256 under the server's secret."""
    return hmac.new(secret_key(), key.encode(), hashlib.sha256).hexdigest()


def legacy_hash_key(key: str) -> str:
    """How keys were stored before the hash was keyed; read only to upgrade such rows."""
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


#: Last-used times are kept to the minute: one write a minute per key and process at most.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class _CachedKey:
    __slots__ = ("expires_at", "fetched", "last_used_at", "principal")

    def __init__(self, principal: Principal, expires_at: datetime | None, last_used_at) -> None:
        self.principal = principal
        self.expires_at = expires_at
        self.last_used_at: datetime | None = last_used_at
        self.fetched = time.monotonic()


#: keyed hash → the key's holder, as last read from the database in this process.
_cache: dict[str, _CachedKey] = {}


def forget_cached_keys(key_id: str | None = None) -> None:
    """Drop one key (by id) or every key from this process's cache."""
    if key_id is None:
        _cache.clear()
        return
    for hashed in [h for h, entry in _cache.items() if entry.principal.key_id == key_id]:
        _cache.pop(hashed, None)


async def _load(hashed: str, key: str) -> _CachedKey | None:
    row = (
        await ApiKey.select()
        .where((ApiKey.key_hash == hashed) & ApiKey.revoked_at.is_null())
        .output(load_json=True)
        .first()
    )
    if row is None:
        row = await _upgrade_legacy_row(key, hashed)
    if row is None:
        return None
    principal = Principal(
        key_id=str(row["id"]),
        name=row["name"],
        role=Role(row["role"]),
        organisation_ids=frozenset(row["organisation_ids"] or ()),
        municipality_codes=frozenset(row["municipality_codes"] or ()),
    )
    return _CachedKey(principal, row["expires_at"], row["last_used_at"])


async def _upgrade_legacy_row(key: str, hashed: str) -> dict | None:
    legacy = legacy_hash_key(key)
    row = (
        await ApiKey.select()
        .where((ApiKey.key_hash == legacy) & ApiKey.revoked_at.is_null())
        .output(load_json=True)
        .first()
    )
    if row is not None:
        await ApiKey.update({ApiKey.key_hash: hashed}).where(ApiKey.key_hash == legacy)
    return row


async def principal_for_key(key: str) -> Principal | None:
    """The holder of a key that is known, not revoked and not expired; else ``None``."""
    hashed = hash_key(key)
    entry = _cache.get(hashed)
    ttl = get_settings().key_cache_seconds
    if entry is None or time.monotonic() - entry.fetched >= ttl:
        entry = await _load(hashed, key)
        if entry is None:
            _cache.pop(hashed, None)
            return None
        if ttl > 0:
            _cache[hashed] = entry
    now = datetime.now(UTC)
    if entry.expires_at is not None and entry.expires_at <= now:
        return None
    if entry.last_used_at is None or now - entry.last_used_at >= LAST_USED_RESOLUTION:
        entry.last_used_at = now
        await ApiKey.update({ApiKey.last_used_at: now}).where(
            ApiKey.id == UUID(entry.principal.key_id)
        )
    return entry.principal


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
    forget_cached_keys(str(row["id"]))
    await publish(REVOKED_CHANNEL, str(row["id"]))
    return row


#: Every serving process drops a revoked key from its lookup cache at once (with Redis).
REVOKED_CHANNEL = "key-revoked"
revocation_listener = listening(REVOKED_CHANNEL, forget_cached_keys)

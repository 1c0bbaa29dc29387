"""API keys: a keyed hash at rest, a short cache, revocation and expiry still at once."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from app.access.keys import create_api_key, forget_cached_keys, revoke_api_key
from app.settings import get_settings, secret_key
from app.tables.tables import ApiKey
from tests.helpers import bearer

URL = "/api/v1/municipalities"


@pytest.fixture
def no_key_cache(monkeypatch) -> Iterator[None]:
    """HANDOVER_KEY_CACHE_SECONDS=0: every request looks its key up, as another process would
    once its cache has run out."""
    monkeypatch.setenv("HANDOVER_KEY_CACHE_SECONDS", "0")
    get_settings.cache_clear()
    forget_cached_keys()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


async def test_keys_are_stored_as_a_keyed_hash(demo) -> None:
    key = await create_api_key("registrar", name=f"hash {uuid4().hex[:6]}")
    [row] = await ApiKey.select(ApiKey.key_hash).where(ApiKey.prefix == key[:10])
    assert row["key_hash"] == hmac.new(secret_key(), key.encode(), hashlib.sha256).hexdigest()
    assert row["key_hash"] != hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(row)


async def test_a_key_stored_the_old_way_is_rehashed_on_first_use(client, demo) -> None:
    key = f"hov_legacy_{uuid4().hex}"
    await ApiKey.insert(
        ApiKey(
            name="legacy",
            role="registrar",
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            prefix=key[:10],
        )
    )
    assert (await client.get(URL, headers=bearer(key))).status_code == 200
    [row] = await ApiKey.select(ApiKey.key_hash).where(ApiKey.name == "legacy")
    assert row["key_hash"] == hmac.new(secret_key(), key.encode(), hashlib.sha256).hexdigest()
    forget_cached_keys()
    assert (await client.get(URL, headers=bearer(key))).status_code == 200


async def test_revoking_works_at_once_in_this_process(client, demo) -> None:
    key = await create_api_key("registrar", name="revoked here")
    assert (await client.get(URL, headers=bearer(key))).status_code == 200  # now cached
    await revoke_api_key(key[:10])
    assert (await client.get(URL, headers=bearer(key))).status_code == 401


async def test_revoked_or_expired_elsewhere_works_once_the_cache_runs_out(
    client, demo, no_key_cache
) -> None:
    revoked = await create_api_key("registrar", name="revoked elsewhere")
    expired = await create_api_key(
        "registrar", name="expired", expires_at=datetime.now(UTC) + timedelta(days=1)
    )
    for key in (revoked, expired):
        assert (await client.get(URL, headers=bearer(key))).status_code == 200
    # Another process's revocation, and a key whose expiry has come: straight in the table.
    await ApiKey.update({ApiKey.revoked_at: datetime.now(UTC)}).where(ApiKey.prefix == revoked[:10])
    await ApiKey.update({ApiKey.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        ApiKey.prefix == expired[:10]
    )
    for key in (revoked, expired):
        assert (await client.get(URL, headers=bearer(key))).status_code == 401


async def test_last_use_is_written_once_a_minute_at_most(client, demo) -> None:
    key = await create_api_key("registrar", name="last used")
    assert (await client.get(URL, headers=bearer(key))).status_code == 200
    first = await ApiKey.select(ApiKey.last_used_at).where(ApiKey.prefix == key[:10]).first()
    assert first["last_used_at"] is not None
    for _ in range(3):
        assert (await client.get(URL, headers=bearer(key))).status_code == 200
    later = await ApiKey.select(ApiKey.last_used_at).where(ApiKey.prefix == key[:10]).first()
    assert later["last_used_at"] == first["last_used_at"]

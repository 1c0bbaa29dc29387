"""API keys: 401 without or with an unknown key, 403 outside role or scope."""

from __future__ import annotations

from app.access.keys import hash_key
from app.tables.tables import ApiKey
from tests.helpers import bearer


async def test_missing_and_unknown_keys_are_401(client, keys) -> None:
    missing = await client.get("/api/v1/municipalities/GM0014/continuity")
    assert missing.status_code == 401
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    unknown = await client.get(
        "/api/v1/municipalities/GM0014/continuity", headers=bearer("hov_not_a_key")
    )
    assert unknown.status_code == 401
    body = unknown.json()
    assert {"type", "title", "status", "detail"} <= set(body)


async def test_keys_are_stored_hashed(keys) -> None:
    rows = await ApiKey.select(ApiKey.key_hash)
    stored = {r["key_hash"] for r in rows}
    for key in keys.values():
        assert key not in stored
        assert hash_key(key) in stored


async def test_municipality_key_only_for_its_own_codes_and_predecessors(client, keys) -> None:
    groningen = bearer(keys["municipality"])
    own = await client.get("/api/v1/municipalities/GM0014/continuity", headers=groningen)
    assert own.status_code == 200
    predecessor = await client.get(
        "/api/v1/municipalities/GM0017/continuity?on=2018-06-01", headers=groningen
    )
    assert predecessor.status_code == 200
    other = await client.get("/api/v1/municipalities/GM0114/continuity", headers=groningen)
    assert other.status_code == 403
    assert other.json()["status"] == 403
    emmen = await client.get(
        "/api/v1/municipalities/GM0014/continuity", headers=bearer(keys["municipality_other"])
    )
    assert emmen.status_code == 403


async def test_audit_is_for_admins_only(client, keys) -> None:
    for role in ("registrar", "hr", "management", "municipality"):
        response = await client.get("/api/v1/audit", headers=bearer(keys[role]))
        assert response.status_code == 403, role
    assert (await client.get("/api/v1/audit", headers=bearer(keys["admin"]))).status_code == 200


async def test_revoked_key_is_refused(client, keys) -> None:
    from datetime import UTC, datetime

    from app.access.keys import create_api_key, forget_cached_keys

    key = await create_api_key("admin", name="to revoke")
    headers = bearer(key)
    assert (await client.get("/api/v1/organisations", headers=headers)).status_code == 200
    await ApiKey.update({ApiKey.revoked_at: datetime.now(UTC)}).where(
        ApiKey.key_hash == hash_key(key)
    )
    forget_cached_keys()  # as HANDOVER_KEY_CACHE_SECONDS after a revocation elsewhere
    assert (await client.get("/api/v1/organisations", headers=headers)).status_code == 401

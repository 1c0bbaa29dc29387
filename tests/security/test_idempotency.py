"""Idempotency-Key: a retried create returns the first answer and creates nothing new."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx

from app.tables.tables import IdempotentRequest, Organisation, Service
from tests.helpers import bearer

API = "/api/v1"


def with_key(key: str, idempotency_key: str) -> dict[str, str]:
    return {**bearer(key), "Idempotency-Key": idempotency_key}


async def test_a_retried_create_returns_the_first_answer(client, keys) -> None:
    headers = with_key(keys["registrar"], str(uuid4()))
    body = {"name": f"Eenmaal {uuid4().hex[:8]}"}
    first = await client.post(f"{API}/organisations", json=body, headers=headers)
    assert first.status_code == 201, first.text
    again = await client.post(f"{API}/organisations", json=body, headers=headers)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["content-type"] == first.headers["content-type"]
    assert await Organisation.count().where(Organisation.name == body["name"]) == 1


async def test_the_same_key_for_another_request_is_422(client, keys) -> None:
    headers = with_key(keys["registrar"], str(uuid4()))
    created = await client.post(f"{API}/services", json={"name": "Sleutel A"}, headers=headers)
    assert created.status_code == 201
    for path, body in [
        ("/services", {"name": "Sleutel B"}),
        ("/organisations", {"name": "Sleutel A"}),
    ]:
        response = await client.post(f"{API}{path}", json=body, headers=headers)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["invalidParams"][0]["name"] == "Idempotency-Key"
    assert await Service.count().where(Service.name == "Sleutel B") == 0


async def test_keys_belong_to_one_api_key(client, keys) -> None:
    shared = str(uuid4())
    name = f"Per sleutel {uuid4().hex[:8]}"
    for role in ("registrar", "admin"):
        response = await client.post(
            f"{API}/services", json={"name": name}, headers=with_key(keys[role], shared)
        )
        assert response.status_code == 201
    assert await Service.count().where(Service.name == name) == 2


async def test_only_successes_are_kept(client, keys) -> None:
    headers = with_key(keys["registrar"], str(uuid4()))
    refused = await client.post(f"{API}/organisations", json={"name": ""}, headers=headers)
    assert refused.status_code == 400
    body = {"name": f"Tweede poging {uuid4().hex[:8]}"}
    accepted = await client.post(f"{API}/organisations", json=body, headers=headers)
    assert accepted.status_code == 201


async def test_keys_expire_after_a_day(client, keys) -> None:
    key = str(uuid4())
    headers = with_key(keys["registrar"], key)
    body = {"name": f"Verlopen {uuid4().hex[:8]}"}
    first = await client.post(f"{API}/services", json=body, headers=headers)
    assert first.status_code == 201
    await IdempotentRequest.update(
        {IdempotentRequest.created_at: datetime.now(UTC) - timedelta(hours=25)}
    ).where(IdempotentRequest.lookup.like(f"%:{key}"))
    second = await client.post(f"{API}/services", json=body, headers=headers)
    assert second.status_code == 201
    assert second.json()["id"] != first.json()["id"]


async def test_a_malformed_key_is_400(client, keys) -> None:
    response = await client.post(
        f"{API}/services", json={"name": "x"}, headers=with_key(keys["registrar"], "k" * 256)
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_sub_resource_create_is_idempotent_too(client, keys, demo_ids) -> None:
    handover = (
        await client.post(
            f"{API}/handovers", json={"title": "Mijlpalen"}, headers=bearer(keys["registrar"])
        )
    ).json()
    headers = with_key(keys["registrar"], str(uuid4()))
    url = f"{API}/handovers/{handover['id']}/milestones"
    first = await client.post(url, json={"title": "Personeel geïnformeerd"}, headers=headers)
    again = await client.post(url, json={"title": "Personeel geïnformeerd"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert len(again.json()["milestones"]) == 1
    assert again.headers["etag"] == first.headers["etag"]


async def test_concurrent_retries_create_one_record(served, keys) -> None:
    """Eight copies of one create, sent at once with one key: one record, eight equal answers."""
    base, _ = served
    headers = with_key(keys["registrar"], str(uuid4()))
    body = {"name": f"Gelijktijdig {uuid4().hex[:8]}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        responses = await asyncio.gather(
            *(http.post(f"{API}/organisations", json=body) for _ in range(8))
        )
    assert [r.status_code for r in responses] == [201] * 8, [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert await Organisation.count().where(Organisation.name == body["name"]) == 1

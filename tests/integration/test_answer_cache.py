"""Kept continuity answers follow changes made by any process (PostgreSQL NOTIFY)."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import date

import httpx
import pytest

from app.database import is_postgres
from app.tables.tables import Provision
from tests.helpers import bearer
from tests.security.conftest import start_uvicorn

pytestmark = pytest.mark.skipif(
    not is_postgres(), reason="answers are kept only on PostgreSQL, which notifies changes"
)

CONTINUITY = "/api/v1/municipalities/GM0114/continuity?on=2031-03-01"


def services_in(base: str, key: str) -> set[str]:
    response = httpx.get(base + CONTINUITY, headers=bearer(key), timeout=5)
    assert response.status_code == 200, response.text
    return {s["service"]["name"] for s in response.json()["services"]}


async def until_seen(base: str, key: str, check) -> set[str]:
    deadline = time.monotonic() + 5
    while not check(now := services_in(base, key)):
        assert time.monotonic() < deadline, f"the server kept a stale answer: {now}"
        await asyncio.sleep(0.05)
    return now


async def provide(client, headers, name: str) -> str:
    service = await client.post("/api/v1/services", json={"name": name}, headers=headers)
    provider = await client.post(
        "/api/v1/organisations", json={"name": f"Aanbieder {name}"}, headers=headers
    )
    created = await client.post(
        "/api/v1/provisions",
        json={
            "serviceId": service.json()["id"],
            "municipalityCode": "GM0114",
            "providerId": provider.json()["id"],
            "validFrom": "2031-01-01",
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def test_answers_are_kept_until_another_process_changes_the_registry(
    client, keys, database, tmp_path
) -> None:
    from app.settings import get_settings

    base, server = start_uvicorn(
        get_settings().database_url, tmp_path / "uvicorn.log", HANDOVER_ANSWER_CACHE="1"
    )
    try:
        admin, headers = keys["admin"], bearer(keys["registrar"])
        # This test process is another writer than the server: only NOTIFY can tell it.
        first = f"Dienst A {uuid.uuid4().hex[:6]}"
        provision_id = await provide(client, headers, first)
        await until_seen(base, admin, lambda names: first in names)

        # A change behind the registry's back (no audit event, so no notification) is
        # not seen: the server answers from what it kept.
        await Provision.update({Provision.valid_from: date(2031, 6, 1)}).where(
            Provision.id == provision_id
        )
        assert first in services_in(base, admin)

        # The next audited change, by anyone, makes every server read afresh.
        second = f"Dienst B {uuid.uuid4().hex[:6]}"
        await provide(client, headers, second)
        now = await until_seen(base, admin, lambda names: second in names)
        assert first not in now
    finally:
        server.terminate()
        server.wait(timeout=10)

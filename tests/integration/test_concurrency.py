"""Fifty editors racing to record the same service at once, against a real uvicorn."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from uuid import uuid4

import httpx
import pytest

from app.settings import get_settings
from app.tables.tables import Provision
from tests.helpers import bearer

WRITERS = 50


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "HANDOVER_DATABASE_URL": get_settings().database_url,
        "HANDOVER_POSTGRES_POOL_SIZE": "10",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.asgi:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise RuntimeError("uvicorn did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


async def test_concurrent_conflicting_writes_exactly_one_wins(server, keys) -> None:
    headers = bearer(keys["registrar"])
    async with httpx.AsyncClient(base_url=server, headers=headers, timeout=60) as http:
        suffix = uuid4().hex[:8]
        service = (await http.post("/api/v1/services", json={"name": f"Race {suffix}"})).json()
        providers = [
            (await http.post("/api/v1/organisations", json={"name": f"Racer {i} {suffix}"})).json()
            for i in range(5)
        ]

        async def write(i: int) -> httpx.Response:
            return await http.post(
                "/api/v1/provisions",
                json={
                    "serviceId": service["id"],
                    "municipalityCode": "GM0114",
                    "providerId": providers[i % 5]["id"],
                    "validFrom": f"2024-01-{1 + i % 28:02d}",
                },
            )

        responses = await asyncio.gather(*(write(i) for i in range(WRITERS)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(201) == 1, statuses
    assert statuses.count(409) == WRITERS - 1, statuses
    for response in responses:
        if response.status_code == 409:
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["status"] == 409
    stored = await Provision.count().where(Provision.service == service["id"])
    assert stored == 1

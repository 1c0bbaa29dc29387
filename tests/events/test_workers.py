"""Real worker processes: killed mid-delivery they lose nothing; two share the work
without delivering one event twice; fifty concurrent changes, each delivered once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.settings import get_settings
from tests.events.conftest import subscribe
from tests.events.receivers import Receiver, free_port
from tests.helpers import bearer

PROVIDER_CHANGED = "nl.overdrachtsregister.provider-changed"
WRITERS = 50


def environment(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "HANDOVER_DATABASE_URL": get_settings().database_url,
        "HANDOVER_POSTGRES_POOL_SIZE": "4",
        "HANDOVER_WORKER_POLL_SECONDS": "0.1",
        "HANDOVER_DELIVERY_BACKOFF": "0.05",
        **extra,
    }


def start_worker(**extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "worker"],
        env=environment(**extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def wait_for(condition: Any, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.05)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = free_port()
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
        env=environment(HANDOVER_POSTGRES_POOL_SIZE="10"),
        stdout=subprocess.DEVNULL,
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
        stop(process)


async def new_services(http: httpx.AsyncClient, count: int) -> list[str]:
    ids = []
    for i in range(count):
        response = await http.post(
            "/api/v1/services", json={"name": f"Worker test {i} {time.time()}"}
        )
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


async def provide(http: httpx.AsyncClient, service_id: str, provider_id: str, code: str) -> str:
    response = await http.post(
        "/api/v1/provisions",
        json={
            "serviceId": service_id,
            "municipalityCode": code,
            "providerId": provider_id,
            "validFrom": "2030-01-01",
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def provisions(receiver: Receiver, path: str) -> list[str]:
    return [
        e["data"]["provisionId"] for e in receiver.events(path) if e["type"] == PROVIDER_CHANGED
    ]


async def test_a_worker_killed_mid_delivery_loses_nothing(
    server, client, keys, demo_ids, receiver
) -> None:
    _, subscription = await subscribe(
        client, keys["admin"], receiver.url(), types=[PROVIDER_CHANGED]
    )
    held = {"first": True}

    def answer(path: str, event: dict[str, Any]) -> tuple[int, dict[str, str], float]:
        if held["first"]:  # the first delivery hangs until the worker is dead
            held["first"] = False
            return 200, {}, 4.0
        return 204, {}, 0.0

    receiver.answer = answer
    async with httpx.AsyncClient(
        base_url=server, headers=bearer(keys["registrar"]), timeout=30
    ) as http:
        services = await new_services(http, 3)
        made = [await provide(http, s, demo_ids["organisation_id"], "GM0014") for s in services]
    worker = start_worker(HANDOVER_DELIVERY_TIMEOUT="2")
    try:
        await wait_for(lambda: len(receiver.events()) >= 1)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        stop(worker)
    killed_on = receiver.events()[0]
    worker = start_worker(HANDOVER_DELIVERY_TIMEOUT="2")
    try:
        await wait_for(lambda: len(receiver.events()) >= 4)
    finally:
        stop(worker)
    delivered = receiver.events()
    # The event in flight when the worker died comes again, with the same id; then the rest.
    assert provisions(receiver, "/hook") == [made[0], *made]
    assert delivered[1]["id"] == killed_on["id"]
    assert receiver.verify_all("/hook", subscription["secret"]) == 5  # with the test event


async def test_fifty_concurrent_changes_reach_each_subscription_once_in_order(
    server, client, keys, demo_ids, receiver
) -> None:
    _, groningen = await subscribe(client, keys["municipality"], receiver.url("/groningen"))
    _, emmen = await subscribe(client, keys["municipality_other"], receiver.url("/emmen"))
    _, everything = await subscribe(
        client, keys["admin"], receiver.url("/all"), types=[PROVIDER_CHANGED]
    )
    workers = [start_worker(), start_worker()]
    try:
        async with httpx.AsyncClient(
            base_url=server, headers=bearer(keys["registrar"]), timeout=60
        ) as http:
            services = await new_services(http, WRITERS)
            codes = ["GM0014" if i % 2 else "GM0114" for i in range(WRITERS)]
            made = await asyncio.gather(
                *(
                    provide(http, service, demo_ids["organisation_id"], code)
                    for service, code in zip(services, codes, strict=True)
                )
            )
        by_code = {
            code: {p for p, c in zip(made, codes, strict=True) if c == code}
            for code in ("GM0014", "GM0114")
        }
        await wait_for(
            lambda: (
                len(provisions(receiver, "/all")) >= WRITERS
                and len(provisions(receiver, "/groningen")) >= len(by_code["GM0014"])
                and len(provisions(receiver, "/emmen")) >= len(by_code["GM0114"])
            ),
            seconds=60,
        )
        await asyncio.sleep(1)  # anything delivered twice would arrive by now
    finally:
        for worker in workers:
            stop(worker)
    for path, wanted, subscription in (
        ("/all", set(made), everything),
        ("/groningen", by_code["GM0014"], groningen),
        ("/emmen", by_code["GM0114"], emmen),
    ):
        got = provisions(receiver, path)
        assert len(got) == len(set(got)), f"{path} got an event twice"
        assert set(got) == wanted
        events = receiver.events(path)
        sequences = [int(e["sequence"]) for e in events]
        assert sequences == sorted(sequences), f"{path} out of order"
        assert receiver.verify_all(path, subscription["secret"]) == len(events) + 1
    assert not [
        e for e in receiver.events("/groningen") if e["data"]["municipalityCodes"] != ["GM0014"]
    ]
    assert not [
        e for e in receiver.events("/emmen") if e["data"]["municipalityCodes"] != ["GM0114"]
    ]

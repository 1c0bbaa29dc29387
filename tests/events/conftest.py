"""Fixtures for the change feed: fast delivery settings, real receivers, fresh tracks."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any
from uuid import uuid4

import httpx
import pytest

from app.events import delivery, subscriptions
from app.events.delivery import deliver_due, delivery_client
from app.settings import get_settings
from app.tables.tables import Subscription
from tests.events.receivers import Receiver
from tests.helpers import bearer

FAST = dataclasses.replace(
    get_settings(),
    delivery_timeout=1.0,
    delivery_retries=3,
    delivery_backoff_seconds=0.05,
    delivery_backoff_factor=2.0,
)


@pytest.fixture(autouse=True)
def fast_delivery(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "get_settings", lambda: FAST)
    monkeypatch.setattr(subscriptions, "get_settings", lambda: FAST)


@pytest.fixture(autouse=True)
async def no_subscriptions_left() -> AsyncIterator[None]:
    """Each test delivers to its own subscriptions only."""
    await Subscription.delete(force=True)
    yield
    await Subscription.delete(force=True)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = Receiver().start()
    yield started
    started.stop()


async def subscribe(
    client: Any, key: str, url: str, **body: Any
) -> tuple[httpx.Response, dict[str, Any]]:
    response = await client.post(
        "/api/v1/subscriptions", json={"callbackUrl": url, **body}, headers=bearer(key)
    )
    return response, response.json()


async def deliver_until(done: Callable[[], bool], seconds: float = 20) -> None:
    """Run delivery rounds (as the worker does) until ``done()`` or the time is up."""
    deadline = time.monotonic() + seconds
    async with delivery_client() as client:
        while not done() and time.monotonic() < deadline:
            if not await deliver_due(client):
                await asyncio.sleep(0.05)


async def new_track(client: Any, keys: dict[str, str], provider_id: str) -> dict[str, Any]:
    """A fresh service, so each test writes provisions on a timeline of its own."""
    response = await client.post(
        "/api/v1/services",
        json={"name": f"Feed test {uuid4().hex[:8]}"},
        headers=bearer(keys["registrar"]),
    )
    assert response.status_code == 201, response.text
    return response.json()


async def provide(
    client: Any,
    keys: dict[str, str],
    service_id: str,
    provider_id: str,
    code: str,
    valid_from: str,
    valid_to: str | None = None,
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/provisions",
        json={
            "serviceId": service_id,
            "municipalityCode": code,
            "providerId": provider_id,
            "validFrom": valid_from,
            "validTo": valid_to,
        },
        headers=bearer(keys["registrar"]),
    )
    assert response.status_code == 201, response.text
    return response.json()


async def feed(client: Any, key: str, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/v1/events", params=params, headers=bearer(key))
    assert response.status_code == 200, response.text
    return response.json()

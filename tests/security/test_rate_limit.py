"""A limit per API key: the request past it is a 429 problem with Retry-After."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from app.settings import get_settings
from tests.helpers import bearer

LIMIT = 3


@pytest.fixture
async def limited(database, monkeypatch) -> AsyncIterator[AsyncTestClient]:
    """The app as HANDOVER_RATE_LIMIT=3/minute builds it."""
    from app.application import create_app

    monkeypatch.setenv("HANDOVER_RATE_LIMIT", f"{LIMIT}/minute")
    get_settings.cache_clear()
    try:
        app = create_app()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


async def test_past_the_limit_is_429_with_retry_after(limited, keys) -> None:
    url = "/api/v1/municipalities"
    municipality = bearer(keys["municipality"])
    answers = [await limited.get(url, headers=municipality) for _ in range(LIMIT + 1)]
    assert [a.status_code for a in answers] == [200] * LIMIT + [429]
    refused = answers[-1]
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["status"] == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["api-version"]

    # Another key has its own allowance; health and readiness are never limited.
    assert (await limited.get(url, headers=bearer(keys["management"]))).status_code == 200
    for _ in range(LIMIT + 1):
        assert (await limited.get("/health")).status_code == 200
        assert (await limited.get("/ready")).status_code == 200


async def test_made_up_keys_share_the_address_allowance(limited) -> None:
    statuses = [
        (await limited.get("/api/v1/municipalities", headers=bearer(f"hov_fake_{i}"))).status_code
        for i in range(LIMIT + 1)
    ]
    assert statuses == [401] * LIMIT + [429]


def test_the_setting_is_checked() -> None:
    from app.api.rate_limit import parse_rate_limit

    assert parse_rate_limit("600/minute") == ("minute", 600)
    assert parse_rate_limit("10/seconds") == ("second", 10)
    assert parse_rate_limit("0") is None
    with pytest.raises(ValueError, match="COUNT/UNIT"):
        parse_rate_limit("lots")

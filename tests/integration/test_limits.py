"""Bodies past the configured size are refused before they are read in full."""

from __future__ import annotations

from app.settings import get_settings
from tests.helpers import bearer


async def test_oversized_body_is_413_problem(client, keys) -> None:
    too_big = b'{"name": "' + b"x" * get_settings().request_max_body_bytes + b'"}'
    response = await client.post(
        "/api/v1/organisations",
        content=too_big,
        headers={**bearer(keys["registrar"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["API-Version"]
    assert response.json()["status"] == 413

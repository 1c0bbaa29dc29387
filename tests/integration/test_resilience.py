"""A real uvicorn whose PostgreSQL is away: fast, honest 503s, never a hang or a 500."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.integration.test_concurrency import free_port

UNREACHABLE = "postgresql://postgres@127.0.0.1:9/nowhere"  # nothing listens on port 9


@pytest.fixture(scope="module")
def server_without_database(tmp_path_factory) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    log_file = tmp_path_factory.mktemp("uvicorn") / "out.log"
    env = {**os.environ, "HANDOVER_DATABASE_URL": UNREACHABLE, "HANDOVER_POSTGRES_POOL_SIZE": "4"}
    with log_file.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.asgi:app", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base, log_file
    finally:
        process.terminate()
        process.wait(timeout=10)


def timed_get(url: str, **kwargs) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = httpx.get(url, timeout=10, **kwargs)
    return response, time.monotonic() - started


def test_liveness_stays_up(server_without_database) -> None:
    base, _ = server_without_database
    response, _ = timed_get(f"{base}/health")
    assert response.status_code == 200


def test_readiness_and_api_say_503_within_two_seconds(server_without_database) -> None:
    base, _ = server_without_database
    ready, took = timed_get(f"{base}/ready")
    assert ready.status_code == 503
    assert ready.headers["Retry-After"]
    assert took < 2.5
    api, took = timed_get(
        f"{base}/api/v1/municipalities/GM0014/continuity",
        headers={"Authorization": "Bearer hov_demo_gemeente_groningen"},
    )
    assert api.status_code == 503, api.text
    assert api.headers["content-type"].startswith("application/problem+json")
    assert api.headers["Retry-After"]
    assert api.json()["status"] == 503
    assert "Traceback" not in api.text
    assert took < 2.5


def test_one_log_line_per_request_without_the_key(server_without_database) -> None:
    base, log_file = server_without_database
    response = httpx.get(
        f"{base}/api/v1/organisations",
        headers={"Authorization": "Bearer hov_secret_never_logged", "X-Request-ID": "trace-42"},
        timeout=10,
    )
    assert response.headers["X-Request-ID"] == "trace-42"
    time.sleep(0.5)
    text = log_file.read_text()
    assert "hov_secret_never_logged" not in text
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    [line] = [entry for entry in lines if entry.get("request_id") == "trace-42"]
    assert line["route"] == "/api/v1/organisations"
    assert line["status"] == 503
    assert line["method"] == "GET"
    assert "duration_ms" in line

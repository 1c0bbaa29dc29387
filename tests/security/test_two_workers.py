"""`handover serve --workers 2` with a real Redis: one limit, one revocation, one count.

Requests go on fresh connections, so the kernel spreads them over both workers (the
metrics folder shows both wrote). Redis database 5, under a key prefix of this run.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from app.settings import get_settings
from tests.integration.test_concurrency import free_port

REDIS_URL = os.environ.get("HANDOVER_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
LIMIT = 30


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(
    not redis_answers() and not os.environ.get("CI"), reason=f"no Redis at {REDIS_URL}"
)


@pytest.fixture(scope="module")
def two_workers(demo, tmp_path_factory) -> Iterator[tuple[str, dict[str, str], Path]]:
    folder = tmp_path_factory.mktemp("two-workers")
    prefix = f"test-h18:{uuid.uuid4().hex}:"
    environment = {
        **os.environ,
        "HANDOVER_DATABASE_URL": get_settings().database_url,
        "HANDOVER_POSTGRES_POOL_SIZE": "4",
        "HANDOVER_REDIS_URL": REDIS_URL,
        "HANDOVER_REDIS_PREFIX": prefix,
        "HANDOVER_RATE_LIMIT": f"{LIMIT}/minute",
        # Without sharing, a worker would trust a looked-up key for an hour.
        "HANDOVER_KEY_CACHE_SECONDS": "3600",
        "HANDOVER_METRICS_DIR": str(folder / "metrics"),
    }
    port = free_port()
    log = folder / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2"],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
        yield base, environment, folder / "metrics"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=prefix + "*"):
            client.delete(key)


def wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    """Two workers each import the app: on a loaded machine that takes a while."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"handover serve exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"handover serve did not start: {log.read_text()[-2000:]}")


def get_fresh(url: str, key: str) -> int:
    """One GET on a connection of its own (so either worker may take it)."""
    with httpx.Client(timeout=30) as client:
        return client.get(url, headers={"Authorization": f"Bearer {key}"}).status_code


def many(url: str, key: str, count: int) -> list[int]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda _: get_fresh(url, key), range(count)))


async def fresh_key(role: str, **scope) -> str:
    from app.access.keys import create_api_key

    return await create_api_key(role, name=f"two workers {uuid.uuid4().hex[:6]}", **scope)


async def test_a_key_gets_the_limit_across_two_workers(two_workers) -> None:
    base, _, metrics_folder = two_workers
    key = await fresh_key("municipality", municipalities=["GM0014"])
    statuses = many(f"{base}/api/v1/municipalities", key, 3 * LIMIT)
    # One window (60 s, opened by the first request) holds every request here.
    assert statuses.count(200) == LIMIT, statuses
    assert statuses.count(429) == 2 * LIMIT

    # Both workers answered, and /metrics (from whichever worker) counts for both.
    admin = await fresh_key("admin")
    async with httpx.AsyncClient() as client:
        answer = await client.get(f"{base}/metrics", headers={"Authorization": f"Bearer {admin}"})
    assert answer.status_code == 200
    writers = {path.stem.rsplit("_", 1)[-1] for path in metrics_folder.glob("counter_*.db")}
    assert len(writers) == 2, writers
    from prometheus_client.parser import text_string_to_metric_families

    counted = {
        sample.labels["status"]: sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
        if sample.name == "handover_http_requests_total"
        and sample.labels["route"] == "/api/v1/municipalities"
    }
    assert counted["200"] >= LIMIT
    assert counted["429"] >= 2 * LIMIT


async def test_a_revocation_reaches_both_workers_at_once(two_workers) -> None:
    base, environment, _ = two_workers
    key = await fresh_key("registrar")
    url = f"{base}/api/v1/organisations?limit=1"
    assert many(url, key, 10) == [200] * 10  # both workers now hold the key for an hour

    from app.access.keys import list_api_keys

    (row,) = [r for r in await list_api_keys() if key.startswith(r["prefix"])]
    revoked = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app.cli",
        "apikey",
        "revoke",
        str(row["id"]),
        env=environment,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await revoked.communicate()
    assert revoked.returncode == 0, stderr
    # Published before the command returned; each worker drops the key on receipt.
    assert many(url, key, 12) == [401] * 12

"""A real uvicorn, started as `handover serve` starts it, for races and log lines."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.settings import get_settings
from tests.integration.test_concurrency import free_port


def wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120  # a loaded two-core machine takes that long
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("uvicorn did not start within 120 s")


def start_uvicorn(database_url: str, log: Path, **env: str) -> tuple[str, subprocess.Popen]:
    port = free_port()
    environment = {
        **os.environ,
        "HANDOVER_DATABASE_URL": database_url,
        "HANDOVER_POSTGRES_POOL_SIZE": "10",
        **env,
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
    except BaseException:
        process.kill()
        process.wait(timeout=10)
        raise
    return base, process


@pytest.fixture(scope="session")
def served(database, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """(base URL, file its stdout goes to) of a uvicorn on the suite's database."""
    log = tmp_path_factory.mktemp("served") / "uvicorn.log"
    base, process = start_uvicorn(get_settings().database_url, log)
    try:
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=10)

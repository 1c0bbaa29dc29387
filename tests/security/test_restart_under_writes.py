"""PostgreSQL restarted under a write load: every request answered 201 or 503 with
Retry-After (never 500), writes succeed again without a restart of ours, and SIGTERM
then ends the server within its shutdown bound (issue 17, point 7).

A throwaway cluster of our own, as in test_outage.py: the machine's server is never
touched. PostgreSQL pass only.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Iterator

import asyncpg
import httpx
import pytest

from tests.helpers import bearer
from tests.security.conftest import start_uvicorn
from tests.security.test_outage import Cluster, handover_cli
from tests.security.test_outage import pytestmark as outage_marks

pytestmark = outage_marks

WRITERS = 6
SHUTDOWN_SECONDS = 3


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    cluster = Cluster()
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


class Load:
    """Threads creating services as fast as the server answers, noting every answer."""

    def __init__(self, base: str, key: str) -> None:
        self.base, self.key = base, key
        self.answers: list[tuple[float, int, str | None]] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.write, args=(n,)) for n in range(WRITERS)]

    def write(self, writer: int) -> None:
        with httpx.Client(base_url=self.base, headers=bearer(self.key), timeout=15) as http:
            count = 0
            while not self.stop.is_set():
                count += 1
                try:
                    response = http.post("/api/v1/services", json={"name": f"w{writer}-{count}"})
                except httpx.TransportError:
                    # The server is gone (shut down, or died): noted as status 0, which
                    # the restarts must never see.
                    with self.lock:
                        self.answers.append((time.monotonic(), 0, None))
                    return
                with self.lock:
                    self.answers.append(
                        (
                            time.monotonic(),
                            response.status_code,
                            response.headers.get("retry-after"),
                        )
                    )

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def test_restarts_under_writes_are_503_never_500_and_shutdown_is_bounded(cluster, tmp_path) -> None:
    async def create_database() -> None:
        connection = await asyncpg.connect(cluster.url("postgres"))
        try:
            await connection.execute("CREATE DATABASE restarts")
        finally:
            await connection.close()

    asyncio.run(create_database())
    url = cluster.url("restarts")
    created = handover_cli(url, "apikey", "create", "--role", "registrar", "--name", "restarts")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    log = tmp_path / "uvicorn.log"
    base, server = start_uvicorn(url, log, HANDOVER_SHUTDOWN_SECONDS=str(SHUTDOWN_SECONDS))
    try:
        with Load(base, key) as load:
            time.sleep(1.5)
            for mode in ["fast", "immediate", "fast"]:
                cluster.stop(mode)  # connections in use die mid-query
                time.sleep(0.5)
                cluster.start()
                time.sleep(2.5)
            back = time.monotonic()
            time.sleep(2.0)
        statuses = {status for _, status, _ in load.answers}
        assert statuses <= {201, 503}, sorted(statuses)
        assert 503 in statuses, "the restarts were never noticed: the test proves nothing"
        assert all(int(retry) > 0 for _, status, retry in load.answers if status == 503)
        after = [status for at, status, _ in load.answers if at > back]
        assert after.count(201) >= WRITERS, "writes did not succeed again after the restarts"

        # A connection still in use at SIGTERM (a write load again) must not hold shutdown.
        with Load(base, key):
            time.sleep(0.5)
            cluster.stop("immediate")
            asked = time.monotonic()
            server.terminate()
            server.wait(timeout=SHUTDOWN_SECONDS * 2 + 10)
            took = time.monotonic() - asked
        assert took < SHUTDOWN_SECONDS * 2 + 5, f"shutdown took {took:.1f} s"
        text = log.read_text()
        assert not re.search(r'"status": ?5\d\d[,}]', text.replace('"status":503', "")), text[
            -3000:
        ]
        assert "Traceback" not in text.split("Shutting down")[0]
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)
        if not (cluster.data / "postmaster.pid").exists():
            cluster.start()

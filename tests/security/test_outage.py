"""A real outage: our own PostgreSQL server stopped under a running uvicorn, then started.

The test makes a throwaway cluster (initdb + pg_ctl, as the postgres user when run as
root) on a free port, so the machine's own server, which other tests use, is never
touched. It runs in the PostgreSQL pass only: once per CI run.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from app.database import is_postgres
from tests.helpers import bearer
from tests.integration.test_concurrency import free_port
from tests.security.conftest import start_uvicorn


def server_binaries() -> Path | None:
    found = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1]
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl and shutil.which("initdb") else None


BINARIES = server_binaries()

pytestmark = [
    pytest.mark.skipif(not is_postgres(), reason="runs once per CI run, in the PostgreSQL pass"),
    pytest.mark.skipif(
        BINARIES is None, reason="the PostgreSQL server binaries (initdb, pg_ctl) are absent"
    ),
]


class Cluster:
    """A PostgreSQL cluster of our own in a temporary directory."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="handover-outage-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")

    def run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        subprocess.run(
            [*prefix, str(BINARIES / command[0]), *command[1:]],
            check=True,
            capture_output=True,
            timeout=60,
            cwd=self.root,
        )

    def init(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-N")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w",
                 "-o", options, "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    cluster = Cluster()
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


def handover_cli(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env={**os.environ, "HANDOVER_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )


def timed(http: httpx.Client, method: str, url: str, **kwargs) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = http.request(method, url, **kwargs)
    return response, time.monotonic() - started


def assert_unavailable(response: httpx.Response, took: float) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 503
    assert int(response.headers["retry-after"]) > 0
    assert "Traceback" not in response.text
    assert took < 2.0, f"took {took:.2f} s"


def test_stopped_database_is_503_and_the_service_recovers_by_itself(cluster, tmp_path) -> None:
    async def create_database() -> None:
        connection = await asyncpg.connect(cluster.url("postgres"))
        try:
            await connection.execute("CREATE DATABASE outage")
        finally:
            await connection.close()

    asyncio.run(create_database())
    url = cluster.url("outage")
    created = handover_cli(url, "apikey", "create", "--role", "registrar", "--name", "outage")
    assert created.returncode == 0, created.stderr  # migrated, and a key made
    key = created.stdout.strip()
    base, server = start_uvicorn(url, tmp_path / "uvicorn.log")
    try:
        with httpx.Client(base_url=base, headers=bearer(key), timeout=10) as http:
            made = http.post("/api/v1/organisations", json={"name": "Stichting Storing"})
            assert made.status_code == 201, made.text
            organisation = f"/api/v1/organisations/{made.json()['id']}"
            assert http.get(organisation).status_code == 200

            cluster.stop()
            for method, path in [
                ("GET", "/ready"),
                ("GET", organisation),
                ("GET", "/api/v1/organisations"),
                ("POST", "/api/v1/services"),
            ]:
                body = {"name": "x"} if method == "POST" else None
                assert_unavailable(*timed(http, method, path, json=body))
            assert http.get("/health").status_code == 200

            cluster.start()
            deadline = time.monotonic() + 30
            while http.get("/ready").status_code != 200:
                assert time.monotonic() < deadline, "the service did not recover within 30 s"
                time.sleep(0.2)
            assert http.get(organisation).json()["name"] == "Stichting Storing"
            again = http.post("/api/v1/services", json={"name": "Na de storing"})
            assert again.status_code == 201, again.text
        log = (tmp_path / "uvicorn.log").read_text()
        assert '"status": 500' not in log
        assert key not in log
    finally:
        server.terminate()
        server.wait(timeout=10)

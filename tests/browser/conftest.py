"""A real uvicorn serving the demo, and Debian's headless Chromium, for the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"handover demo exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"handover demo did not answer: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def server(demo_server: tuple[str, dict[str, str]]) -> str:
    return demo_server[0]


@pytest.fixture(scope="module")
def demo_server() -> Iterator[tuple[str, dict[str, str]]]:
    """``handover demo`` in its own process, on its own SQLite file and a free port."""
    with tempfile.TemporaryDirectory(prefix="handover-browser-") as directory:
        port = free_port()
        log = Path(directory) / "demo.log"
        env = {
            **os.environ,
            "HANDOVER_DATABASE_URL": f"sqlite:///{directory}/demo.sqlite",
            "HANDOVER_SECRET_FILE": f"{directory}/secret",
        }
        env.pop("HANDOVER_SECRET_KEY", None)
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "demo", "--port", str(port)],
                cwd=directory,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base, process, log)
            yield base, env  # the environment, for a CLI command on the same database
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        yield chromium
        await chromium.close()


async def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


async def log_in(page, base: str, username: str, next_path: str = "/") -> None:
    await page.goto(f"{base}{next_path}")
    assert page.url.startswith(f"{base}/inloggen")
    await page.get_by_label("Gebruikersnaam").fill(username)
    await page.get_by_label("Wachtwoord").fill(username)  # demo passwords equal the names
    await page.get_by_role("button", name="Inloggen").click()
    await page.wait_for_url(f"{base}{next_path}")

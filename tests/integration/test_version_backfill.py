"""A registry made before versions existed keeps its history: the migration backfills
versions from its audit trail, and every ``knownOn`` answer is what the audit replay of
that time gave (``tests/fixtures/legacy``, made with commit 429677e)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from app.database import is_postgres
from app.settings import get_settings

LEGACY = Path(__file__).parents[1] / "fixtures" / "legacy"


@pytest.fixture
def legacy_database(tmp_path: Path):
    """A database of its own for the legacy registry, beside the suite's."""
    if not is_postgres():
        yield "sqlite", f"sqlite:///{tmp_path}/legacy.sqlite"
        return
    import asyncio

    import asyncpg

    url = get_settings().database_url
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_legacy"

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}"'))
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    yield "postgresql", urlunsplit(parts._replace(path=f"/{name}"))
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_migrated_legacy_registry_answers_as_its_audit_replay_did(legacy_database) -> None:
    kind, url = legacy_database
    done = subprocess.run(
        [sys.executable, str(LEGACY / "ask.py"), kind],
        env={**os.environ, "HANDOVER_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    expected = json.loads((LEGACY / f"{kind}-answers.json").read_text())["answers"]
    assert len(expected) == 40  # 8 questions at 5 moments
    differing = [q for q in expected if answers[q] != expected[q]]
    assert differing == [], differing[:3]

"""Issue 19's migration on a registry made with the schema before it: the names leave
``staff_transfer`` and the audit trail for ``staff_personal_data``, on both databases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.database import is_postgres
from app.settings import get_settings
from tests.fixtures.registry_before_19 import NAMES
from tests.helpers import columns_containing

ROOT = Path(__file__).parents[2]
OLD_SCHEMA = "h19_before"


def run(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "HANDOVER_DATABASE_URL": url},
        cwd=ROOT,
        timeout=300,
        check=False,
    )


@pytest.fixture
async def old_registry(tmp_path: Path):
    """A database URL of a registry in the old schema, with names in it."""
    if not is_postgres():
        yield f"sqlite:///{tmp_path}/before.sqlite"
        return
    import asyncpg

    # A schema of its own in the test database (the only database this suite may use).
    base = get_settings().database_url
    connection = await asyncpg.connect(base)
    try:
        await connection.execute(f"DROP SCHEMA IF EXISTS {OLD_SCHEMA} CASCADE")
        await connection.execute(f"CREATE SCHEMA {OLD_SCHEMA}")
        yield f"{base}{'&' if '?' in base else '?'}search_path={OLD_SCHEMA}"
    finally:
        await connection.execute(f"DROP SCHEMA IF EXISTS {OLD_SCHEMA} CASCADE")
        await connection.close()


async def query(url: str, sql: str) -> list[tuple]:
    if url.startswith("sqlite"):
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            return [tuple(r) for r in connection.execute(sql)]
        finally:
            connection.close()
    import asyncpg

    connection = await asyncpg.connect(
        url.split("?")[0], server_settings={"search_path": OLD_SCHEMA}
    )
    try:
        return [tuple(r) for r in await connection.fetch(sql)]
    finally:
        await connection.close()


async def test_names_move_out_of_staff_transfers_and_the_audit_trail(old_registry) -> None:
    built = run("-m", "tests.fixtures.registry_before_19", url=old_registry)
    assert built.returncode == 0, built.stderr
    before = await query(old_registry, "SELECT count(*) FROM audit_event")
    assert "audit_event.after" in await columns_containing(old_registry, "Hendrik Vorigeversie")

    migrated = run("-m", "app.cli", "migrate", url=old_registry)
    assert migrated.returncode == 0, migrated.stderr

    held = await query(
        old_registry,
        "SELECT s.staff_ref, p.name FROM staff_personal_data p "
        "JOIN staff_transfer s ON s.id = p.staff_transfer ORDER BY s.staff_ref",
    )
    assert held == [("OLD-001", "Margriet Oudschema"), ("OLD-002", "Hendrik Vorigeversie")]
    for name in NAMES:
        assert set(await columns_containing(old_registry, name)) <= {"staff_personal_data.name"}
    # The column is gone, so no version of a staff transfer can copy a name again.
    columns = await query(old_registry, "SELECT * FROM staff_transfer WHERE staff_ref = 'OLD-001'")
    assert len(columns[0]) == 11
    assert "staff_transfer.name" not in await columns_containing(old_registry, "OLD")
    # Everything else of the snapshots stayed.
    snapshots = await query(
        old_registry,
        "SELECT after FROM audit_event WHERE record_type = 'staff_transfer' ORDER BY occurred_at",
    )
    afters = [json.loads(a) if isinstance(a, str) else a for (a,) in snapshots]
    assert {a["staff_ref"] for a in afters} == {"OLD-001", "OLD-002", "OLD-003"}
    assert all("name" not in a and "fte" in a for a in afters)
    # The rewrite is an audit event of its own, saying how much, never whose.
    rewrites = await query(
        old_registry, "SELECT actor, record_type, after FROM audit_event WHERE action = 'rewrite'"
    )
    assert len(rewrites) == 1
    actor, record_type, after = rewrites[0]
    summary = json.loads(after) if isinstance(after, str) else after
    assert actor.startswith("migration:")
    assert record_type == "audit_event"
    assert summary["staff_personal_data_rows"] == 2
    assert summary["audit_events_rewritten"] == 4
    # (``handover migrate`` also loads the municipalities the registry lacks, each audited.)
    others = "SELECT count(*) FROM audit_event WHERE actor NOT LIKE 'reference data%'"
    assert (await query(old_registry, others))[0][0] == before[0][0] + 1
    # And the trail is append-only again.
    refused = run(
        "-c",
        "import asyncio; from app.tables.tables import AuditEvent; "
        "asyncio.run(AuditEvent.update({AuditEvent.actor: 'x'}, force=True).run())",
        url=old_registry,
    )
    assert refused.returncode != 0
    assert "append-only" in refused.stderr

"""The command line: staff import with its report, and the whole registry exported, imported
into an empty database and exported again, equal byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from app.database import is_postgres
from app.exchange.registry_dump import EXCLUDED, dumped_tables, export_registry
from app.settings import get_settings
from app.tables.piccolo_app import APP_CONFIG
from app.tables.tables import StaffTransfer
from tests.exchange.conftest import staff_csv


def cli(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HANDOVER_DATABASE_URL": database_url or get_settings().database_url}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture
async def empty_database(tmp_path: Path) -> AsyncIterator[str]:
    """A second, empty database beside the test database (migrated by the CLI itself)."""
    url = get_settings().database_url
    if not is_postgres():
        yield f"sqlite:///{tmp_path / 'second.sqlite'}"
        return
    import asyncpg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_roundtrip"
    admin = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield urlunsplit(parts._replace(path=f"/{name}"))
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def test_every_registry_table_is_dumped_or_deliberately_excluded() -> None:
    names = {t._meta.tablename for t in APP_CONFIG.table_classes}
    assert names >= EXCLUDED
    assert {t._meta.tablename for t in dumped_tables()} == names - EXCLUDED
    dumped = {t._meta.tablename for t in dumped_tables()}
    for table in dumped_tables():  # an import can satisfy every foreign key from the file
        for column in table._meta.foreign_key_columns:
            assert column._foreign_key_meta.resolved_references._meta.tablename in dumped
    order = [t._meta.tablename for t in dumped_tables()]
    assert order.index("organisation") < order.index("provision")
    assert order.index("handover") < order.index("staff_transfer")


async def test_export_import_export_round_trips_byte_for_byte(
    demo, keys, tmp_path: Path, empty_database: str
) -> None:
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    counts = await export_registry(first)
    assert counts["audit_event"] > 100
    assert counts["staff_transfer"] >= 14
    assert "api_key" not in counts
    imported = cli("import", str(first), database_url=empty_database)
    assert imported.returncode == 0, imported.stderr
    exported = cli("export", str(second), database_url=empty_database)
    assert exported.returncode == 0, exported.stderr
    assert first.read_bytes() == second.read_bytes()
    again = cli("import", str(first), database_url=empty_database)
    assert again.returncode != 0
    assert again.stderr.strip().count("\n") == 0
    assert "not empty" in again.stderr


def test_import_of_a_file_that_is_no_export_fails_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "other.jsonl"
    path.write_text('{"hello": "world"}\n')
    result = cli("import", str(path))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"Error: {path.name} is not a registry export (made by 'handover export')"
    ]


async def test_import_staff_reports_each_bad_row_and_exits_non_zero(handover, tmp_path) -> None:
    path = tmp_path / "personeel.csv"
    path.write_bytes(staff_csv("C-1;Anna;consulent;0,8;Proefdienst A;", "C-2;Bram;coach;3;;"))
    hid = str(handover["id"])
    result = cli("import-staff", str(path), "--handover", hid)
    assert result.returncode == 1
    assert "personeel.csv:3: fte:" in result.stderr
    assert "nothing written" in result.stderr
    assert not await StaffTransfer.exists().where(StaffTransfer.handover == handover["id"])
    result = cli("import-staff", str(path), "--handover", hid, "--skip-invalid")
    assert result.returncode == 0, result.stderr
    assert "1 of 2 rows written" in result.stderr
    unknown = cli("import-staff", str(path), "--handover", "not-a-uuid")
    assert unknown.returncode == 2

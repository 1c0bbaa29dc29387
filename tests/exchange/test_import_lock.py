"""An idempotent staff import takes the write lock for its write only, not while the
file is read and checked (SQLite has one writer: holding it for seconds stalls all)."""

from __future__ import annotations

import asyncio
import sqlite3
from uuid import uuid4

import asyncpg

from app.database import DB, is_postgres
from app.exchange import staff_import
from app.settings import get_settings
from app.tables.tables import StaffTransfer
from tests.exchange.conftest import staff_csv
from tests.helpers import bearer


async def _open_transactions() -> int:
    connection = await asyncpg.connect(get_settings().database_url)
    try:
        return await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
        )
    finally:
        await connection.close()


def another_writer_could_begin() -> bool:
    """Whether a second connection could start writing now (called off the event loop)."""
    if is_postgres():
        return asyncio.run(_open_transactions()) == 0
    connection = sqlite3.connect(DB.path, timeout=0)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        if "locked" not in str(error):
            raise
        return False
    finally:
        connection.close()


async def test_no_write_lock_while_an_idempotent_import_reads_its_file(
    client, exchange_world, handover, monkeypatch
) -> None:
    seen_while_reading: list[bool] = []
    read_sheet = staff_import.read_sheet

    def read_sheet_and_look(data: bytes, filename: str):
        # Runs in the import's worker thread, while the request waits for it.
        seen_while_reading.append(another_writer_could_begin())
        return read_sheet(data, filename)

    monkeypatch.setattr(staff_import, "read_sheet", read_sheet_and_look)
    headers = {
        **bearer(exchange_world["hr_key"]),
        "Content-Type": "text/csv",
        "Idempotency-Key": str(uuid4()),
    }
    path = f"/api/v1/handovers/{handover['id']}/staff/imports"
    data = staff_csv("L-1;Lotte;consulent;0,8;Proefdienst A;akkoord")
    response = await client.post(path, content=data, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["written"] == 1
    assert seen_while_reading == [True]

    again = await client.post(path, content=data, headers=headers)
    assert again.json() == response.json()
    assert seen_while_reading == [True], "a replay reads no file"
    assert await StaffTransfer.count().where(StaffTransfer.handover == handover["id"]) == 1

"""Benchmark: staff import of 100,000 rows against PostgreSQL's own COPY of the same file.

Target (issue 7): ``import_staff`` takes at most 3× the time ``COPY`` takes to load the
same CSV file into a bare table of text columns. Needs PostgreSQL::

    HANDOVER_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_import \\
        python bench/staff_import.py [--rows 100000] [--repeat 3]

It migrates the database, records a handover of its own for each run (deleted after,
its audit events stay: they are append-only) and creates and drops its bare table.
Each figure is the best of ``--repeat`` runs. ``run()`` is what ``bench/run.py`` calls.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROWS = 100_000
SERVICES = tuple(
    f"{name} (bench)" for name in ("Link050", "Jimmy's", "Buurtbemiddeling", "Woonkans")
)
HEADER = "personeelsnummer;naam;functie;fte;dienst;grondslag;behoud arbeidsvoorwaarden;status"
BARE_TABLE = "bench_bare_staff"
LIMIT = 3.0


def staff_csv(rows: int) -> bytes:
    """A semicolon CSV as Dutch Excel writes it: BOM, decimal comma, Dutch words."""
    bases = ("overgang van onderneming", "nieuw contract", "detachering", "gaat niet over")
    statuses = ("voorgesteld", "geïnformeerd", "akkoord", "overgegaan")
    lines = [HEADER]
    for n in range(rows):
        fte = f"{(n % 12 + 1) / 10:.1f}".replace(".", ",")
        lines.append(
            f"P{n:07d};Medewerker {n} (bench);consulent;{fte};{SERVICES[n % 4]};"
            f"{bases[n % 4]};{'ja' if n % 3 else 'nee'};{statuses[n % 4]}"
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


async def _handover() -> Any:
    from app.store import records
    from app.tables.tables import (
        Handover,
        HandoverService,
        Municipality,
        Service,
    )

    municipality = await Municipality.select().where(Municipality.code == "GM9990").first()
    if municipality is None:
        municipality = await records.create(
            Municipality, {"code": "GM9990", "name": "Benchmarkgemeente"}, actor="bench"
        )
    handover = await records.create(Handover, {"title": "Benchmark staff import"}, actor="bench")
    for name in SERVICES:
        service = await Service.select().where(Service.name == name).first()
        if service is None:
            service = await records.create(Service, {"name": name}, actor="bench")
        await records.create(
            HandoverService,
            {
                "handover": handover["id"],
                "service": service["id"],
                "municipality": municipality["id"],
            },
            actor="bench",
        )
    return handover["id"]


async def _time_copy(path: str) -> float:
    import asyncpg

    from app.settings import get_settings

    connection = await asyncpg.connect(get_settings().database_url)
    try:
        columns = ", ".join(f"c{i} text" for i in range(len(HEADER.split(";"))))
        await connection.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
        await connection.execute(f"CREATE TABLE {BARE_TABLE} ({columns})")
        started = time.perf_counter()
        await connection.copy_to_table(
            BARE_TABLE, source=path, format="csv", delimiter=";", header=True
        )
        elapsed = time.perf_counter() - started
        await connection.execute(f"DROP TABLE {BARE_TABLE}")
        return elapsed
    finally:
        await connection.close()


async def _vacuum() -> None:
    """Clear what earlier runs left (their deleted staff rows, rolled-back events), so each
    run writes into tables and indexes in the same state: without it, one run's COPY into
    ``staff_transfer`` took 2.0 s and another's 3.0 s."""
    import asyncpg

    from app.settings import get_settings

    connection = await asyncpg.connect(get_settings().database_url)
    try:
        await connection.execute(
            "VACUUM (ANALYZE) staff_transfer, staff_personal_data, audit_event, handover"
        )
    finally:
        await connection.close()


async def _time_import(data: bytes) -> tuple[float, float]:
    """Seconds for the whole import, and of them the reading and checking before writing."""
    # As the server and the CLI do: the import's changes feed the event outbox too.
    import app.events.outbox  # noqa: F401
    from app.exchange.staff_import import import_staff
    from app.tables.tables import Handover

    await _vacuum()
    handover_id = await _handover()
    writing_from: list[float] = []

    def progress(done: int, total: int) -> None:
        if not writing_from:
            writing_from.append(time.perf_counter())

    started = time.perf_counter()
    report = await import_staff(
        handover_id, data, "personeel.csv", actor="bench", progress=progress
    )
    elapsed = time.perf_counter() - started
    if report.problems or report.written != report.rows:
        raise RuntimeError(f"the import did not write every row: {report.problems[:3]}")
    await Handover.delete().where(Handover.id == handover_id)
    return elapsed, writing_from[0] - started


class _RolledBack(Exception):
    pass


async def _time_registry_copy(data: bytes) -> tuple[float, float]:
    """Seconds to COPY the rows the import writes straight into ``staff_transfer`` (its
    keys, foreign keys and unique index), and then their audit events into
    ``audit_event``: what the database alone takes to store what the import must store.
    Rolled back after."""
    from datetime import UTC, datetime

    from app.database import write_transaction
    from app.exchange import bulk, staff_import
    from app.exchange.sheets import read_sheet
    from app.tables.tables import AuditEvent, StaffTransfer

    await _vacuum()
    handover_id = await _handover()
    parsed = staff_import.parse_rows(read_sheet(data, "personeel.csv"))
    timings: list[float] = []
    try:
        async with write_transaction():
            inserts, _names, _ = await staff_import._plan(handover_id, parsed)
            events = [
                (event_id, datetime.now(UTC), "bench", "create", staff_import.RECORD_TYPE,
                 r[0], None, staff_import._snapshot(r))
                for event_id, r in zip(staff_import.new_ids(len(inserts)), inserts, strict=True)
            ]  # fmt: skip
            started = time.perf_counter()
            await bulk.insert_rows(StaffTransfer, staff_import.STAFF_COLUMNS, inserts)
            timings.append(time.perf_counter() - started)
            started = time.perf_counter()
            await bulk.insert_rows(AuditEvent, staff_import.AUDIT_COLUMNS, events)
            timings.append(time.perf_counter() - started)
            raise _RolledBack
    except _RolledBack:
        pass
    from app.tables.tables import Handover

    await Handover.delete().where(Handover.id == handover_id)
    return timings[0], timings[1]


async def _measure(rows: int, repeat: int) -> list[dict]:
    from app.database import is_postgres
    from app.migrate import migrate

    if not is_postgres():
        raise RuntimeError("the staff import benchmark needs HANDOVER_DATABASE_URL=postgresql://…")
    await migrate()
    data = staff_csv(rows)
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as file:
        file.write(data)
    try:
        copy_seconds = min([await _time_copy(file.name) for _ in range(repeat)])
        import_seconds, checking_seconds = min([await _time_import(data) for _ in range(repeat)])
        table_seconds, audit_seconds = min([await _time_registry_copy(data) for _ in range(repeat)])
    finally:
        os.unlink(file.name)
    ratio = import_seconds / copy_seconds
    return [
        {"benchmark": "staff import", "step": "COPY into a bare table", "rows": rows,
         "seconds": round(copy_seconds, 3), "ratio": 1.0, "limit": None, "ok": True},
        {"benchmark": "staff import", "step": "import_staff", "rows": rows,
         "seconds": round(import_seconds, 3), "ratio": round(ratio, 2), "limit": LIMIT,
         "ok": ratio <= LIMIT},
        {"benchmark": "staff import", "step": "of which reading and checking", "rows": rows,
         "seconds": round(checking_seconds, 3), "ratio": round(checking_seconds / copy_seconds, 2),
         "limit": None, "ok": True},
        {"benchmark": "staff import", "step": "COPY of its rows into staff_transfer alone",
         "rows": rows, "seconds": round(table_seconds, 3),
         "ratio": round(table_seconds / copy_seconds, 2), "limit": None, "ok": True},
        {"benchmark": "staff import", "step": "COPY of their audit events alone",
         "rows": rows, "seconds": round(audit_seconds, 3),
         "ratio": round(audit_seconds / copy_seconds, 2), "limit": None, "ok": True},
    ]  # fmt: skip


def run(rows: int = ROWS, repeat: int = 3) -> list[dict]:
    """The figures, one dict per measured step, for ``bench/run.py``."""
    return asyncio.run(_measure(rows, repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    results = run(arguments.rows, arguments.repeat)
    from rich.console import Console
    from rich.table import Table

    table = Table("step", "rows", "seconds", "× COPY", "limit", title="Staff import")
    for r in results:
        limit = f"≤ {r['limit']:.0f}×" if r["limit"] else ""
        table.add_row(
            r["step"], f"{r['rows']:,}", f"{r['seconds']:.3f}", f"{r['ratio']:.2f}", limit
        )
    Console().print(table)
    if not all(r["ok"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()

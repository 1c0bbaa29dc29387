"""The whole registry to one file and back: ``handover export FILE`` / ``handover import FILE``.

The file is JSON Lines (gzip-compressed when its name ends in ``.gz``): a header line with
the format, its version and the row count of each table; then per table a line naming
it and its columns, followed by one line per row (a JSON array, rows in primary-key
order). Values are canonical — UUIDs and dates as text, moments in UTC, JSON columns as
JSON, keys sorted — so two exports of the same registry are byte for byte the same,
whichever database they came from.

Every table of the registry's Piccolo app is in it (organisations, name history,
relations, officers, municipalities, services, provisions, handovers with their parties,
services, transitions, guarantees and milestones, staff transfers, service figures and
the whole audit trail), in foreign-key order. Deliberately left out:

- ``api_key``: secrets (hashes keyed by one server's secret); issue new keys instead.
- ``idempotent_request``: a short-lived replay cache of answers, not registry data.
- ``user_access`` and Piccolo's own user and session tables: logins and password
  hashes; people are created again with ``handover user create``.
- ``subscription`` and ``delivery``: callback URLs with their signing secrets, and the
  delivery state of one installation; subscribers subscribe again. The events
  themselves travel (the feed is history); ``event_counter`` is set from them.

Importing writes into an empty registry only, in one transaction, in bulk, and writes
no audit events of its own: the audit trail in the file is the registry's history.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from piccolo.columns import (
    JSON,
    JSONB,
    Boolean,
    Column,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Timestamptz,
)
from piccolo.engine.postgres import PostgresEngine
from piccolo.querystring import QueryString
from piccolo.table import Table

from app.database import DB, write_transaction
from app.errors import Conflict, InvalidInput
from app.exchange import bulk
from app.store.records import filled_tables
from app.store.versions import rebuild_versions
from app.tables.piccolo_app import APP_CONFIG

FORMAT = "overdrachtsregister-dump"
VERSION = 1
BATCH = 5_000
EXCLUDED = frozenset(
    {"api_key", "idempotent_request", "user_access", "subscription", "delivery", "event_counter"}
)

Progress = Callable[[int, int], None]


def dumped_tables() -> list[type[Table]]:
    """The registry's tables minus the excluded ones, referenced tables first."""
    tables = {
        t._meta.tablename: t for t in APP_CONFIG.table_classes if t._meta.tablename not in EXCLUDED
    }
    ordered: list[type[Table]] = []
    placed: set[str] = set()

    def place(name: str, path: tuple[str, ...] = ()) -> None:
        if name in placed or name not in tables:
            return
        if name in path:
            raise RuntimeError(f"foreign keys form a cycle through {name}")
        for column in tables[name]._meta.foreign_key_columns:
            target = column._foreign_key_meta.resolved_references._meta.tablename
            if target != name:
                place(target, (*path, name))
        placed.add(name)
        ordered.append(tables[name])

    for name in sorted(tables):
        place(name)
    return ordered


def _columns(table: type[Table]) -> list[Column]:
    return list(table._meta.columns)


def _is_json(column: Column) -> bool:
    return isinstance(column, (JSON, JSONB))


def _out(column: Column, value: Any) -> Any:
    """A value as the file holds it."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(column, DoublePrecision):
        return float(value)
    if _is_json(column) and isinstance(value, str):
        return json.loads(value)
    if isinstance(value, (str, int, float, bool, list, dict)):
        return value
    return str(value)  # UUIDs


def _in(column: Column, value: Any) -> Any:
    """A value from the file as the database takes it in a bulk insert."""
    if value is None:
        return None
    if _is_json(column):
        return json.dumps(value)
    if isinstance(column, Timestamptz):
        return datetime.fromisoformat(value)
    if isinstance(column, Date):
        return date.fromisoformat(value)
    if isinstance(column, DoublePrecision):
        return float(value)
    if isinstance(column, Boolean):
        return bool(value)
    if isinstance(column, Integer) and not isinstance(column, ForeignKey):
        return int(value)
    return value


def _line(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def _open(path: Path, mode: str) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, mode + "t", encoding="utf-8")  # type: ignore[return-value]
    return path.open(mode, encoding="utf-8", newline="\n")


async def _snapshot_transaction() -> Any:
    transaction = DB.transaction()
    await transaction.__aenter__()
    if isinstance(DB, PostgresEngine):
        await transaction.connection.execute(
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
        )
    return transaction


async def export_registry(path: Path, *, progress: Progress | None = None) -> dict[str, int]:
    """Write the registry to ``path``; the row count per table."""
    tables = dumped_tables()
    try:
        file = _open(path, "w")
    except OSError as error:
        raise InvalidInput(f"cannot write {path}: {error.strerror or error}") from None
    transaction = await _snapshot_transaction()
    try:
        with file:
            counts = {t._meta.tablename: await t.count() for t in tables}
            total, done = sum(counts.values()), 0
            if progress:
                progress(0, total)
            file.write(_line({"format": FORMAT, "version": VERSION, "tables": counts}))
            for table in tables:
                columns = _columns(table)
                names = [c._meta.name for c in columns]
                file.write(_line({"table": table._meta.tablename, "columns": names}))
                async for rows in _batches(table):
                    for row in rows:
                        file.write(_line([_out(c, row[c._meta.name]) for c in columns]))
                    done += len(rows)
                    if progress:
                        progress(done, total)
    finally:
        await transaction.__aexit__(None, None, None)
    return counts


async def _batches(table: type[Table]) -> Any:
    key = table._meta.primary_key
    last = None
    while True:
        query = table.select().order_by(key).limit(BATCH).output(load_json=True)
        if last is not None:
            query = query.where(key > last)
        rows = await query
        if not rows:
            return
        yield rows
        last = rows[-1][key._meta.name]


# --- import ---------------------------------------------------------------------------------


def _records(file: IO[str], where: str) -> Iterator[Any]:
    number = 1
    try:
        for number, text in enumerate(file, start=2):  # noqa: B007 - used after the loop
            yield json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{where} line {number}: not JSON ({error.msg})") from None
    except (OSError, EOFError, UnicodeDecodeError) as error:  # a damaged .gz, say
        raise InvalidInput(f"{where} cannot be read past line {number}: {error}") from None


def _header(file: IO[str], name: str) -> dict[str, int]:
    try:
        header = json.loads(file.readline() or "null")
    except (json.JSONDecodeError, UnicodeDecodeError, OSError, EOFError) as error:
        raise InvalidInput(f"{name} is not a registry export: {error}") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise InvalidInput(f"{name} is not a registry export (made by 'handover export')")
    if header.get("version") != VERSION:
        raise InvalidInput(
            f"{name} is an export of format version {header.get('version')}; "
            f"this registry reads version {VERSION}"
        )
    counts = header.get("tables")
    if not isinstance(counts, dict):
        raise InvalidInput(f"{name} has no table list in its first line")
    return counts


async def check_empty() -> None:
    if filled := await filled_tables(dumped_tables()):
        raise Conflict(
            "the registry is not empty, so an import could mix two registries: " + ", ".join(filled)
        )


async def import_registry(path: Path, *, progress: Progress | None = None) -> dict[str, int]:
    """Load an export into this (empty) registry, in one transaction; the rows per table."""
    try:
        file = _open(path, "r")
    except OSError as error:
        raise InvalidInput(f"cannot read {path}: {error.strerror}") from None
    with file:
        counts = _header(file, path.name)
        known = {t._meta.tablename: t for t in dumped_tables()}
        unknown = sorted(set(counts) - set(known))
        if unknown:
            raise InvalidInput(f"{path.name} holds tables this registry lacks: {unknown}")
        total, done = sum(counts.values()), 0
        loaded: dict[str, int] = {}
        async with write_transaction():
            await check_empty()
            if progress:
                progress(0, total)
            table: type[Table] | None = None
            columns: list[Column] = []
            pending: list[tuple[Any, ...]] = []
            later: list[tuple[Any, Any]] = []  # self-references, set once all rows exist
            self_at: int | None = None

            async def flush() -> None:
                nonlocal done
                if table is not None and pending:
                    await bulk.insert_rows(table, [c._meta.name for c in columns], pending)
                    done += len(pending)
                    loaded[table._meta.tablename] += len(pending)
                    pending.clear()
                    if progress:
                        progress(done, total)

            async def finish_table() -> None:
                await flush()
                if table is not None and later:
                    self_key = _self_reference(table)
                    assert self_key is not None
                    await bulk.update_rows(table, [self_key], [(v, i) for i, v in later])
                    later.clear()

            for record in _records(file, path.name):
                if isinstance(record, dict):
                    await finish_table()
                    table, columns = _table_of(record, known, path.name)
                    loaded[table._meta.tablename] = 0
                    self_key = _self_reference(table)
                    self_at = (
                        [c._meta.name for c in columns].index(self_key)
                        if self_key is not None
                        else None
                    )
                    continue
                if table is None or not isinstance(record, list) or len(record) != len(columns):
                    raise InvalidInput(f"{path.name}: a row that fits no table header")
                values = [_in(c, v) for c, v in zip(columns, record, strict=True)]
                if self_at is not None and values[self_at] is not None:
                    later.append((values[0], values[self_at]))
                    values[self_at] = None
                pending.append(tuple(values))
                if len(pending) >= BATCH:
                    await flush()
            await finish_table()
            await DB.run_querystring(
                QueryString(
                    "UPDATE event_counter SET last = "
                    "(SELECT COALESCE(MAX(sequence), 0) FROM event) WHERE id = 1"
                )
            )
            missing = {n: c for n, c in counts.items() if loaded.get(n, 0) != c}
            if missing:  # raised inside the transaction, so nothing stays written
                raise InvalidInput(f"{path.name} is cut short: rows expected per table {missing}")
            await rebuild_versions()
    return loaded


def _self_reference(table: type[Table]) -> str | None:
    for column in table._meta.foreign_key_columns:
        if column._foreign_key_meta.resolved_references is table:
            return column._meta.name
    return None


def _table_of(
    record: dict[str, Any], known: dict[str, type[Table]], name: str
) -> tuple[type[Table], list[Column]]:
    table = known.get(record.get("table", ""))
    if table is None:
        raise InvalidInput(f"{name}: unknown table {record.get('table')!r}")
    by_name = {c._meta.name: c for c in table._meta.columns}
    names = record.get("columns") or []
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise InvalidInput(f"{name}: table {table._meta.tablename} has no columns {unknown}")
    if table._meta.primary_key._meta.name != (names[0] if names else None):
        raise InvalidInput(f"{name}: table {table._meta.tablename} must start with its key")
    return table, [by_name[n] for n in names]

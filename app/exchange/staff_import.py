"""Staff transfers from an HR file (CSV or XLSX): all rows checked before any is written.

A row whose staff reference is new in the handover becomes a staff transfer; a row whose
reference is already there updates that transfer (its status moving forward only, as
``app.staff.rules.check_staff_status`` says), and an empty cell then keeps the value
the registry has. When any row is bad nothing is written, unless ``skip_invalid``: then
the good rows are. The write is one transaction.

Names go to ``staff_personal_data`` (the registry's one copy of personal data), never into
``staff_transfer`` or its audit events; the personal data written get one audit event per
import, by reference only.

The audit trail gets one event per row written, in the shape ``app.store.records``
writes (``create`` with the row after, ``update`` with before and after), all stamped
with the same moment: the audit trail answers who changed which row, as for every other
write (``?knownOn=`` reads the version tables, which the triggers fill). The events are
bulk inserted beside the rows, with time-ordered ids that PostgreSQL's indexes take fastest.
"""

from __future__ import annotations

import operator
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import anyio
import msgspec

from app.database import write_transaction
from app.errors import DomainError, InvalidInput
from app.exchange import bulk
from app.exchange.sheets import Sheet, read_sheet
from app.exchange.staff_columns import (
    FIELD_OF_HEADER,
    HEADERS,
    REQUIRED,
    normalise,
    parse_basis,
    parse_fte,
    parse_function,
    parse_name,
    parse_staff_ref,
    parse_status,
    parse_terms_retained,
)
from app.staff.rules import check_staff_status
from app.store import personal_data, records
from app.store.audit import record_event
from app.store.typed_rows import as_rows, columns_for
from app.tables.tables import (
    AuditEvent,
    Handover,
    HandoverService,
    StaffPersonalData,
    StaffTransfer,
)

BATCH = 5_000
LOW_62 = (1 << 62) - 1
RECORD_TYPE = records.record_type(StaffTransfer)

STAFF_COLUMNS = (
    "id",
    "handover",
    "staff_ref",
    "function",
    "fte",
    "service",
    "basis",
    "terms_retained",
    "status",
    "is_demo",
    "version",
)
PERSONAL_COLUMNS = ("id", "staff_transfer", "name", "recorded_at")
AUDIT_COLUMNS = (
    "id",
    "occurred_at",
    "actor",
    "action",
    "record_type",
    "record_id",
    "before",
    "after",
)
DEFAULTS: dict[str, Any] = {
    "name": None,
    "function": "",
    "service": None,
    "basis": "transfer_of_undertaking",
    "terms_retained": True,
    "status": "proposed",
}
OPTIONAL_PARSERS: dict[str, Callable[[str], Any]] = {
    "name": parse_name,
    "function": parse_function,
    "basis": parse_basis,
    "terms_retained": parse_terms_retained,
    "status": parse_status,
}


@dataclass(frozen=True, slots=True)
class RowProblem:
    """What is wrong with one row: the file's line, the column as headed there, why."""

    line: int
    field: str
    reason: str


@dataclass(slots=True)
class ImportReport:
    rows: int
    written: int
    problems: list[RowProblem] = field(default_factory=list)


Progress = Callable[[int, int], None]


def column_positions(header: list[str]) -> dict[str, int]:
    """Which column holds which field; ``InvalidInput`` for a missing or doubled one."""
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        field_name = FIELD_OF_HEADER.get(normalise(title))
        if field_name is None:
            continue  # other columns of an HR export are not the registry's business
        if field_name in positions:
            raise InvalidInput(
                f"two columns mean {field_name}: {header[positions[field_name]]!r} and {title!r}",
                field="file",
            )
        positions[field_name] = index
    missing = [f for f in REQUIRED if f not in positions]
    if missing:
        names = "; ".join(f"{f} ({' / '.join(HEADERS[f][:2])})" for f in missing)
        raise InvalidInput(f"the file has no column for {names}", field="file")
    return positions


def column_labels(header: list[str]) -> dict[str, str]:
    """Each field's column as the file heads it, for the report."""
    labels = {f: f for f in HEADERS}
    for title in header:
        if (field_name := FIELD_OF_HEADER.get(normalise(title))) is not None:
            labels[field_name] = title.strip() or field_name
    return labels


class _Bad:
    """A cell that could not be read, and why."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


#: A cell left empty: a new staff transfer gets the default, an existing one keeps its value.
EMPTY: Any = object()


def _parse_column(
    cells: list[str], parse: Callable[[str], Any], required: bool, unique_text: int | None
) -> tuple[list[Any], bool]:
    """The column's values, and whether any is bad.

    Most columns repeat few values (functions, statuses), so each distinct cell is read
    once. Columns of text that differs per row (``unique_text``: its maximum length) are
    stripped at once, and only the empty or too long cells go through ``parse``.
    """

    def read(text: str) -> Any:
        try:
            return parse(text) if required or text.strip() else EMPTY
        except ValueError as error:
            return _Bad(str(error))

    if unique_text is not None:
        column = list(map(str.strip, cells))
        odd = [i for i, v in enumerate(column) if not v or len(v) > unique_text]
        for i in odd:
            column[i] = read(cells[i])
        return column, any(column[i].__class__ is _Bad for i in odd)
    values = {text: read(text) for text in set(cells)}
    return list(map(values.__getitem__, cells)), any(v.__class__ is _Bad for v in values.values())


@dataclass(slots=True)
class ParsedStaff:
    """The file's rows read column by column; ``good`` indexes the rows without problems."""

    lines: list[int]
    labels: dict[str, str]
    columns: dict[str, list[Any]]
    good: list[int]
    problems: list[RowProblem]


#: field → its parser, whether it is required, and the maximum length of per-row text.
PARSERS: dict[str, tuple[Callable[[str], Any], bool, int | None]] = {
    "staff_ref": (parse_staff_ref, True, 60),
    "fte": (parse_fte, True, None),
    **{f: (p, False, 200 if f == "name" else None) for f, p in OPTIONAL_PARSERS.items()},
    "service": (str.strip, False, None),
}


def parse_rows(sheet: Sheet) -> ParsedStaff:
    """Every row checked on its own (no database yet)."""
    positions = column_positions(sheet.header)
    labels = column_labels(sheet.header)
    width = len(sheet.header)
    rows = [r if len(r) >= width else r + [""] * (width - len(r)) for r in sheet.rows]
    columns: dict[str, list[Any]] = {}
    problems: list[RowProblem] = []
    bad: set[int] = set()
    for name, (parse, required, unique_text) in PARSERS.items():
        if name not in positions:
            continue
        cells = list(map(operator.itemgetter(positions[name]), rows))
        column, has_bad = _parse_column(cells, parse, required, unique_text)
        columns[name] = column
        if has_bad:
            for i, value in enumerate(column):
                if value.__class__ is _Bad:
                    problems.append(RowProblem(sheet.lines[i], labels[name], value.reason))
                    bad.add(i)
    refs = columns["staff_ref"]
    if len(set(refs)) != len(refs):
        first_index: dict[str, int] = {}
        for i, ref in enumerate(refs):
            if ref.__class__ is _Bad:
                continue
            if ref in first_index:
                line = sheet.lines[first_index[ref]]
                reason = f"{ref} is already on line {line}"
                problems.append(RowProblem(sheet.lines[i], labels["staff_ref"], reason))
                bad.add(i)
            else:
                first_index[ref] = i
    good = [i for i in range(len(rows)) if i not in bad] if bad else list(range(len(rows)))
    return ParsedStaff(sheet.lines, labels, columns, good, problems)


StaffSnapshot = msgspec.defstruct("StaffSnapshot", [(c, Any) for c in STAFF_COLUMNS])
_encode = msgspec.json.Encoder().encode


def _snapshot(values: tuple[Any, ...]) -> str:
    """An inserted row (``STAFF_COLUMNS`` order) as its audit snapshot, JSON text."""
    return _encode(StaffSnapshot(*values)).decode()


def _json(row: dict[str, Any]) -> str:
    """The row (every column, ids as text) as ``app.store.audit.snapshot`` records it."""
    return msgspec.json.encode(row).decode()


def new_ids(count: int) -> list[str]:
    """Time-ordered UUIDs (version 7, RFC 9562) as text, many at once.

    ``uuid4()`` costs more than the row it names at 100,000 rows; and ids that follow
    each other let PostgreSQL append to its indexes instead of inserting at random.
    """
    millis = time.time_ns() // 1_000_000
    start = int.from_bytes(os.urandom(8)) >> 2
    head = (millis << 80) | (0x7 << 76) | (int.from_bytes(os.urandom(2)) & 0xFFF) << 64
    ids = []
    for i in range(count):
        h = f"{head | (0b10 << 62) | ((start + i) & LOW_62):032x}"
        ids.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return ids


class MovedServiceNameRow(msgspec.Struct, frozen=True):
    service: UUID
    service_name: str = msgspec.field(name="service.name")


async def _services_by_name(handover_id: UUID) -> dict[str, tuple[str, str]]:
    rows = await HandoverService.select(*columns_for(MovedServiceNameRow, HandoverService)).where(
        HandoverService.handover == handover_id
    )
    return {
        r.service_name.casefold(): (str(r.service), r.service_name)
        for r in as_rows(MovedServiceNameRow, rows)
    }


async def import_staff(
    handover_id: UUID,
    data: bytes,
    filename: str,
    *,
    skip_invalid: bool = False,
    actor: str,
    progress: Progress | None = None,
) -> ImportReport:
    """Read, check and (when all is well, or ``skip_invalid``) write a staff file."""
    # Reading and checking a large file takes seconds: off the event loop, so the other
    # requests (and /health) are answered meanwhile.
    parsed = await anyio.to_thread.run_sync(lambda: parse_rows(read_sheet(data, filename)))
    async with write_transaction():
        await records.get_row(Handover, handover_id)
        inserts, names, updates = await _plan(handover_id, parsed)
        problems = sorted(parsed.problems, key=lambda p: p.line)
        report = ImportReport(rows=len(parsed.lines), written=0, problems=problems)
        if problems and not skip_invalid:
            return report
        report.written = await _write(handover_id, inserts, names, updates, actor, progress)
        if report.written:
            # The handover's staff summary changed, so its version (the API's ETag) moves on.
            await Handover.update({Handover.version: Handover.version + 1}).where(
                Handover.id == handover_id
            )
    return report


Updates = list[tuple[dict[str, Any], dict[str, Any]]]
Names = list[tuple[str, str]]  # (staff transfer id, name) to hold in staff_personal_data


MISSING: Any = object()  # a service name that is not one of the handover's


async def _plan(
    handover_id: UUID, parsed: ParsedStaff
) -> tuple[list[tuple[Any, ...]], Names, Updates]:
    """The rows to insert (in ``STAFF_COLUMNS`` order), the names to hold, and the
    (before, after) pairs to update (with ``name``, which ``_write`` keeps out of the row
    and its audit event); problems go to ``parsed``. Column by column: 100,000 rows must
    stay fast."""
    services = await _services_by_name(handover_id)
    existing = {
        r["staff_ref"]: r
        for r in await StaffTransfer.select(*StaffTransfer.all_columns(), personal_data.NAME).where(
            StaffTransfer.handover == handover_id
        )
    }
    for row in existing.values():
        row["id"], row["handover"] = str(row["id"]), str(row["handover"])
        row["service"] = str(row["service"]) if row["service"] else None
    labels, columns, lines = parsed.labels, parsed.columns, parsed.lines
    good = parsed.good
    if "service" in columns:
        found = {
            name: (EMPTY if name is EMPTY else services.get(name.casefold(), (MISSING,))[0])
            for name in set(columns["service"])
        }
        columns = {**columns, "service": [found[name] for name in columns["service"]]}
        if MISSING in found.values():
            known = ", ".join(sorted(name for _, name in services.values())) or "none"
            unknown = {i for i in good if columns["service"][i] is MISSING}
            for i in sorted(unknown):
                name = parsed.columns["service"][i]
                reason = f"{name!r} is not a service of this handover ({known})"
                parsed.problems.append(RowProblem(lines[i], labels["service"], reason))
            good = [i for i in good if i not in unknown]
    refs, ftes = columns["staff_ref"], columns["fte"]
    new = [i for i in good if refs[i] not in existing]

    def filled(name: str) -> list[Any]:
        if name not in columns:
            return [DEFAULTS[name]] * len(new)
        default, column = DEFAULTS[name], columns[name]
        return [default if (v := column[i]) is EMPTY else v for i in new]

    ids = new_ids(len(new))
    names: Names = [(i, n) for i, n in zip(ids, filled("name"), strict=True) if n is not None]
    inserts = list(
        zip(
            ids,
            [str(handover_id)] * len(new),
            [refs[i] for i in new],
            filled("function"),
            [ftes[i] for i in new],
            filled("service"),
            filled("basis"),
            filled("terms_retained"),
            filled("status"),
            [False] * len(new),
            [1] * len(new),
            strict=True,
        )
    )
    optional = [(f, columns[f]) for f in (*OPTIONAL_PARSERS, "service") if f in columns]
    updates: Updates = []
    for i in good:
        before = existing.get(refs[i])
        if before is None:
            continue
        values = {f: column[i] for f, column in optional if column[i] is not EMPTY}
        if "status" in values:
            try:
                check_staff_status(before["status"], values["status"])
            except DomainError as error:
                parsed.problems.append(RowProblem(lines[i], labels["status"], error.detail))
                continue
        after = {**before, "fte": ftes[i], **values}
        if after != before:
            after["version"] = before["version"] + 1
            updates.append((before, after))
            if after["name"] != before["name"]:
                names.append((after["id"], after["name"]))
    return inserts, names, updates


def _without_name(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "name"}


async def _write(
    handover_id: UUID,
    inserts: list[tuple[Any, ...]],
    names: Names,
    updates: Updates,
    actor: str,
    progress: Progress | None,
) -> int:
    total = len(inserts) + len(updates)
    done = 0
    if progress:
        progress(0, total)
    now = datetime.now(UTC)
    event_ids = iter(new_ids(total))
    for start in range(0, len(inserts), BATCH):
        batch = inserts[start : start + BATCH]
        await bulk.insert_rows(StaffTransfer, STAFF_COLUMNS, batch)
        await bulk.insert_rows(
            AuditEvent,
            AUDIT_COLUMNS,
            [
                (next(event_ids), now, actor, "create", RECORD_TYPE, r[0], None, _snapshot(r))
                for r in batch
            ],
        )
        done += len(batch)
        if progress:
            progress(done, total)
    changed = [c for c in STAFF_COLUMNS if c not in {"id", "handover"}]
    for start in range(0, len(updates), BATCH):
        batch = updates[start : start + BATCH]
        await bulk.update_rows(
            StaffTransfer, changed, [(*(a[c] for c in changed), a["id"]) for _, a in batch]
        )
        await bulk.insert_rows(
            AuditEvent,
            AUDIT_COLUMNS,
            [
                (
                    next(event_ids),
                    now,
                    actor,
                    "update",
                    RECORD_TYPE,
                    a["id"],
                    _json(_without_name(b)),
                    _json(_without_name(a)),
                )
                for b, a in batch
            ],
        )
        done += len(batch)
        if progress:
            progress(done, total)
    await _write_names(handover_id, names, actor, now)
    return total


async def _write_names(handover_id: UUID, names: Names, actor: str, now: datetime) -> None:
    if not names:
        return
    ids = [staff_id for staff_id, _ in names]
    for start in range(0, len(ids), BATCH):
        await StaffPersonalData.delete().where(
            StaffPersonalData.staff_transfer.is_in(ids[start : start + BATCH])
        )
    row_ids = iter(new_ids(len(names)))
    for start in range(0, len(names), BATCH):
        await bulk.insert_rows(
            StaffPersonalData,
            PERSONAL_COLUMNS,
            [(next(row_ids), i, n, now) for i, n in names[start : start + BATCH]],
        )
    await record_event(
        actor=actor,
        action="import",
        record_type=personal_data.RECORD_TYPE,
        record_id=handover_id,
        after={"handover": str(handover_id), "staff_transfers": len(names), "fields": ["name"]},
    )

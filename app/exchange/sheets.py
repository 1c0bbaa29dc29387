"""Reading a table out of a file as HR systems and Excel write them: CSV or XLSX.

CSV comes with a semicolon (Dutch Excel), a comma or a tab between the fields, in UTF-8
with or without a byte order mark, in UTF-16 ("Unicode text"), or in Windows-1252 from
older exports. Every cell comes back as a string, with the line it was read from.

A file is read within limits a setting can raise (``ImportLimits``), checked while it is
read, so that a small hostile file cannot take a worker's memory or time: rows, columns,
characters in a cell, and bytes — for XLSX the sizes the zip declares, before anything
is inflated. A file past a limit is a 413 (size) or 422 (shape) naming the setting; a
broken or hostile file (bad encoding, bad zip, truncated or entity-defining XML) a 422.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.errors import FileLimitExceeded, FileTooLarge, InvalidInput, UnreadableFile
from app.exchange.cells import unquote_formula
from app.settings import get_settings

DELIMITERS = (";", ",", "\t")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


@dataclass(slots=True)
class Sheet:
    """A header and the rows under it; ``lines[i]`` is where ``rows[i]`` began."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]


@dataclass(frozen=True, slots=True)
class ImportLimits:
    max_rows: int
    max_columns: int
    max_cell: int
    max_bytes_unpacked: int

    @classmethod
    def from_settings(cls) -> ImportLimits:
        settings = get_settings()
        return cls(
            max_rows=settings.import_max_rows,
            max_columns=settings.import_max_columns,
            max_cell=settings.import_max_cell,
            max_bytes_unpacked=settings.import_max_bytes_unpacked,
        )


def read_sheet(data: bytes, filename: str, limits: ImportLimits | None = None) -> Sheet:
    """The table in ``data``; ``InvalidInput`` when it is no CSV or XLSX file we can read."""
    limits = limits or ImportLimits.from_settings()
    if len(data) > limits.max_bytes_unpacked:
        raise FileTooLarge(
            f"the file has {len(data)} bytes; at most {limits.max_bytes_unpacked} are read",
            setting="HANDOVER_IMPORT_MAX_BYTES_UNPACKED",
        )
    name = filename.lower()
    if data.startswith(OLE_MAGIC) or name.endswith(".xls"):
        raise InvalidInput(
            "old Excel files (.xls) cannot be read: save the sheet as .xlsx or .csv", field="file"
        )
    if data.startswith(ZIP_MAGIC):
        return _read_xlsx(data, limits)
    if name.endswith((".xlsx", ".xlsm")):
        raise InvalidInput(f"{filename} is not a readable XLSX file", field="file")
    if not name.endswith((".csv", ".txt", ".tsv")) and "." in name.rsplit("/", 1)[-1]:
        raise InvalidInput(
            f"unknown file format of {filename}: send CSV (.csv) or Excel (.xlsx)", field="file"
        )
    return _read_csv(decode_text(data), limits)


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnreadableFile(
                f"the file says it is UTF-16 text but is not: {error.reason} at byte {error.start}",
                field="file",
            ) from None
    if b"\x00" in data[:4096]:
        raise InvalidInput("the file is binary, not CSV text", field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel's "CSV (puntkomma gescheiden)" on Windows writes Windows-1252.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise InvalidInput(
            "the file is neither UTF-8 nor Windows-1252 text", field="file"
        ) from None


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of the header line: names rarely hold one, unlike data ("0,8")."""
    counts = {d: _count_outside_quotes(header_line, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def _read_csv(text: str, limits: ImportLimits) -> Sheet:
    text = text.lstrip("\ufeff")
    first_line = next((line for line in io.StringIO(text) if line.strip()), "")
    if not first_line:
        raise InvalidInput("the file is empty", field="file")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        if '"' not in text:  # no quoted line breaks: each record is one line
            numbered = _within_limits(
                ((n, r) for n, r in enumerate(reader, start=1) if "".join(r).strip()), limits
            )
        else:

            def records() -> Iterable[tuple[int, list[str]]]:
                start = 1
                for record in reader:
                    if "".join(record).strip():
                        yield start, record
                    start = reader.line_num + 1

            numbered = _within_limits(records(), limits)
    except csv.Error as error:
        raise InvalidInput(f"line {reader.line_num}: {error}", field="file") from None
    header = numbered[0][1] if numbered else None
    rows = [r for _, r in numbered[1:]]
    lines = [n for n, _ in numbered[1:]]
    return Sheet(header or [], rows, lines)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _within_limits(
    numbered: Iterable[tuple[int, list[str]]], limits: ImportLimits
) -> list[tuple[int, list[str]]]:
    """The non-empty records, refused as soon as one is past a limit (the first is the header),
    with the quote a staff export puts before a formula taken off."""
    kept: list[tuple[int, list[str]]] = []
    for line, record in numbered:
        if len(record) > limits.max_columns:
            raise FileLimitExceeded(
                f"line {line} has more than {limits.max_columns} columns",
                setting="HANDOVER_IMPORT_MAX_COLUMNS",
            )
        if len(kept) > limits.max_rows:  # the header and max_rows rows are kept already
            raise FileLimitExceeded(
                f"the file has more than {limits.max_rows} rows",
                setting="HANDOVER_IMPORT_MAX_ROWS",
            )
        for cell in record:
            if len(cell) > limits.max_cell:
                raise FileLimitExceeded(
                    f"line {line} has a cell of more than {limits.max_cell} characters",
                    setting="HANDOVER_IMPORT_MAX_CELL",
                )
        # A staff export quotes text that looks like a formula; read back, it is the text.
        kept.append((line, [unquote_formula(cell) for cell in record]))
    return kept


#: What a staff workbook never needs and an attacker does: entities (billion laughs, XXE).
#: openpyxl parses with defusedxml as well; this refuses such a file with a clear reason.
XML_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
CHUNK = 1024 * 1024

#: What a broken zip or broken XML raises inside zipfile, zlib, ElementTree and openpyxl
#: (``SyntaxError`` covers ElementTree's ``ParseError``, ``ValueError`` defusedxml's).
BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    ValueError,
    SyntaxError,
    OSError,
)


def _check_zip(data: bytes, limits: ImportLimits) -> None:
    """The zip's declared sizes within the limit, before inflating; then no DTD in its XML."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            declared = sum(member.file_size for member in members)
            if declared > limits.max_bytes_unpacked:
                raise FileTooLarge(
                    f"the XLSX file unpacks to {declared} bytes; at most "
                    f"{limits.max_bytes_unpacked} are read",
                    setting="HANDOVER_IMPORT_MAX_BYTES_UNPACKED",
                )
            for member in members:
                # Reading stops at the declared size: zipfile checks it and the CRC.
                with archive.open(member) as stream:
                    tail = b""
                    while chunk := stream.read(CHUNK):
                        window = tail + chunk
                        if any(declaration in window for declaration in XML_DECLARATIONS):
                            raise UnreadableFile(
                                f"{member.filename} declares a DTD or entities, which no "
                                "spreadsheet needs; the file is refused",
                                field="file",
                            )
                        tail = chunk[-16:]
    except BROKEN as error:
        raise UnreadableFile(f"not a readable XLSX file: {error}", field="file") from None


def _read_xlsx(data: bytes, limits: ImportLimits) -> Sheet:
    from openpyxl import load_workbook

    _check_zip(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except BROKEN as error:
        raise UnreadableFile(f"not a readable XLSX file: {error}", field="file") from None
    try:
        sheet = workbook.active
        if sheet is None:
            raise InvalidInput("the workbook has no sheet", field="file")
        # The <dimension> a file declares may be A1:XFD1048576, and read-only openpyxl
        # pads every row to it: trust only the cells that are there.
        sheet.reset_dimensions()
        numbered = _within_limits(_xlsx_records(sheet, limits), limits)
    except BROKEN as error:
        raise UnreadableFile(f"not a readable XLSX file: {error}", field="file") from None
    finally:
        workbook.close()
    if not numbered:
        raise InvalidInput("the file is empty", field="file")
    header = numbered[0][1]
    return Sheet(header, [r for _, r in numbered[1:]], [n for n, _ in numbered[1:]])


def _xlsx_records(sheet: Any, limits: ImportLimits) -> Iterable[tuple[int, list[str]]]:
    """The non-empty rows, without trailing empty cells, read no wider than the limit + 1."""
    rows = sheet.iter_rows(max_col=limits.max_columns + 1, values_only=True)
    # openpyxl yields an empty row for each row number a file skips, so one cell on row
    # 1048576 is a million rows; blank rows are allowed up to as many as the rows counted.
    last = 2 * limits.max_rows + 1
    for number, values in enumerate(rows, start=1):
        if number > last:
            raise FileLimitExceeded(
                f"the sheet goes on past row {last}; at most {limits.max_rows} rows are read",
                setting="HANDOVER_IMPORT_MAX_ROWS",
            )
        if values.count(None) == len(values):
            continue
        record = [cell_text(v) for v in values]
        while record and not record[-1].strip():
            record.pop()
        if record and any(cell.strip() for cell in record):
            yield number, record

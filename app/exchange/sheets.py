"""Reading a table out of a file as HR systems and Excel write them: CSV or XLSX.

CSV comes with a semicolon (Dutch Excel), a comma or a tab between the fields, in UTF-8
with or without a byte order mark, in UTF-16 ("Unicode text"), or in Windows-1252 from
older exports. Every cell comes back as a string, with the line it was read from.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.errors import InvalidInput

DELIMITERS = (";", ",", "\t")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


@dataclass(slots=True)
class Sheet:
    """A header and the rows under it; ``lines[i]`` is where ``rows[i]`` began."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]


def read_sheet(data: bytes, filename: str) -> Sheet:
    """The table in ``data``; ``InvalidInput`` when it is no CSV or XLSX file we can read."""
    name = filename.lower()
    if data.startswith(OLE_MAGIC) or name.endswith(".xls"):
        raise InvalidInput(
            "old Excel files (.xls) cannot be read: save the sheet as .xlsx or .csv", field="file"
        )
    if data.startswith(ZIP_MAGIC):
        return _read_xlsx(data)
    if name.endswith((".xlsx", ".xlsm")):
        raise InvalidInput(f"{filename} is not a readable XLSX file", field="file")
    if not name.endswith((".csv", ".txt", ".tsv")) and "." in name.rsplit("/", 1)[-1]:
        raise InvalidInput(
            f"unknown file format of {filename}: send CSV (.csv) or Excel (.xlsx)", field="file"
        )
    return _read_csv(decode_text(data))


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
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


def _read_csv(text: str) -> Sheet:
    text = text.lstrip("\ufeff")
    first_line = next((line for line in io.StringIO(text) if line.strip()), "")
    if not first_line:
        raise InvalidInput("the file is empty", field="file")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        if '"' not in text:  # no quoted line breaks: each record is one line
            numbered = [(n, r) for n, r in enumerate(reader, start=1) if "".join(r).strip()]
        else:
            numbered = []
            start = 1
            for record in reader:
                if "".join(record).strip():
                    numbered.append((start, record))
                start = reader.line_num + 1
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


def _read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InvalidInput(f"not a readable XLSX file: {error}", field="file") from None
    try:
        sheet = workbook.active
        if sheet is None:
            raise InvalidInput("the workbook has no sheet", field="file")
        header: list[str] | None = None
        rows: list[list[str]] = []
        lines: list[int] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            record = [cell_text(v) for v in values]
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = record
            else:
                rows.append(record)
                lines.append(number)
    finally:
        workbook.close()
    if header is None:
        raise InvalidInput("the file is empty", field="file")
    return Sheet(header, rows, lines)

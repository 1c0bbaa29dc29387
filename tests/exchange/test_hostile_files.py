"""Hostile and broken staff files: limits, a 413 or 422 problem, never a 500 or a stall
(issue 17, points 1 and 6)."""

from __future__ import annotations

import asyncio
import io
import threading
import time
import zipfile

import pytest
from openpyxl import Workbook

from app.errors import FileLimitExceeded, UnreadableFile
from app.exchange import staff_import
from app.exchange.sheets import ImportLimits, read_sheet
from tests.exchange.conftest import staff_csv
from tests.helpers import bearer

HEADER = ["personeelsnummer", "naam", "functie", "fte", "dienst"]
SMALL = ImportLimits(max_rows=3, max_columns=6, max_cell=20, max_bytes_unpacked=100_000)


def imports(handover) -> str:
    return f"/api/v1/handovers/{handover['id']}/staff/imports"


def workbook_bytes(*rows: list) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewritten(data: bytes, member: str, change) -> bytes:
    """``data`` with one zip member's bytes passed through ``change``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == member:
                content = change(content)
            target.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
ROWS = (HEADER, ["H-1", "Anna", "coach", 0.8, "Proefdienst A"])


async def post(client, keys, handover, data: bytes, content_type: str):
    headers = {**bearer(keys["registrar"]), "Content-Type": content_type}
    return await client.post(imports(handover), content=data, headers=headers)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def assert_problem(response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    detail = response.json()["detail"]
    for word in words:
        assert word in detail


async def test_a_20000_column_header_is_a_quick_422(client, keys, handover) -> None:
    data = staff_csv(
        "H-1;Anna;coach;0,8;Proefdienst A;", header=";".join(f"k{i}" for i in range(20_000))
    )
    started = time.monotonic()
    response = await post(client, keys, handover, data, "text/csv")
    assert time.monotonic() - started < 5
    assert_problem(response, 422, "50 columns", "HANDOVER_IMPORT_MAX_COLUMNS")


def test_csv_rows_and_cells_past_the_limits() -> None:
    many = staff_csv(*[f"H-{i};Anna;coach;0,8;;" for i in range(4)]).replace(b";status", b"")
    with pytest.raises(FileLimitExceeded, match="HANDOVER_IMPORT_MAX_ROWS"):
        read_sheet(many, "x.csv", SMALL)
    assert len(read_sheet(many.rsplit(b"H-3", 1)[0], "x.csv", SMALL).rows) == 3
    with pytest.raises(FileLimitExceeded, match="HANDOVER_IMPORT_MAX_CELL"):
        read_sheet(staff_csv("H-1;" + "A" * 21 + ";;;;"), "x.csv", SMALL)
    with pytest.raises(FileLimitExceeded, match="HANDOVER_IMPORT_MAX_COLUMNS"):
        read_sheet(staff_csv("H-1;Anna;;;;;;"), "x.csv", SMALL)


async def test_an_xlsx_declaring_the_whole_sheet_reads_its_few_rows(
    client, exchange_world, handover
) -> None:
    data = rewritten(
        workbook_bytes(*ROWS),
        SHEET,
        lambda xml: xml.replace(b'<dimension ref="A1:E2"/>', b'<dimension ref="A1:XFD1048576"/>'),
    )
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    sheet = read_sheet(data, "x.xlsx")
    assert sheet.header == HEADER
    assert sheet.rows == [["H-1", "Anna", "coach", "0.8", "Proefdienst A"]]
    response = await post(client, {"registrar": exchange_world["hr_key"]}, handover, data, XLSX)
    assert response.status_code == 200, response.text
    assert response.json()["written"] == 1


def test_xlsx_rows_and_columns_past_the_limits() -> None:
    wide = workbook_bytes(HEADER, ["H-1", "Anna", "coach", 0.8, "A", None, "seventh"])
    with pytest.raises(FileLimitExceeded, match="HANDOVER_IMPORT_MAX_COLUMNS"):
        read_sheet(wide, "x.xlsx", SMALL)
    many = workbook_bytes(HEADER, *[[f"H-{i}"] for i in range(4)])
    with pytest.raises(FileLimitExceeded, match="HANDOVER_IMPORT_MAX_ROWS"):
        read_sheet(many, "x.xlsx", SMALL)
    far = rewritten(
        workbook_bytes(*ROWS),
        SHEET,
        lambda xml: xml.replace(
            b"</sheetData>",
            b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
            b"</sheetData>",
        ),
    )
    started = time.monotonic()
    with pytest.raises(FileLimitExceeded, match="HANDOVER_IMPORT_MAX_ROWS"):
        read_sheet(far, "x.xlsx", SMALL)
    assert time.monotonic() - started < 2


async def test_an_xlsx_unpacking_past_the_limit_is_a_413_before_inflating(
    client, keys, handover
) -> None:
    # 60 MB of one character compresses to some 60 KB
    data = rewritten(workbook_bytes(*ROWS), "docProps/app.xml", lambda xml: xml + b" " * 60_000_000)
    assert len(data) < 1_000_000
    response = await post(client, keys, handover, data, XLSX)
    assert_problem(response, 413, "HANDOVER_IMPORT_MAX_BYTES_UNPACKED")


ENTITIES = (
    b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
)


async def test_an_xlsx_defining_entities_is_a_422(client, keys, handover) -> None:
    def with_entities(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[-1]
        return ENTITIES + body.replace(b"<t>Anna</t>", b"<t>&lol2;</t>")

    data = rewritten(workbook_bytes(*ROWS), SHEET, with_entities)
    assert b"<!ENTITY" in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    response = await post(client, keys, handover, data, XLSX)
    assert_problem(response, 422, "entities")


def test_openpyxl_parses_with_defusedxml() -> None:
    from defusedxml.ElementTree import iterparse as defused
    from openpyxl import DEFUSEDXML
    from openpyxl.worksheet import _reader

    assert DEFUSEDXML is True
    assert _reader.iterparse is defused


async def test_broken_files_are_a_422_report(client, keys, handover) -> None:
    odd_utf16 = "personeelsnummer;naam\r\nH-1;Anna\r\n".encode("utf-16") + b"\x00"
    assert len(odd_utf16) % 2 == 1
    response = await post(client, keys, handover, odd_utf16, "text/csv")
    assert_problem(response, 422, "UTF-16")

    truncated = rewritten(workbook_bytes(*ROWS), SHEET, lambda xml: xml[: len(xml) // 2])
    response = await post(client, keys, handover, truncated, XLSX)
    assert_problem(response, 422, "XLSX")

    response = await post(client, keys, handover, b"PK\x03\x04 not really a zip", XLSX)
    assert_problem(response, 422, "XLSX")
    with pytest.raises(UnreadableFile):
        read_sheet(truncated, "x.xlsx")


async def test_the_file_is_parsed_off_the_event_loop(handover, monkeypatch) -> None:
    real = staff_import.read_sheet
    threads = []

    def slow(data: bytes, filename: str):
        threads.append(threading.current_thread())
        time.sleep(1.0)  # blocks its thread, as parsing a large file does
        return real(data, filename)

    monkeypatch.setattr(staff_import, "read_sheet", slow)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.05)

    beat = asyncio.create_task(ticker())
    try:
        data = staff_csv("H-1;Anna;coach;0,8;Proefdienst A;")
        report = await staff_import.import_staff(handover["id"], data, "x.csv", actor="test")
    finally:
        beat.cancel()
    assert report.written == 1
    assert threads[0] is not threading.main_thread()
    assert ticks >= 10  # the event loop went on answering during the parse

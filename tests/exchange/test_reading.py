"""Reading HR files: delimiters, encodings, decimal commas, headers, and bad rows as problems."""

from __future__ import annotations

import contextlib
import csv
import io
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from openpyxl import Workbook

from app.errors import InvalidInput
from app.exchange.sheets import read_sheet
from app.exchange.staff_columns import parse_basis, parse_fte, parse_status, parse_terms_retained
from app.exchange.staff_import import EMPTY, parse_rows

HEADER = ["personeelsnummer", "naam", "functie", "fte", "dienst", "grondslag", "status"]

cell_text = st.text(
    alphabet=st.characters(codec="cp1252", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    max_size=12,
).filter(lambda t: t.strip() == t)


def encode(rows: list[list[str]], delimiter: str, encoding: str) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


@given(
    rows=st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=6),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_any_delimiter_and_encoding_reads_back_the_same_cells(rows, delimiter, encoding) -> None:
    header = ["personeelsnummer", "naam", "fte"]
    kept = [r for r in rows if "".join(r).strip()]  # blank lines are skipped
    data = encode([header, *rows], delimiter, encoding)
    if encoding == "cp1252":
        # cp1252 text that is valid UTF-8 too ("Â¡" is the UTF-8 of "¡") reads as UTF-8,
        # as any reader must guess: no file tells which it meant.
        with contextlib.suppress(UnicodeDecodeError):
            assume(data.decode("utf-8") == data.decode("cp1252"))
    sheet = read_sheet(data, "personeel.csv")
    assert sheet.header == header
    assert sheet.rows == kept


@given(
    fte=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1.5"), places=2),
    comma=st.booleans(),
)
def test_fte_with_decimal_comma_or_point(fte: Decimal, comma: bool) -> None:
    text = str(fte).replace(".", "," if comma else ".")
    assert parse_fte(text) == float(fte)


@pytest.mark.parametrize("text", ["", "0", "0,0", "1,6", "abc", "0,8,1", "-0,5", "1.000,5"])
def test_fte_outside_the_range_or_not_a_number_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        parse_fte(text)


def test_dutch_and_english_words_for_basis_status_and_terms() -> None:
    assert parse_basis("Overgang van onderneming") == "transfer_of_undertaking"
    assert parse_basis("transfer_of_undertaking") == "transfer_of_undertaking"
    assert parse_basis("Detachering") == "secondment"
    assert parse_basis("gaat niet over") == "not_transferring"
    assert parse_status("Geïnformeerd") == "informed"
    assert parse_status("agreed") == "agreed"
    assert parse_status("Overgegaan") == "transferred"
    assert parse_terms_retained("Ja") is True
    assert parse_terms_retained("nee") is False
    assert parse_terms_retained("") is True


def test_line_numbers_count_blank_and_quoted_multiline_rows() -> None:
    data = (
        b'\xef\xbb\xbfpersoneelsnummer;naam;fte\r\nA1;"Anna\r\nVoorbeeld";0,8\r\n'
        b";;\r\nA2;Bram;1\r\n"
    )
    sheet = read_sheet(data, "x.csv")
    assert sheet.rows == [["A1", "Anna\r\nVoorbeeld", "0,8"], ["A2", "Bram", "1"]]
    assert sheet.lines == [2, 5]


def test_bad_rows_become_problems_with_line_column_and_reason() -> None:
    rows = [
        HEADER,
        ["P1", "Anna", "consulent", "0,8", "Link050", "overgang van onderneming", "akkoord"],
        ["", "Bram", "consulent", "0,8", "", "", ""],
        ["P3", "Carla", "consulent", "twee", "", "", ""],
        ["P4", "Daan", "consulent", "0,5", "", "ontslag", "misschien"],
        ["P1", "Eva", "consulent", "0,5", "", "", ""],
    ]
    parsed = parse_rows(read_sheet(encode(rows, ";", "utf-8-sig"), "x.csv"))
    found = {(p.line, p.field) for p in parsed.problems}
    assert found == {
        (3, "personeelsnummer"),
        (4, "fte"),
        (5, "grondslag"),
        (5, "status"),
        (6, "personeelsnummer"),
    }
    assert [parsed.lines[i] for i in parsed.good] == [2]
    assert any("already on line 2" in p.reason for p in parsed.problems)
    assert parsed.columns["status"][0] == "agreed"
    assert parsed.columns["basis"][1] is EMPTY


def test_english_headers_and_comma_delimiter() -> None:
    data = b'Staff ref,Name,Function,FTE,Terms retained\nX-1,Anna,coach,"0,6",no\n'
    parsed = parse_rows(read_sheet(data, "staff.csv"))
    assert not parsed.problems
    assert parsed.columns["fte"] == [0.6]
    assert parsed.columns["terms_retained"] == [False]


def test_xlsx_as_excel_saves_it() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Personeelsnummer", "Naam", "FTE", "Behoud arbeidsvoorwaarden"])
    sheet.append([12345, "Anna", 0.8, True])
    sheet.append([None, None, None, None])
    sheet.append(["B-2", "Bram", 1, "nee"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_rows(read_sheet(buffer.getvalue(), "personeel.xlsx"))
    assert not parsed.problems
    assert parsed.columns["staff_ref"] == ["12345", "B-2"]
    assert parsed.columns["fte"] == [0.8, 1.0]
    assert parsed.columns["terms_retained"] == [True, False]
    assert parsed.lines == [2, 4]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"%PDF-1.4 ...", "personeel.pdf", "unknown file format"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "personeel.xls", "old Excel"),
        (b"PK\x03\x04 not really a zip", "personeel.xlsx", "XLSX"),
        (b"\x00\x01\x02binary", "personeel.csv", "binary"),
        (b"", "personeel.csv", "empty"),
        (b"naam;functie\nAnna;coach\n", "personeel.csv", "no column for staff_ref"),
        (b"naam;personeelsnummer;fte;staff ref\n", "x.csv", "two columns"),
    ],
)
def test_unreadable_files_are_invalid_input(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_rows(read_sheet(data, filename))

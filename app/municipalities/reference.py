"""Reading municipality lists: the files the registry ships, and the lists CBS publishes.

Plain parsing, no database: every problem in a file is reported as ``FILE:LINE: reason``
before anything is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Literal, overload

from app.errors import InvalidInput
from app.identifiers import CBS_CODE

TOOI_GEMEENTE = "https://identifier.overheid.nl/tooi/id/gemeente/"


def tooi_identifier(code: str) -> str:
    """The municipality's identifier in the government's TOOI register."""
    return TOOI_GEMEENTE + code.lower()


@dataclass(frozen=True, slots=True)
class MunicipalityFact:
    code: str
    name: str
    province: str
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True, slots=True)
class Succession:
    """On ``on`` municipality ``code`` ended and (part of) it went to ``successor``."""

    on: date
    code: str
    successor: str
    part: str = ""


class BadFile(InvalidInput):
    title = "Onleesbaar bestand"


def _rows(text: str, source: str) -> list[tuple[int, dict[str, str]]]:
    """Rows as lower-cased header → value, with their line numbers; ``#`` lines are notes."""
    lines = [(n, line) for n, line in enumerate(text.lstrip("\ufeff").splitlines(), 1)]
    lines = [(n, line) for n, line in lines if line.strip() and not line.startswith("#")]
    if not lines:
        raise BadFile(f"{source}: the file is empty")
    delimiter = max(";,\t", key=lines[0][1].count)
    reader = csv.reader(io.StringIO("\n".join(line for _, line in lines)), delimiter=delimiter)
    parsed = list(reader)
    header = [h.strip().lower() for h in parsed[0]]
    return [
        (n, dict(zip(header, (value.strip() for value in values), strict=False)))
        for (n, _), values in zip(lines[1:], parsed[1:], strict=True)
    ]


def _pick(row: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((row[name] for name in names if row.get(name)), None)


def _code(value: str | None, where: str) -> str:
    code = (value or "").upper()
    if code.isdigit() and len(code) <= 4:
        code = f"GM{int(code):04d}"
    if not CBS_CODE.fullmatch(code):
        raise BadFile(f"{where}: {value!r} is not a CBS municipality code (GM and 4 digits)")
    return code


@overload
def _date(value: str | None, where: str, *, required: Literal[True]) -> date: ...
@overload
def _date(value: str | None, where: str, *, required: bool = False) -> date | None: ...
def _date(value: str | None, where: str, *, required: bool = False) -> date | None:
    if not value:
        if required:
            raise BadFile(f"{where}: a date (YYYY-MM-DD) is missing")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadFile(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


CODE_COLUMNS = ("code", "gemeentecodegm", "gemeentecode", "regios")
NAME_COLUMNS = ("name", "gemeentenaam", "naam")
PROVINCE_COLUMNS = ("province", "provincienaam", "provincie")


def read_municipalities(text: str, source: str) -> list[MunicipalityFact]:
    """A list of municipalities: the shipped file, or a CBS list (``Gemeenten alfabetisch``:
    Gemeentecode;GemeentecodeGM;Gemeentenaam;...;Provincienaam), or plain code,name,province."""
    facts: dict[str, MunicipalityFact] = {}
    for line, row in _rows(text, source):
        where = f"{source}:{line}"
        code = _code(_pick(row, CODE_COLUMNS), where)
        name = _pick(row, NAME_COLUMNS)
        province = _pick(row, PROVINCE_COLUMNS)
        if not name or not province:
            raise BadFile(f"{where}: every municipality needs a code, a name and a province")
        if code in facts:
            raise BadFile(f"{where}: {code} is listed twice")
        facts[code] = MunicipalityFact(
            code,
            name,
            province,
            _date(row.get("valid_from"), where),
            _date(row.get("valid_to"), where),
        )
    return list(facts.values())


def read_successions(text: str, source: str) -> list[Succession]:
    """Herindelingen: ``on,code,successor[,kind][,part]``, one row per successor."""
    found: dict[tuple[str, str], Succession] = {}
    for line, row in _rows(text, source):
        where = f"{source}:{line}"
        succession = Succession(
            _date(_pick(row, ("on", "datum")), where, required=True),
            _code(_pick(row, ("code", "from", "van")), where),
            _code(_pick(row, ("successor", "to", "naar")), where),
            row.get("part") or row.get("deel") or "",
        )
        if succession.code == succession.successor:
            raise BadFile(f"{where}: {succession.code} cannot succeed itself")
        if (succession.code, succession.successor) in found:
            raise BadFile(f"{where}: {succession.code} → {succession.successor} is listed twice")
        found[(succession.code, succession.successor)] = succession
    return list(found.values())


def shipped() -> tuple[list[MunicipalityFact], list[Succession]]:
    """The municipalities since 2010 and their herindelingen, as the package ships them."""
    data = resources.files("app.municipalities") / "data"
    return (
        read_municipalities((data / "gemeenten.csv").read_text("utf-8"), "gemeenten.csv"),
        read_successions((data / "herindelingen.csv").read_text("utf-8"), "herindelingen.csv"),
    )

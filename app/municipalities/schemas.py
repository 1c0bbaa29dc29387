"""A municipality as the API shows it: its CBS code, TOOI identifier and period, and where
it went on a herindeling."""

from __future__ import annotations

from datetime import date

from app.schemas import MunicipalityRef, Schema


class Succession(Schema):
    municipality: MunicipalityRef
    on: date
    part: str | None


class MunicipalityOut(Schema):
    code: str
    tooi: str
    name: str
    province: str
    valid_from: date | None
    valid_to: date | None
    successor: MunicipalityRef | None
    successors: list[Succession] = []
    predecessors: list[MunicipalityRef] = []

"""Reading municipalities: typed rows of the registry's municipalities and their
herindelingen, made into the shapes of ``app.municipalities.schemas``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

import msgspec
from piccolo.query import Select

from app.errors import NotFound
from app.municipalities.reference import tooi_identifier
from app.municipalities.schemas import MunicipalityOut, Succession
from app.schemas import MunicipalityRef
from app.store.search import name_contains
from app.store.typed_rows import as_rows, columns_for
from app.tables.tables import Municipality, MunicipalitySuccessor


class MunicipalityRow(msgspec.Struct, frozen=True):
    id: UUID
    code: str
    name: str
    province: str
    valid_from: date | None
    valid_to: date | None
    successor_code: str | None = msgspec.field(name="successor.code")
    successor_name: str | None = msgspec.field(name="successor.name")


class SuccessionRow(msgspec.Struct, frozen=True):
    """One municipality a municipality went into."""

    successor_code: str = msgspec.field(name="successor.code")
    successor_name: str = msgspec.field(name="successor.name")
    valid_from: date
    part: str


class MergedRow(msgspec.Struct, frozen=True):
    """A municipality that merged into another (its single successor)."""

    code: str
    name: str


class SplitRow(msgspec.Struct, frozen=True):
    """A municipality that went, in part, into another."""

    code: str = msgspec.field(name="municipality.code")
    name: str = msgspec.field(name="municipality.name")


MUNICIPALITY_COLUMNS = columns_for(MunicipalityRow, Municipality)


def municipality_out(
    row: MunicipalityRow,
    predecessors: Sequence[MunicipalityRef] = (),
    successions: Sequence[SuccessionRow] = (),
) -> MunicipalityOut:
    successor = (
        MunicipalityRef(code=row.successor_code, name=row.successor_name or "")
        if row.successor_code
        else None
    )
    return MunicipalityOut(
        code=row.code,
        tooi=tooi_identifier(row.code),
        name=row.name,
        province=row.province,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        successor=successor,
        successors=[
            Succession(
                municipality=MunicipalityRef(code=s.successor_code, name=s.successor_name),
                on=s.valid_from,
                part=s.part or None,
            )
            for s in successions
        ],
        predecessors=list(predecessors),
    )


def municipalities_query(name: str | None, current: bool | None) -> Select:
    """The municipalities whose name contains ``name``; ``current``: only those that still
    exist (true) or only former ones (false)."""
    query = Municipality.select(*MUNICIPALITY_COLUMNS)
    if name:
        query = query.where(name_contains(Municipality.name, name))
    if current is True:
        query = query.where(Municipality.valid_to.is_null())
    elif current is False:
        query = query.where(Municipality.valid_to.is_not_null())
    return query


async def municipality_row(code: str) -> MunicipalityRow:
    row = await Municipality.select(*MUNICIPALITY_COLUMNS).where(Municipality.code == code).first()
    if row is None:
        raise NotFound(f"no municipality with CBS code {code}")
    return msgspec.convert(row, MunicipalityRow)


async def municipality_detail(code: str) -> MunicipalityOut:
    """One municipality, with where it went and the municipalities that went into it."""
    row = await municipality_row(code)
    successions = as_rows(
        SuccessionRow,
        await MunicipalitySuccessor.select(
            *columns_for(SuccessionRow, MunicipalitySuccessor)
        ).where(MunicipalitySuccessor.municipality == row.id),
    )
    merged = as_rows(
        MergedRow,
        await Municipality.select(*columns_for(MergedRow, Municipality)).where(
            Municipality.successor == row.id
        ),
    )
    split = as_rows(
        SplitRow,
        await MunicipalitySuccessor.select(*columns_for(SplitRow, MunicipalitySuccessor)).where(
            MunicipalitySuccessor.successor == row.id
        ),
    )
    # A predecessor found both ways is listed once.
    predecessors = {p.code: MunicipalityRef(code=p.code, name=p.name) for p in merged}
    predecessors.update({p.code: MunicipalityRef(code=p.code, name=p.name) for p in split})
    return municipality_out(
        row,
        sorted(predecessors.values(), key=lambda p: p.code),
        sorted(successions, key=lambda s: s.successor_code),
    )

"""Municipalities (gemeenten) by CBS code and TOOI identifier, with where they went on a
herindeling: one successor after a merger, several after a split."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import QueryParameter

from app.api.pagination import Cursor, Limit, keyset_page
from app.api.params import CbsCodePath, NameContains
from app.errors import NotFound
from app.municipalities.reference import tooi_identifier
from app.schemas import MunicipalityRef, Page, Schema, municipality_from
from app.store.search import name_contains
from app.tables.tables import Municipality, MunicipalitySuccessor


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


def municipality_out(
    row: dict[str, Any],
    predecessors: Sequence[dict[str, Any]] = (),
    successions: Sequence[dict[str, Any]] = (),
) -> MunicipalityOut:
    successor = municipality_from(row, "successor") if row.get("successor.code") else None
    return MunicipalityOut(
        code=row["code"],
        tooi=tooi_identifier(row["code"]),
        name=row["name"],
        province=row["province"],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        successor=successor,
        successors=[
            Succession(
                municipality=municipality_from(s, "successor"),
                on=s["valid_from"],
                part=s["part"] or None,
            )
            for s in successions
        ],
        predecessors=[MunicipalityRef(code=p["code"], name=p["name"]) for p in predecessors],
    )


COLUMNS = (
    Municipality.id,
    Municipality.code,
    Municipality.name,
    Municipality.province,
    Municipality.valid_from,
    Municipality.valid_to,
    Municipality.successor.code,
    Municipality.successor.name,
)


async def get_municipality_row(code: str) -> dict[str, Any]:
    row = await Municipality.select(*COLUMNS).where(Municipality.code == code).first()
    if row is None:
        raise NotFound(f"no municipality with CBS code {code}")
    return row


class MunicipalityController(Controller):
    path = "/municipalities"
    tags = ["municipalities"]

    @get(operation_id="listMunicipalities")
    async def list_municipalities(
        self,
        limit: Limit = 50,
        cursor: Cursor = None,
        name: NameContains = None,
        current: Annotated[
            bool | None,
            QueryParameter(
                description="true: only current municipalities; false: only former ones.",
                required=False,
            ),
        ] = None,
    ) -> Page[MunicipalityOut]:
        """List municipalities by CBS code."""
        query = Municipality.select(*COLUMNS)
        if name:
            query = query.where(name_contains(Municipality.name, name))
        if current is True:
            query = query.where(Municipality.valid_to.is_null())
        elif current is False:
            query = query.where(Municipality.valid_to.is_not_null())
        rows, next_cursor = await keyset_page(
            query, sort=Municipality.code, id_column=Municipality.id, limit=limit, cursor=cursor
        )
        return Page(items=[municipality_out(r) for r in rows], next=next_cursor)

    @get("/{cbs_code:str}", operation_id="getMunicipality")
    async def get_municipality(self, cbs_code: CbsCodePath) -> MunicipalityOut:
        """One municipality, with where it went and the municipalities that went into it."""
        row = await get_municipality_row(cbs_code)
        successions = await MunicipalitySuccessor.select(
            MunicipalitySuccessor.successor.code,
            MunicipalitySuccessor.successor.name,
            MunicipalitySuccessor.valid_from,
            MunicipalitySuccessor.part,
        ).where(MunicipalitySuccessor.municipality == row["id"])
        merged = await Municipality.select(Municipality.code, Municipality.name).where(
            Municipality.successor == row["id"]
        )
        split = await MunicipalitySuccessor.select(
            MunicipalitySuccessor.municipality.code.as_alias("code"),
            MunicipalitySuccessor.municipality.name.as_alias("name"),
        ).where(MunicipalitySuccessor.successor == row["id"])
        predecessors = {p["code"]: p for p in [*merged, *split]}
        return municipality_out(
            row,
            sorted(predecessors.values(), key=lambda p: p["code"]),
            sorted(successions, key=lambda s: s["successor.code"]),
        )

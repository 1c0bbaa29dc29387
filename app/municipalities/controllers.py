"""Municipalities (gemeenten) by CBS code and TOOI identifier, with where they went on a
herindeling: one successor after a merger, several after a split."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from app.api.pagination import Cursor, Limit, keyset_page
from app.api.params import CbsCodePath, NameContains
from app.municipalities.queries import (
    MunicipalityRow,
    municipalities_query,
    municipality_detail,
    municipality_out,
)
from app.municipalities.schemas import MunicipalityOut
from app.schemas import Page
from app.store.typed_rows import as_rows
from app.tables.tables import Municipality


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
        rows, next_cursor = await keyset_page(
            municipalities_query(name, current),
            sort=Municipality.code,
            id_column=Municipality.id,
            limit=limit,
            cursor=cursor,
        )
        return Page(
            items=[municipality_out(r) for r in as_rows(MunicipalityRow, rows)], next=next_cursor
        )

    @get("/{cbs_code:str}", operation_id="getMunicipality")
    async def get_municipality(self, cbs_code: CbsCodePath) -> MunicipalityOut:
        """One municipality, with where it went and the municipalities that went into it."""
        return await municipality_detail(cbs_code)

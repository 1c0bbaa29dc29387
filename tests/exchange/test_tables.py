"""The export functions the pages call: scope applied inside, cells written for Dutch Excel."""

from __future__ import annotations

import io
from datetime import date
from uuid import UUID

import pytest
from openpyxl import load_workbook

from app.access.roles import Principal, Role
from app.errors import Forbidden
from app.exchange.tables import (
    ExportTable,
    continuity_table,
    handover_table,
    staff_table,
    to_csv,
    to_xlsx,
)
from app.handovers.access import visible_handover_ids


async def test_export_functions_apply_the_api_scope_themselves(demo_ids) -> None:
    groningen = UUID(demo_ids["handover_id"])
    management = Principal("k1", "m", Role.MANAGEMENT, frozenset({demo_ids["organisation_id"]}))
    emmen = Principal("k2", "e", Role.MUNICIPALITY, municipality_codes=frozenset({"GM0114"}))
    with pytest.raises(Forbidden):
        await staff_table(groningen, principal=management)
    with pytest.raises(Forbidden):
        await continuity_table("GM0014", principal=emmen)
    ids = {row[0] for row in (await handover_table(emmen)).rows}
    # Other tests may add handovers in Emmen: the demo's is there, Groningen's is not,
    # and nothing beyond what the key may see.
    assert demo_ids["emmen_handover_id"] in ids
    assert str(groningen) not in ids
    assert ids == {str(i) for i in await visible_handover_ids(emmen) or set()}
    admin = Principal("k3", "a", Role.ADMIN)
    assert len((await staff_table(groningen, principal=admin)).rows) == 14


def test_csv_and_xlsx_cells() -> None:
    table = ExportTable("proef", ["a", "b", "c", "d"], [[0.8, True, date(2022, 1, 1), None]])
    assert to_csv(table) == "\ufeffa;b;c;d\r\n0,8;ja;2022-01-01;\r\n".encode()
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet.title == "proef"
    values = next(sheet.iter_rows(min_row=2, values_only=True))
    assert values[0] == 0.8
    assert values[1] == "ja"
    assert values[2].date() == date(2022, 1, 1)

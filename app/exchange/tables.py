"""Tables for people: handovers, staff and continuity as rows, written as CSV or XLSX.

Each row function takes the caller's ``Principal`` and applies the API's scope itself:
handovers as ``listHandovers`` shows them, continuity of the municipalities a key may ask
about, and staff rows — personal data — only for HR of a party, registrars and admins.

Headers are Dutch, for the people who open the files; values are the registry's own (ISO
dates, the snake_case codes the API uses), so a staff export can be imported again.

CSV is written for Dutch Excel: UTF-8 with a byte order mark (else Excel reads it as
Windows-1252), ``;`` between fields and a decimal comma (else Excel splits at the comma or
reads ``0.8`` as a date).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec

from app.access.roles import Principal
from app.access.scope import check_municipality_allowed
from app.continuity.engine import timeline
from app.continuity.queries import load_municipalities
from app.continuity.sources import LIVE
from app.dates import AMSTERDAM
from app.exchange.cells import safe_cell, safe_text
from app.handovers.access import visible_handover_ids
from app.handovers.vocabulary import PartyRole
from app.identifiers import check_cbs_code
from app.provisions.periods import as_period
from app.provisions.queries import ProvisionRow
from app.staff import queries as staff_queries
from app.staff.access import check_staff_access
from app.staff.queries import StaffRow
from app.store.typed_rows import as_rows, columns_for
from app.tables.tables import (
    Handover,
    HandoverParty,
    HandoverService,
    StaffTransfer,
)

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(slots=True)
class ExportTable:
    title: str  # the sheet's name, and the file's
    columns: list[str]
    rows: list[list[Any]]


# --- rows ---------------------------------------------------------------------------------


class PartyNameRow(msgspec.Struct, frozen=True):
    handover: UUID
    role: PartyRole
    organisation_name: str | None = msgspec.field(name="organisation.name")
    municipality_code: str | None = msgspec.field(name="municipality.code")


class MovedNameRow(msgspec.Struct, frozen=True):
    handover: UUID
    service_name: str = msgspec.field(name="service.name")
    municipality_code: str = msgspec.field(name="municipality.code")


async def handover_table(principal: Principal) -> ExportTable:
    """One row per handover the principal may see, with parties and staff as counts."""
    query = Handover.select().order_by(Handover.effective_on).order_by(Handover.title)
    visible = await visible_handover_ids(principal)
    ids = None if visible is None else list(visible)
    if ids is not None:
        if not ids:
            return ExportTable("overdrachten", HANDOVER_COLUMNS, [])
        query = query.where(Handover.id.is_in(ids))
    handovers = await query
    if not handovers:
        return ExportTable("overdrachten", HANDOVER_COLUMNS, [])
    wanted = [h["id"] for h in handovers]
    parties = as_rows(
        PartyNameRow,
        await HandoverParty.select(*columns_for(PartyNameRow, HandoverParty)).where(
            HandoverParty.handover.is_in(wanted)
        ),
    )
    moved = as_rows(
        MovedNameRow,
        await HandoverService.select(*columns_for(MovedNameRow, HandoverService)).where(
            HandoverService.handover.is_in(wanted)
        ),
    )
    staff = await StaffTransfer.select(
        StaffTransfer.handover, StaffTransfer.fte, StaffTransfer.status
    ).where(StaffTransfer.handover.is_in(wanted))
    by_role: dict[tuple[UUID, str], list[str]] = defaultdict(list)
    for p in parties:
        name = p.organisation_name or p.municipality_code or ""
        by_role[(p.handover, p.role)].append(name)
    services: dict[UUID, set[str]] = defaultdict(set)
    municipalities: dict[UUID, set[str]] = defaultdict(set)
    for m in moved:
        services[m.handover].add(m.service_name)
        municipalities[m.handover].add(m.municipality_code)
    counts: dict[UUID, list[float]] = defaultdict(lambda: [0, 0.0])
    for s in staff:
        counts[s["handover"]][0] += 1
        counts[s["handover"]][1] += s["fte"]

    def joined(values: Iterable[str]) -> str:
        return ", ".join(sorted(values, key=str.casefold))

    rows = [
        [
            str(h["id"]),
            h["title"],
            h["kind"],
            h["status"],
            h["effective_on"],
            h["announced_on"],
            joined(by_role[(h["id"], PartyRole.SOURCE)]),
            joined(by_role[(h["id"], PartyRole.RECEIVING)]),
            joined(municipalities[h["id"]] | set(by_role[(h["id"], PartyRole.MUNICIPALITY)])),
            joined(services[h["id"]]),
            int(counts[h["id"]][0]),
            round(counts[h["id"]][1], 2),
        ]
        for h in handovers
    ]
    return ExportTable("overdrachten", HANDOVER_COLUMNS, rows)


HANDOVER_COLUMNS = [
    "id",
    "titel",
    "soort",
    "status",
    "ingangsdatum",
    "aangekondigd op",
    "van",
    "naar",
    "gemeenten",
    "diensten",
    "aantal medewerkers",
    "fte",
]

#: The headers the staff import reads back (``app.exchange.staff_columns``).
STAFF_HEADERS = [
    "personeelsnummer",
    "naam",
    "functie",
    "fte",
    "dienst",
    "grondslag",
    "behoud arbeidsvoorwaarden",
    "status",
]


async def staff_table(handover_id: UUID, *, principal: Principal) -> ExportTable:
    """The staff transfers of one handover, names included: personal data."""
    await check_staff_access(principal, handover_id)
    query = (
        StaffTransfer.select(*staff_queries.STAFF_COLUMNS)
        .where(StaffTransfer.handover == handover_id)
        .order_by(StaffTransfer.staff_ref)
    )
    return ExportTable(
        "medewerkers",
        STAFF_HEADERS,
        [
            [
                r.staff_ref,
                r.name,
                r.function,
                r.fte,
                r.service_name,
                r.basis,
                r.terms_retained,
                r.status,
            ]
            for r in as_rows(StaffRow, await query)
        ],
    )


CONTINUITY_COLUMNS = [
    "dienst",
    "gemeente",
    "aanbieder",
    "van",
    "tot",
    "bezette fte",
    "dagen zonder aanbieder ervoor",
    "overlapt met",
    "geopend door overdracht",
    "gesloten door overdracht",
]


async def continuity_table(code: str, *, principal: Principal) -> ExportTable:
    """A municipality's timeline: every provision period, per service, with gaps and overlaps.

    Follows mergers like the API's timeline: the provisions of the municipalities that
    merged into ``code`` are on the same tracks.
    """
    check_cbs_code(code, field="cbsCode")
    await check_municipality_allowed(principal, code)
    municipalities = await load_municipalities()
    answering = municipalities.current(municipalities.get(code))
    territory = municipalities.with_predecessors(answering)
    provisions = await LIVE.provision_rows([m.id for m in territory])
    by_service: dict[UUID, list[ProvisionRow]] = defaultdict(list)
    for row in provisions:
        by_service[row.service].append(row)
    by_id: dict[Hashable, ProvisionRow] = {row.id: row for row in provisions}
    rows: list[list[Any]] = []
    for service_rows in sorted(by_service.values(), key=lambda r: r[0].service_name.casefold()):
        for entry in timeline(as_period(r, track_municipality=answering.id) for r in service_rows):
            row = by_id[entry.period.id]
            rows.append(
                [
                    row.service_name,
                    row.municipality_code,
                    row.organisation_name,
                    row.valid_from,
                    row.valid_to,
                    row.staffed_fte,
                    entry.gap_before_days or None,
                    ", ".join(by_id[i].organisation_name for i in entry.overlaps_with),
                    str(row.opened_by) if row.opened_by else None,
                    str(row.closed_by) if row.closed_by else None,
                ]
            )
    return ExportTable(f"continuiteit {answering.code}", CONTINUITY_COLUMNS, rows)


# --- writers ------------------------------------------------------------------------------


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return format(value, "g").replace(".", ",")
    if isinstance(value, datetime):
        return value.astimezone(AMSTERDAM).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return safe_text(str(value))


def to_csv(table: ExportTable) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(title) for title in table.columns])
    writer.writerows([csv_cell(v) for v in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return value.astimezone(AMSTERDAM).replace(tzinfo=None)  # Excel has no time zones
    return safe_cell(value)


def to_xlsx(table: ExportTable) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.title[:31])  # Excel's limit on sheet names
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in table.columns:
        cell = WriteOnlyCell(sheet, value=xlsx_cell(title))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=xlsx_cell(value))
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()

"""Staff names are personal data: municipality and management keys never see them."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from app.demo.seeds import GRONINGEN_HANDOVER_TITLE
from app.store.personal_data import NAME
from app.tables.tables import Handover, StaffTransfer
from tests.helpers import bearer, concrete, operations

SCOPED_READERS = ("municipality", "management")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


async def test_no_staff_name_or_reference_reaches_municipality_or_management(
    client,
    keys,
    demo_ids,
) -> None:
    handover = (
        await Handover.select(Handover.id).where(Handover.title == GRONINGEN_HANDOVER_TITLE).first()
    )
    staff = await StaffTransfer.select(NAME, StaffTransfer.staff_ref).where(
        StaffTransfer.handover == handover["id"]
    )
    secrets = [s["name"] for s in staff if s["name"]] + [s["staff_ref"] for s in staff]
    assert len(secrets) > 10
    urls = [
        concrete(path, demo_ids) for method, path, _ in await operations(client) if method == "GET"
    ]
    urls += [
        "/api/v1/handovers?limit=500",
        f"/api/v1/handovers/{handover['id']}/staff",
        "/api/v1/continuity/issues?municipality=GM0014&from=2000-01-01&to=2030-01-01",
        "/api/v1/services/" + demo_ids["service_id"] + "/timeline?municipality=GM0014",
    ]
    # Spreadsheets are zipped XML: read their cells, not their bytes.
    urls += [f"{url}{'&' if '?' in url else '?'}format=xlsx" for url in urls if "/exports/" in url]
    scanned = spreadsheets = 0
    for role in SCOPED_READERS:
        for url in urls:
            response = await client.get(url, headers=bearer(keys[role]))
            text = response.text
            if response.headers.get("content-type", "").startswith(XLSX):
                text = spreadsheet_text(response.content)
                spreadsheets += 1
            for secret in secrets:
                assert secret not in text, (role, url)
            scanned += 1
    assert scanned == len(urls) * len(SCOPED_READERS)
    assert spreadsheets >= 2 * len(SCOPED_READERS)  # the exports they may read, as XLSX


async def test_management_sees_counts_and_fte_hr_sees_names(client, keys, demo_ids) -> None:
    handover = demo_ids["handover_id"]
    summary = (
        await client.get(f"/api/v1/handovers/{handover}", headers=bearer(keys["management"]))
    ).json()["staff"]
    assert summary["count"] == 14
    assert summary["fte"] > 0
    hr = await client.get(f"/api/v1/handovers/{handover}/staff", headers=bearer(keys["hr"]))
    assert hr.status_code == 200
    assert all(item["name"].endswith("(demo)") for item in hr.json()["items"])

"""The options the forms' lists offer, with their Dutch labels."""

from __future__ import annotations

from app.tables.tables import Municipality, Organisation, Service
from app.web.labels import label

HANDOVER_KINDS = {k: label(k) for k in ("transfer", "merger", "integration")}
PARTY_ROLES = {k: label(k) for k in ("source", "receiving", "municipality", "other")}
INVOLVEMENTS = {"informed": "geïnformeerd", "consenting": "instemmend", "directing": "regie"}
MILESTONE_KINDS = {
    k: label(k)
    for k in (
        "works_council_advice",
        "staff_informed",
        "contracts_signed",
        "municipality_informed",
        "data_handed_over",
    )
} | {"other": "overig"}
STAFF_STATUSES = {
    "proposed": "voorgesteld",
    "informed": "geïnformeerd",
    "agreed": "akkoord",
    "transferred": "overgegaan",
    "declined": "afgezien",
}
STAFF_BASES = {
    k: label(k)
    for k in ("transfer_of_undertaking", "new_contract", "secondment", "not_transferring")
}


async def organisations() -> dict[str, str]:
    rows = await Organisation.select(Organisation.id, Organisation.name)
    return {str(r["id"]): r["name"] for r in sorted(rows, key=lambda r: r["name"].casefold())}


async def municipalities() -> dict[str, str]:
    """Every municipality, former ones marked, by name."""
    rows = await Municipality.select(Municipality.code, Municipality.name, Municipality.valid_to)
    rows.sort(key=lambda r: r["name"].casefold())
    return {
        r["code"]: f"{r['name']} ({r['code']}{', opgeheven' if r['valid_to'] else ''})"
        for r in rows
    }


async def services() -> dict[str, str]:
    rows = await Service.select(Service.id, Service.name)
    return {str(r["id"]): r["name"] for r in sorted(rows, key=lambda r: r["name"].casefold())}

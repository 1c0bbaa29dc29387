"""The options the forms' lists offer, with their Dutch labels."""

from __future__ import annotations

from app.handovers.vocabulary import HandoverKind, Involvement, MilestoneKind, PartyRole
from app.organisations.vocabulary import RelationKind
from app.staff.vocabulary import StaffBasis, StaffStatus
from app.tables.tables import Municipality, Organisation, Service

HANDOVER_KINDS = HandoverKind.options()
PARTY_ROLES = PartyRole.options()
INVOLVEMENTS = Involvement.options()
MILESTONE_KINDS = MilestoneKind.options()
STAFF_STATUSES = StaffStatus.options()
STAFF_BASES = StaffBasis.options()
RELATION_KINDS = RelationKind.options()


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

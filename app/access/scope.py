"""Object-level scope: which handovers and municipalities a key may see."""

from __future__ import annotations

from uuid import UUID

from app.access.roles import ORGANISATION_SCOPED, Principal, Role
from app.continuity.cache import remembered
from app.errors import Forbidden
from app.tables.tables import (
    HandoverParty,
    HandoverService,
    Municipality,
    MunicipalitySuccessor,
)


@remembered()
async def predecessor_codes(codes: frozenset[str]) -> set[str]:
    """The codes and, transitively, every municipality that merged into one of them.

    One indexed lookup per generation of mergers (rarely more than two), never the
    whole municipality table: that grows with the country, a family does not.
    """
    result = set(codes)
    frontier = set(codes)
    while frontier:
        merged = await Municipality.select(Municipality.code).where(
            Municipality.successor.code.is_in(list(frontier))
        )
        # A split municipality has no single successor: each of its successors may ask.
        split = await MunicipalitySuccessor.select(MunicipalitySuccessor.municipality.code).where(
            MunicipalitySuccessor.successor.code.is_in(list(frontier))
        )
        found = {r["code"] for r in merged} | {r["municipality.code"] for r in split}
        frontier = found - result
        result |= frontier
    return result


async def allowed_municipality_codes(principal: Principal) -> set[str] | None:
    """Codes a municipality key may ask about; ``None`` means no restriction."""
    if principal.role is not Role.MUNICIPALITY:
        return None
    return await predecessor_codes(principal.municipality_codes)


async def check_municipality_allowed(principal: Principal, code: str) -> None:
    allowed = await allowed_municipality_codes(principal)
    if allowed is not None and code not in allowed:
        raise Forbidden(f"this key may not ask about municipality {code}")


async def visible_handover_ids(principal: Principal) -> set[UUID] | None:
    """Handovers a scoped key may see; ``None`` means all of them."""
    if principal.unscoped:
        return None
    if principal.role in ORGANISATION_SCOPED:
        org_ids = [UUID(i) for i in principal.organisation_ids]
        if not org_ids:
            return set()
        rows = await HandoverParty.select(HandoverParty.handover).where(
            HandoverParty.organisation.is_in(org_ids)
        )
        return {r["handover"] for r in rows}
    codes = await allowed_municipality_codes(principal) or set()
    if not codes:
        return set()
    parties = await HandoverParty.select(HandoverParty.handover).where(
        HandoverParty.municipality.code.is_in(list(codes))
    )
    moved = await HandoverService.select(HandoverService.handover).where(
        HandoverService.municipality.code.is_in(list(codes))
    )
    return {r["handover"] for r in parties} | {r["handover"] for r in moved}


async def check_handover_visible(principal: Principal, handover_id: UUID) -> None:
    visible = await visible_handover_ids(principal)
    if visible is not None and handover_id not in visible:
        raise Forbidden("this key's organisations or municipalities are not party to this handover")


async def is_party_organisation(principal: Principal, handover_id: UUID) -> bool:
    """Whether one of the key's organisations is a party to the handover."""
    if not principal.organisation_ids:
        return False
    return await HandoverParty.exists().where(
        (HandoverParty.handover == handover_id)
        & HandoverParty.organisation.is_in([UUID(i) for i in principal.organisation_ids])
    )

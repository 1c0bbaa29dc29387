"""Who may see which handover: a party's organisations, the municipalities it touches
(and those merged into them), or everyone for an unscoped key. The API, the pages, the
exports and the versions all ask here."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.access.roles import ORGANISATION_SCOPED, Principal
from app.access.scope import allowed_municipality_codes
from app.errors import Forbidden
from app.store import records
from app.tables.tables import Handover, HandoverParty, HandoverService


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


async def visible_handover(principal: Principal, handover_id: UUID) -> dict[str, Any]:
    """The handover's row, if it exists (404) and the key may see it (403)."""
    handover = await records.get_row(Handover, handover_id)
    await check_handover_visible(principal, handover_id)
    return handover

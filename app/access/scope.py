"""Object-level scope: which handovers and municipalities a key may see."""

from __future__ import annotations

from uuid import UUID

from piccolo.querystring import QueryString

from app.access.roles import ORGANISATION_SCOPED, Principal, Role
from app.answer_cache import cached_answer
from app.errors import Forbidden
from app.store.recorded import read_sql
from app.tables.tables import (
    HandoverParty,
    HandoverService,
    Municipality,
)

# Every municipality that merged into one (``successor``) or was split over several
# (``municipality_succession``), followed down from the codes asked about.
_PREDECESSORS = """WITH RECURSIVE "merged"("municipality", "successor") AS (
    SELECT "id", "successor" FROM "municipality" WHERE "successor" IS NOT NULL
    UNION ALL SELECT "municipality", "successor" FROM "municipality_succession"
), "family"("id") AS (
    SELECT "id" FROM "municipality" WHERE "code" IN ({codes})
    UNION SELECT e."municipality" FROM "merged" e JOIN "family" f ON e."successor" = f."id"
)
SELECT "code" FROM "municipality" WHERE "id" IN (SELECT "id" FROM "family")"""


@cached_answer()
async def predecessor_codes(codes: frozenset[str]) -> set[str]:
    """The codes and, transitively, every municipality that merged into one of them.

    One query that follows the family down, never the whole municipality table: that
    grows with the country, a family does not.
    """
    listed = sorted(codes)
    query = QueryString(_PREDECESSORS.format(codes=", ".join("{}" for _ in listed)), *listed)
    return set(codes) | {r["code"] for r in await read_sql(Municipality, query)}


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

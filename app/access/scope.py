"""Object-level scope: which municipalities a key covers (its own and those merged into
them), and whether its organisations are party to a handover. Which handovers it may
see follows from these: ``app.handovers.access``."""

from __future__ import annotations

from uuid import UUID

from piccolo.querystring import QueryString

from app.access.roles import Principal, Role
from app.answer_cache import cached_answer
from app.errors import Forbidden
from app.store.recorded import read_sql
from app.tables.tables import HandoverParty, Municipality

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
    if code in principal.municipality_codes:
        return  # a key's own municipality, the common question: no family to follow
    allowed = await allowed_municipality_codes(principal)
    if allowed is not None and code not in allowed:
        raise Forbidden(f"this key may not ask about municipality {code}")


async def is_party_organisation(principal: Principal, handover_id: UUID) -> bool:
    """Whether one of the key's organisations is a party to the handover."""
    if not principal.organisation_ids:
        return False
    return await HandoverParty.exists().where(
        (HandoverParty.handover == handover_id)
        & HandoverParty.organisation.is_in([UUID(i) for i in principal.organisation_ids])
    )

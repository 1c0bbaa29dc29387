"""Reading the outbox: events in sequence order after a given one, within a scope."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from piccolo.querystring import QueryString

from app.access.roles import ORGANISATION_SCOPED, Principal, Role
from app.access.scope import allowed_municipality_codes, predecessor_codes
from app.database import DB
from app.errors import Forbidden
from app.events.types import organisation_scope


@dataclass(frozen=True, slots=True)
class Filter:
    """Which events a reader hears of: ``scopes`` ``None`` means every event."""

    scopes: frozenset[str] | None = None
    types: frozenset[str] = frozenset()


async def principal_scopes(principal: Principal) -> frozenset[str] | None:
    """The scope values a key may hear of; ``None``: all (admin, registrar)."""
    if principal.unscoped:
        return None
    if principal.role in ORGANISATION_SCOPED:
        return frozenset(organisation_scope(o) for o in principal.organisation_ids)
    assert principal.role is Role.MUNICIPALITY
    return frozenset(await allowed_municipality_codes(principal) or ())


async def narrowed(
    allowed: frozenset[str] | None, municipality_codes: list[str]
) -> frozenset[str] | None:
    """``allowed`` narrowed to the given municipalities (and their predecessors)."""
    if not municipality_codes:
        return allowed
    wanted = frozenset(await predecessor_codes(frozenset(municipality_codes)))
    if allowed is None:
        return wanted
    codes_allowed = {s for s in allowed if not s.startswith("organisation:")}
    if codes_allowed or not allowed:
        if outside := set(municipality_codes) - codes_allowed:
            raise Forbidden(f"this key may not hear of municipality {sorted(outside)[0]}")
        return wanted & allowed
    # An organisation's key: its organisations' events, in those municipalities.
    return wanted | frozenset({"&", *allowed})


def _loaded(record: Any) -> dict[str, Any]:
    row = dict(record)
    if isinstance(row["data"], str):
        row["data"] = json.loads(row["data"])
    return row


async def read(after: int, limit: int, where: Filter) -> list[dict[str, Any]]:
    """Up to ``limit`` events after sequence ``after``, in sequence order."""
    clauses = ["e.sequence > {}"]
    values: list[Any] = [after]
    if where.types:
        clauses.append("e.type IN (" + ", ".join("{}" for _ in where.types) + ")")
        values.extend(sorted(where.types))
    if where.scopes is not None:
        clauses.append(_scope_clause(where.scopes, values))
    sql = (
        "SELECT e.id, e.sequence, e.type, e.recorded_at, e.resource, e.data FROM event e "
        f"WHERE {' AND '.join(clauses)} ORDER BY e.sequence LIMIT {int(limit)}"
    )
    rows = await DB.run_querystring(QueryString(sql, *values))
    return [_loaded(r) for r in rows]


def _scope_clause(scopes: frozenset[str], values: list[Any]) -> str:
    def member_of(group: list[str]) -> str:
        if not group:
            return "FALSE" if _postgres() else "0"
        values.extend(group)
        marks = ", ".join("{}" for _ in group)
        return f"e.sequence IN (SELECT s.sequence FROM event_scope s WHERE s.scope IN ({marks}))"

    if "&" in scopes:  # organisations' events within municipalities: both must hold
        organisations = sorted(s for s in scopes if s.startswith("organisation:"))
        codes = sorted(s for s in scopes if s != "&" and not s.startswith("organisation:"))
        return f"({member_of(organisations)}) AND ({member_of(codes)})"
    return member_of(sorted(scopes))


def _postgres() -> bool:
    from app.database import is_postgres

    return is_postgres()

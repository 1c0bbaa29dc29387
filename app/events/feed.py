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
    values: list[Any] = []
    columns = "e.id, e.sequence, e.type, e.recorded_at, e.resource, e.data"
    if where.scopes is None:
        clauses = ["e.sequence > {}"]
        values.append(after)
        if where.types:
            clauses.append(f"e.type IN ({_marks(where.types, values)})")
        sql = f"SELECT {columns} FROM event e WHERE {' AND '.join(clauses)}"
    else:
        sql = (
            f"SELECT {columns} FROM event e WHERE e.sequence IN "
            f"({_scoped_sequences(where, after, limit, values)})"
        )
    rows = await DB.run_querystring(
        QueryString(f"{sql} ORDER BY e.sequence LIMIT {int(limit)}", *values)
    )
    return [_loaded(r) for r in rows]


def _marks(items: Any, values: list[Any]) -> str:
    ordered = sorted(items)
    values.extend(ordered)
    return ", ".join("{}" for _ in ordered)


def _scoped_sequences(where: Filter, after: int, limit: int, values: list[Any]) -> str:
    """The next ``limit`` sequences within the scopes: a range scan of the (scope,
    sequence) index per scope, so a municipality's page costs what its events do."""
    assert where.scopes is not None
    scopes = set(where.scopes)
    both = "&" in scopes
    organisations = {s for s in scopes if s.startswith("organisation:")}
    first = organisations if both else scopes - {"&"}
    if not first:
        return "SELECT NULL WHERE 1 = 0"
    joined = ""
    if where.types:
        types = _marks(where.types, values)
        joined = f" JOIN event t ON t.sequence = s.sequence AND t.type IN ({types})"
    sql = (
        f"SELECT DISTINCT s.sequence FROM event_scope s{joined} "
        f"WHERE s.scope IN ({_marks(first, values)}) AND s.sequence > {{}}"
    )
    values.append(after)
    if both:  # an organisation's events within the municipalities it asked for
        codes = scopes - organisations - {"&"}
        sql += (
            " AND s.sequence IN (SELECT c.sequence FROM event_scope c "
            f"WHERE c.scope IN ({_marks(codes, values)}) AND c.sequence > {{}})"
        )
        values.append(after)
    return f"{sql} ORDER BY s.sequence LIMIT {int(limit)}"

"""Every write to municipalities: loading the shipped reference data and applying a newer
CBS list. Both go through the audited record writes, in one transaction each."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any
from uuid import UUID

from app.database import write_transaction
from app.municipalities.changes import Change, plan_update
from app.municipalities.reference import MunicipalityFact, Succession, shipped
from app.store import records
from app.tables.tables import Municipality, MunicipalitySuccessor

REFERENCE_ACTOR = "reference data (TOOI register gemeenten compleet v4)"
UPDATE_ACTOR = "cli: handover municipalities update"


async def _registry() -> dict[str, dict[str, Any]]:
    rows = await Municipality.select(
        Municipality.id,
        Municipality.code,
        Municipality.name,
        Municipality.province,
        Municipality.valid_from,
        Municipality.valid_to,
        Municipality.successor,
    )
    return {r["code"]: r for r in rows}


async def _links() -> set[tuple[UUID, UUID]]:
    rows = await MunicipalitySuccessor.select(
        MunicipalitySuccessor.municipality, MunicipalitySuccessor.successor
    )
    return {(r["municipality"], r["successor"]) for r in rows}


async def _link(ids: dict[str, UUID], successions: list[Succession], actor: str) -> None:
    """Record where a municipality went; the single successor of a merger also on its row."""
    for succession in successions:
        await records.create(
            MunicipalitySuccessor,
            {
                "municipality": ids[succession.code],
                "successor": ids[succession.successor],
                "valid_from": succession.on,
                "part": succession.part,
            },
            actor=actor,
        )


async def load_reference() -> int:
    """Give the registry every shipped municipality and herindeling it lacks; rows it has
    keep their ids and their values, gaining only empty dates and successors.
    Returns how many rows were written (0 on a second run)."""
    facts, successions = shipped()
    registry = await _registry()
    links = await _links()
    by_code = {r["code"]: r["id"] for r in registry.values()}
    missing_links = [
        s
        for s in successions
        if s.code not in by_code
        or s.successor not in by_code
        or (by_code[s.code], by_code[s.successor]) not in links
    ]
    lacking = [f for f in facts if f.code not in registry]
    if not lacking and not missing_links and not _fills(facts, registry, successions):
        return 0
    async with write_transaction():
        for fact in lacking:
            row = await records.create(
                Municipality,
                {
                    "code": fact.code,
                    "name": fact.name,
                    "province": fact.province,
                    "valid_from": fact.valid_from,
                    "valid_to": fact.valid_to,
                },
                actor=REFERENCE_ACTOR,
            )
            by_code[fact.code] = row["id"]
        await _link(by_code, missing_links, REFERENCE_ACTOR)
        fills = _fills(facts, await _registry(), successions)
        for code, changes in fills.items():
            successor = changes.pop("successor_code", None)
            if successor is not None:
                changes["successor"] = by_code[successor]
            await records.update(Municipality, by_code[code], changes, actor=REFERENCE_ACTOR)
    return len(lacking) + len(missing_links) + len(fills)


def _fills(
    facts: list[MunicipalityFact],
    registry: dict[str, dict[str, Any]],
    successions: list[Succession],
) -> dict[str, dict[str, Any]]:
    """Empty dates and successors of existing rows that the reference data can fill."""
    successors: dict[str, list[str]] = defaultdict(list)
    for succession in successions:
        successors[succession.code].append(succession.successor)
    fills: dict[str, dict[str, Any]] = {}
    for fact in facts:
        row = registry.get(fact.code)
        if row is None:
            continue
        changes: dict[str, Any] = {}
        if row["valid_to"] is None and fact.valid_to is not None:
            changes["valid_to"] = fact.valid_to
        if row["valid_from"] is None and fact.valid_from is not None:
            changes["valid_from"] = fact.valid_from
        if row["successor"] is None and len(successors.get(fact.code, ())) == 1:
            changes["successor_code"] = successors[fact.code][0]
        if changes:
            fills[fact.code] = changes
    return fills


async def plan(
    listed: list[MunicipalityFact], successions: list[Succession], on: date
) -> list[Change]:
    registry = {
        code: MunicipalityFact(code, r["name"], r["province"], r["valid_from"], r["valid_to"])
        for code, r in (await _registry()).items()
    }
    return plan_update(registry, listed, successions, on)


async def apply_update(
    listed: list[MunicipalityFact],
    successions: list[Succession],
    on: date,
    *,
    dry_run: bool = False,
    actor: str = UPDATE_ACTOR,
) -> list[Change]:
    """Apply what a newer CBS list changes, all or nothing; ``dry_run`` only says what."""
    async with write_transaction():
        changes = await plan(listed, successions, on)
        if dry_run or not changes:
            return changes
        ids = {code: r["id"] for code, r in (await _registry()).items()}
        for change in changes:
            if change.kind == "new":
                row = await records.create(Municipality, change.values, actor=actor)
                ids[change.code] = row["id"]
        for change in changes:
            if change.kind in {"rename", "province"}:
                await records.update(Municipality, ids[change.code], change.values, actor=actor)
            elif change.kind == "ended":
                values = dict(change.values)
                if len(change.successions) == 1:
                    values["successor"] = ids[change.successions[0].successor]
                await records.update(Municipality, ids[change.code], values, actor=actor)
                await _link(ids, list(change.successions), actor)
    return changes

"""From the changes of one write transaction to the events they call for.

Runs inside that transaction, after its writes, so it sees the registry as the
transaction leaves it: a provision closed and its successor opened in one handover is
one provider change, not a gap. Events carry ids, codes, dates and statuses only: never
a name, a note or anything else that could be personal data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from app.changes import Change
from app.continuity.engine import find_breaches
from app.continuity.queries import IN_FORCE_STATUSES, PLANNED, as_guarantee
from app.events.types import EventType, NewEvent, organisation_scope
from app.provisions.periods import as_period
from app.provisions.queries import PERIOD_COLUMNS, PeriodRow
from app.store.typed_rows import as_rows, columns_for
from app.tables.tables import (
    ContinuityGuarantee,
    Event,
    Handover,
    HandoverParty,
    HandoverService,
    Municipality,
    Provision,
)

#: Breaches are judged over the whole recorded timeline, planned future included.
_JUDGED_UNTIL = date(9999, 1, 1)


def _id(value: Any) -> str | None:
    return None if value is None else str(value)


def _day(value: Any) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(slots=True)
class _Touched:
    handovers: set[UUID]
    tracks: set[tuple[UUID, UUID]]


async def _codes(municipality_ids: Iterable[UUID]) -> dict[UUID, str]:
    ids = list(set(municipality_ids))
    if not ids:
        return {}
    rows = await Municipality.select(Municipality.id, Municipality.code).where(
        Municipality.id.is_in(ids)
    )
    return {r["id"]: r["code"] for r in rows}


class PartyScopeRow(msgspec.Struct, frozen=True):
    organisation: UUID | None
    municipality_code: str | None = msgspec.field(name="municipality.code")


class MovedScopeRow(msgspec.Struct, frozen=True):
    municipality_code: str = msgspec.field(name="municipality.code")
    from_organisation: UUID | None


async def handover_scope(handover_id: UUID) -> tuple[list[str], set[str]]:
    """The municipality codes a handover touches, and its parties' organisation scopes."""
    parties = as_rows(
        PartyScopeRow,
        await HandoverParty.select(*columns_for(PartyScopeRow, HandoverParty)).where(
            HandoverParty.handover == handover_id
        ),
    )
    moved = as_rows(
        MovedScopeRow,
        await HandoverService.select(*columns_for(MovedScopeRow, HandoverService)).where(
            HandoverService.handover == handover_id
        ),
    )
    codes = {r.municipality_code for r in parties if r.municipality_code}
    codes |= {r.municipality_code for r in moved}
    organisations = {organisation_scope(r.organisation) for r in parties if r.organisation}
    organisations |= {organisation_scope(r.from_organisation) for r in moved if r.from_organisation}
    return sorted(codes), organisations


async def _handover_event(
    kind: EventType, handover_id: UUID, data: dict[str, Any], once_key: str | None = None
) -> NewEvent:
    codes, organisations = await handover_scope(handover_id)
    return NewEvent(
        type=kind,
        resource=f"/api/v1/handovers/{handover_id}",
        subject=str(handover_id),
        data={"municipalityCodes": codes, "handoverId": str(handover_id), **data},
        scopes={*codes, *organisations},
        once_key=once_key,
    )


async def _handover_events(change: Change, touched: _Touched) -> list[NewEvent]:
    handover_id = UUID(change.record_id)
    touched.handovers.add(handover_id)
    before, after = change.before or {}, change.after or {}
    if change.action == "create":
        return [
            await _handover_event(
                EventType.HANDOVER_CREATED,
                handover_id,
                {
                    "kind": after.get("kind"),
                    "status": after.get("status"),
                    "effectiveOn": _day(after.get("effective_on")),
                },
            )
        ]
    if change.action == "transition":
        return [
            await _handover_event(
                EventType.HANDOVER_STATUS_CHANGED,
                handover_id,
                {"from": before["status"], "to": after["status"], "on": _day(after["on"])},
            )
        ]
    if change.action == "update" and before.get("effective_on") != after.get("effective_on"):
        return [
            await _handover_event(
                EventType.HANDOVER_EFFECTIVE_DATE_CHANGED,
                handover_id,
                {
                    "from": _day(before.get("effective_on")),
                    "to": _day(after.get("effective_on")),
                },
            )
        ]
    return []


def _provider_event(
    provision: dict[str, Any], code: str, on: date, from_provider: Any, to_provider: Any
) -> NewEvent:
    return NewEvent(
        type=EventType.PROVIDER_CHANGED,
        resource=f"/api/v1/provisions/{provision['id']}",
        subject=str(provision["id"]),
        data={
            "municipalityCodes": [code],
            "serviceId": str(provision["service"]),
            "on": on.isoformat(),
            "fromProviderId": _id(from_provider),
            "toProviderId": _id(to_provider),
            "provisionId": str(provision["id"]),
            "handoverId": _id(provision.get("opened_by") or provision.get("closed_by")),
        },
        scopes={
            code,
            *(organisation_scope(p) for p in (from_provider, to_provider) if p is not None),
        },
    )


async def _provision_events(change: Change, touched: _Touched) -> list[NewEvent]:
    row = change.after or change.before
    if row is None:
        return []
    touched.tracks.add((row["service"], row["municipality"]))
    code = (await _codes([row["municipality"]]))[row["municipality"]]
    same_track = (Provision.service == row["service"]) & (
        Provision.municipality == row["municipality"]
    )
    if change.action == "create":
        previous = await Provision.select(Provision.organisation).where(
            same_track & (Provision.valid_to == row["valid_from"])
        )
        from_provider = previous[0]["organisation"] if previous else None
        return [_provider_event(row, code, row["valid_from"], from_provider, row["organisation"])]
    before, after = change.before or {}, change.after
    if change.action == "update" and after and after["valid_to"] != before.get("valid_to"):
        ends = after["valid_to"]
        if ends is None:
            return []
        successor = await Provision.exists().where(same_track & (Provision.valid_from == ends))
        if not successor:
            return [_provider_event(after, code, ends, after["organisation"], None)]
    return []


async def _guarantee_events(change: Change, touched: _Touched) -> list[NewEvent]:
    row = change.after
    if row is None:
        return []
    touched.tracks.add((row["service"], row["municipality"]))
    code = (await _codes([row["municipality"]]))[row["municipality"]]
    _, organisations = await handover_scope(row["handover"])
    return [
        NewEvent(
            type=EventType.GUARANTEE_CHANGED,
            resource=f"/api/v1/handovers/{row['handover']}",
            subject=str(row["id"]),
            data={
                "municipalityCodes": [code],
                "handoverId": str(row["handover"]),
                "guaranteeId": str(row["id"]),
                "serviceId": str(row["service"]),
                "validFrom": _day(row["valid_from"]),
                "until": _day(row["until"]),
                "reviewOn": _day(row["review_on"]),
                "fullStrength": row["full_strength"],
                "sameConditions": row["same_conditions"],
            },
            scopes={code, *organisations},
        )
    ]


async def last_breach_state(guarantee_ids: list[UUID]) -> dict[str, bool]:
    """Whether each guarantee was last said to be breached (absent: never said)."""
    if not guarantee_ids:
        return {}
    rows = await (
        Event.select(Event.subject, Event.type)
        .where(
            Event.subject.is_in([str(g) for g in guarantee_ids])
            & Event.type.is_in([EventType.GUARANTEE_BREACHED, EventType.GUARANTEE_RESTORED])
        )
        .order_by(Event.sequence)
    )
    return {r["subject"]: r["type"] == EventType.GUARANTEE_BREACHED for r in rows}


class JudgedGuaranteeRow(msgspec.Struct, frozen=True):
    """What judging a guarantee takes of it."""

    id: UUID
    handover: UUID
    service: UUID
    municipality: UUID
    valid_from: date
    until: date | None
    full_strength: bool
    baseline_fte: float | None


async def breach_events(tracks: set[tuple[UUID, UUID]]) -> list[NewEvent]:
    """``guarantee-breached`` or ``-restored`` for each guarantee on ``tracks`` whose state
    the registry now records differs from what it last said."""
    if not tracks:
        return []
    services = list({s for s, _ in tracks})
    municipalities = list({m for _, m in tracks})
    found = await ContinuityGuarantee.select(
        *columns_for(JudgedGuaranteeRow, ContinuityGuarantee)
    ).where(
        ContinuityGuarantee.service.is_in(services)
        & ContinuityGuarantee.municipality.is_in(municipalities)
        & ContinuityGuarantee.handover.status.is_in(list(IN_FORCE_STATUSES))
    )
    rows = [r for r in as_rows(JudgedGuaranteeRow, found) if (r.service, r.municipality) in tracks]
    if not rows:
        return []
    provisions = await Provision.select(*PERIOD_COLUMNS).where(
        Provision.service.is_in(services) & Provision.municipality.is_in(municipalities)
    )
    periods = [as_period(p) for p in as_rows(PeriodRow, provisions)]
    said = await last_breach_state([r.id for r in rows])
    codes = await _codes(r.municipality for r in rows)
    events = []
    for row in rows:
        breaches = find_breaches(as_guarantee(row), periods, _JUDGED_UNTIL)
        breached = bool(breaches)
        if breached == said.get(str(row.id), False):
            continue
        code = codes[row.municipality]
        _, organisations = await handover_scope(row.handover)
        data = {
            "municipalityCodes": [code],
            "handoverId": str(row.handover),
            "guaranteeId": str(row.id),
            "serviceId": str(row.service),
        }
        if breached:
            first = breaches[0]
            data |= {"from": first.start.isoformat(), "reason": first.reason}
        events.append(
            NewEvent(
                type=EventType.GUARANTEE_BREACHED if breached else EventType.GUARANTEE_RESTORED,
                resource=f"/api/v1/handovers/{row.handover}",
                subject=str(row.id),
                data=data,
                scopes={code, *organisations},
            )
        )
    return events


class MovedTrackRow(msgspec.Struct, frozen=True):
    service: UUID
    municipality: UUID
    municipality_code: str = msgspec.field(name="municipality.code")


async def gap_events(handover_ids: set[UUID]) -> list[NewEvent]:
    """``gap-foreseen`` for planned handovers whose effective date lies after the end of a
    service's current provision: the days in between would have no provider."""
    if not handover_ids:
        return []
    handovers = await Handover.select(Handover.id, Handover.effective_on).where(
        Handover.id.is_in(list(handover_ids))
        & Handover.status.is_in(list(PLANNED))
        & Handover.effective_on.is_not_null()
    )
    events = []
    for handover in handovers:
        effective_on = handover["effective_on"]
        moved = as_rows(
            MovedTrackRow,
            await HandoverService.select(*columns_for(MovedTrackRow, HandoverService)).where(
                HandoverService.handover == handover["id"]
            ),
        )
        for move in moved:
            track = await Provision.select(Provision.valid_from, Provision.valid_to).where(
                (Provision.service == move.service)
                & (Provision.municipality == move.municipality)
                & (Provision.valid_from < effective_on)
            )
            if not track or any(
                p["valid_to"] is None or p["valid_to"] >= effective_on for p in track
            ):
                continue
            gap_from = max(p["valid_to"] for p in track)
            events.append(
                await _handover_event(
                    EventType.GAP_FORESEEN,
                    handover["id"],
                    {
                        "municipalityCodes": [move.municipality_code],
                        "serviceId": str(move.service),
                        "from": gap_from.isoformat(),
                        "to": effective_on.isoformat(),
                    },
                    once_key=(
                        f"gap:{handover['id']}:{move.service}:{move.municipality_code}"
                        f":{gap_from}:{effective_on}"
                    ),
                )
            )
    return events


_DERIVERS = {
    "handover": _handover_events,
    "provision": _provision_events,
    "continuity_guarantee": _guarantee_events,
}


async def events_for(changes: list[Change]) -> list[NewEvent]:
    touched = _Touched(handovers=set(), tracks=set())
    events: list[NewEvent] = []
    for change in changes:
        if change.record_type in {"handover_service", "handover_party"}:
            handover = (change.after or change.before or {}).get("handover")
            if handover is not None:
                touched.handovers.add(handover)
            continue
        if derive := _DERIVERS.get(change.record_type):
            events.extend(await derive(change, touched))
    events.extend(await breach_events(touched.tracks))
    events.extend(await gap_events(touched.handovers))
    return events

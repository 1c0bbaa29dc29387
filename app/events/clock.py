"""Time-driven events: the day an effective date or a guarantee's end is reached.

The worker looks each round; each event has a ``once_key``, so however many workers
look, and however often, each day reached is told once. Dates reached within the last
``LOOKBACK_DAYS`` count, so a worker that was down for a while catches up, while the
registry's history does not flood the feed when the worker first runs.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.continuity.queries import IN_FORCE_STATUSES, NOT_CANCELLED
from app.database import write_transaction
from app.dates import today
from app.events import outbox
from app.events.derive import handover_scope
from app.events.types import EventType
from app.tables.tables import ContinuityGuarantee, Handover, Municipality

LOOKBACK_DAYS = 30


async def reached_events(on: date) -> list[outbox.NewEvent]:
    since = on - timedelta(days=LOOKBACK_DAYS)
    events = []
    handovers = await Handover.select(Handover.id, Handover.effective_on, Handover.status).where(
        (Handover.effective_on <= on)
        & (Handover.effective_on > since)
        & Handover.status.is_in(list(NOT_CANCELLED))
    )
    for row in handovers:
        codes, organisations = await handover_scope(row["id"])
        events.append(
            outbox.NewEvent(
                type=EventType.EFFECTIVE_DATE_REACHED,
                resource=f"/api/v1/handovers/{row['id']}",
                subject=str(row["id"]),
                data={
                    "municipalityCodes": codes,
                    "handoverId": str(row["id"]),
                    "on": row["effective_on"].isoformat(),
                    "status": row["status"],
                },
                scopes={*codes, *organisations},
                once_key=f"effective-date-reached:{row['id']}:{row['effective_on']}",
            )
        )
    guarantees = await ContinuityGuarantee.select(
        ContinuityGuarantee.id,
        ContinuityGuarantee.handover,
        ContinuityGuarantee.service,
        ContinuityGuarantee.until,
        ContinuityGuarantee.municipality,
    ).where(
        (ContinuityGuarantee.until <= on)
        & (ContinuityGuarantee.until > since)
        & ContinuityGuarantee.handover.status.is_in(list(IN_FORCE_STATUSES))
    )
    codes_by_id = {}
    if guarantees:
        rows = await Municipality.select(Municipality.id, Municipality.code).where(
            Municipality.id.is_in(list({g["municipality"] for g in guarantees}))
        )
        codes_by_id = {r["id"]: r["code"] for r in rows}
    for row in guarantees:
        code = codes_by_id[row["municipality"]]
        _, organisations = await handover_scope(row["handover"])
        events.append(
            outbox.NewEvent(
                type=EventType.GUARANTEE_ENDED,
                resource=f"/api/v1/handovers/{row['handover']}",
                subject=str(row["id"]),
                data={
                    "municipalityCodes": [code],
                    "handoverId": str(row["handover"]),
                    "guaranteeId": str(row["id"]),
                    "serviceId": str(row["service"]),
                    "on": row["until"].isoformat(),
                },
                scopes={code, *organisations},
                once_key=f"guarantee-ended:{row['id']}:{row['until']}",
            )
        )
    return events


async def emit_reached(on: date | None = None) -> int:
    """Write the events of dates reached by ``on`` (default today) not told before."""
    day = on or today()
    candidates = await reached_events(day)
    if not candidates:
        return 0
    async with write_transaction():
        return len(await outbox.append(candidates))

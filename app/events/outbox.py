"""The outbox: events written in the transaction of the change they tell.

Writes note their changes with every audit event (``app.changes``); the outermost write
transaction hands them here just before it commits (``write_pending``, installed with
``before_commit`` when this module is imported). So a change commits with its events or
neither commits.

Gapless, in commit order: an event's ``sequence`` comes from the one row of
``event_counter``, updated in the writing transaction. On PostgreSQL that row stays locked
until the transaction ends, so a second writer waits for the first to commit (or roll
back, leaving no gap) before it takes the next number: no reader can see sequence n+1
while n is still to commit. SQLite serialises writers anyway.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from app.changes import Change, before_commit
from app.database import is_postgres
from app.events.derive import events_for
from app.events.types import NewEvent
from app.tables.tables import Event, EventCounter, EventScope

__all__ = ["NewEvent", "append", "write_pending"]


async def write_pending(changes: list[Change]) -> None:
    """Inside the outermost write transaction, before COMMIT: derive and write its events."""
    await append(await events_for(changes))


before_commit(write_pending)


async def _lock_counter() -> int:
    query = EventCounter.select(EventCounter.last).where(EventCounter.id == 1)
    if is_postgres():
        query = query.lock_rows()
    row = await query.first()
    return row["last"] if row else 0


async def append(events: list[NewEvent]) -> list[int]:
    """Write ``events`` (within a write transaction) with the next sequences; return them.

    Events whose ``once_key`` was emitted before are left out.
    """
    if not events:
        return []
    last = await _lock_counter()
    keys = [e.once_key for e in events if e.once_key]
    if keys:
        emitted = {
            r["once_key"]
            for r in await Event.select(Event.once_key).where(Event.once_key.is_in(keys))
        }
        seen: set[str] = set()
        kept = []
        for event in events:
            if event.once_key and (event.once_key in emitted or event.once_key in seen):
                continue
            if event.once_key:
                seen.add(event.once_key)
            kept.append(event)
        events = kept
    if not events:
        return []
    # Through the table, not a module-level engine: the counter must move on the database
    # the events go to, whichever engine the tables are bound to at the time.
    await EventCounter.update({EventCounter.last: last + len(events)}).where(EventCounter.id == 1)
    now = datetime.now(UTC)
    sequences = list(range(last + 1, last + len(events) + 1))
    await Event.insert(
        *[
            Event(
                id=uuid4(),
                sequence=sequence,
                type=str(event.type),
                recorded_at=now,
                resource=event.resource,
                subject=event.subject,
                data=event.data,
                once_key=event.once_key,
            )
            for sequence, event in zip(sequences, events, strict=True)
        ]
    )
    scopes = [
        EventScope(id=uuid4(), sequence=sequence, scope=scope)
        for sequence, event in zip(sequences, events, strict=True)
        for scope in sorted(event.scopes)
    ]
    if scopes:
        await EventScope.insert(*scopes)
    return sequences

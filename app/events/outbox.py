"""The outbox: events written in the transaction of the change they tell.

Writes note their changes here (``note_change``, called with every audit event); the
outermost write transaction turns them into events just before it commits
(``write_pending``). So a change commits with its events or neither commits.

Gapless, in commit order: an event's ``sequence`` comes from the one row of
``event_counter``, updated in the writing transaction. On PostgreSQL that row stays locked
until the transaction ends, so a second writer waits for the first to commit (or roll
back, leaving no gap) before it takes the next number: no reader can see sequence n+1
while n is still to commit. SQLite serialises writers anyway.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from piccolo.querystring import QueryString

from app.tables.tables import Event, EventCounter, EventScope


@dataclass(frozen=True, slots=True)
class Change:
    """One audited write: the raw material events are derived from."""

    record_type: str
    action: str
    record_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(slots=True)
class NewEvent:
    type: str
    resource: str
    subject: str
    data: dict[str, Any]
    scopes: set[str] = field(default_factory=set)
    #: Events that must be emitted once only carry a key the table keeps unique.
    once_key: str | None = None


_PENDING: ContextVar[list[Change] | None] = ContextVar("pending_changes", default=None)


def begin_collecting() -> Any:
    return _PENDING.set([])


def end_collecting(token: Any) -> None:
    _PENDING.reset(token)


def note_change(change: Change) -> None:
    pending = _PENDING.get()
    if pending is not None:
        pending.append(change)


async def write_pending() -> None:
    """Inside the outermost write transaction, before COMMIT: derive and write its events."""
    pending = _PENDING.get()
    if not pending:
        return
    from app.events.derive import events_for

    changes = list(pending)
    pending.clear()
    await append(await events_for(changes))


async def _lock_counter() -> int:
    from app.database import is_postgres

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
    from app.database import DB

    await DB.run_querystring(
        QueryString("UPDATE event_counter SET last = {} WHERE id = 1", last + len(events))
    )
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

"""Delivering events to subscriptions: at least once, in sequence order, signed.

A worker claims a subscription that has events it has not passed (a lease: on
PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so several workers never hold the same
one), posts its next events one by one, and records each attempt. The subscription's
``delivered_through`` moves only after a 2xx is recorded, so a worker that dies
mid-delivery leaves the event to be delivered again (with the same ``id``) once the
lease runs out. Failures back off exponentially; after the last retry the subscription
is suspended and says why; ``410 Gone`` ends it; ``429``/``503`` wait for ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
from piccolo.columns import Column
from piccolo.querystring import QueryString

from app.database import DB, is_postgres, write_transaction
from app.events.envelope import envelope
from app.events.feed import Filter, read
from app.events.signing import signed_request
from app.settings import get_settings
from app.tables.tables import Delivery, Subscription

#: Events one claim delivers before the subscription goes back in the queue.
BATCH = 100
#: Subscriptions one worker claims per round (their POSTs go out
#: ``delivery_concurrency`` at a time).
CLAIMED_PER_ROUND = 100


@dataclass(frozen=True, slots=True)
class Attempt:
    status_code: int | None
    error: str = ""
    retry_after: float | None = None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def backoff_seconds(failures: int) -> float:
    settings = get_settings()
    return settings.delivery_backoff_seconds * settings.delivery_backoff_factor ** (failures - 1)


def lease_seconds() -> float:
    """How long a claim holds: renewed before each POST, so only a dead worker's runs out."""
    return get_settings().delivery_timeout + 5


async def latest_sequence() -> int:
    rows = await DB.run_querystring(QueryString("SELECT last FROM event_counter WHERE id = 1"))
    return rows[0]["last"] if rows else 0


async def claim(limit: int, latest: int) -> list[dict[str, Any]]:
    """Lease up to ``limit`` active subscriptions with events up to ``latest`` to pass."""
    now = time.time()
    async with write_transaction():
        lock = " FOR UPDATE SKIP LOCKED" if is_postgres() else ""
        rows = await DB.run_querystring(
            QueryString(
                "SELECT id FROM subscription WHERE status = 'active' "
                "AND delivered_through < {} AND next_attempt_at <= {} AND leased_until <= {} "
                f"ORDER BY next_attempt_at LIMIT {int(limit)}{lock}",
                latest,
                now,
                now,
            )
        )
        ids = [r["id"] for r in rows]
        if not ids:
            return []
        await Subscription.update({Subscription.leased_until: now + lease_seconds()}).where(
            Subscription.id.is_in(ids)
        )
    claimed = await Subscription.select().where(Subscription.id.is_in(ids))
    from app.events.subscriptions import _loaded

    return [_loaded(r) for r in claimed]


async def post(client: httpx.AsyncClient, subscription: dict[str, Any], event: dict) -> Attempt:
    body, headers = signed_request(event, subscription["secret"], subscription["auth"])
    try:
        # httpx times each read; a receiver that drips its answer must not hold us longer.
        async with asyncio.timeout(get_settings().delivery_timeout):
            response = await client.post(
                subscription["callback_url"], content=body, headers=headers
            )
    except (httpx.TimeoutException, TimeoutError):
        return Attempt(None, "timeout")
    except httpx.HTTPError as error:
        return Attempt(None, f"{type(error).__name__}: {error}"[:500])
    wait = None
    if response.status_code in {429, 503}:
        wait = retry_after_seconds(response.headers.get("retry-after"))
    return Attempt(response.status_code, retry_after=wait)


@dataclass(slots=True)
class Round:
    """What one claim of one subscription did, recorded with the others in one commit."""

    subscription: dict[str, Any]
    attempts: list[Any] = field(default_factory=list)
    changes: dict[Any, Any] = field(default_factory=dict)


def consequence(subscription: dict[str, Any], event: dict, attempt: Attempt, now: float) -> Any:
    """The delivery row for ``attempt``, and the change it makes to the subscription."""
    next_at: float | None = None
    changes: dict[Column, Any]
    if attempt.delivered:
        outcome = "delivered"
        changes = {Subscription.delivered_through: int(event["sequence"]), Subscription.failures: 0}
    elif attempt.status_code == 410:
        outcome = "gone"
        changes = {
            Subscription.status: "ended",
            Subscription.status_reason: "the receiver answered 410 Gone",
        }
    else:
        failures = subscription["failures"] + 1
        if failures > get_settings().delivery_retries:
            outcome = "suspended"
            changes = {
                Subscription.status: "suspended",
                Subscription.failures: failures,
                Subscription.status_reason: (
                    f"event {event['sequence']} failed {failures} times "
                    f"(last: {attempt.status_code or attempt.error})"
                ),
            }
        else:
            outcome = "failed"
            wait = attempt.retry_after
            next_at = now + (wait if wait is not None else backoff_seconds(failures))
            changes = {Subscription.failures: failures, Subscription.next_attempt_at: next_at}
    row = Delivery(
        id=uuid4(),
        subscription=subscription["id"],
        event_id=UUID(event["id"]),
        sequence=int(event["sequence"]),
        attempted_at=datetime.fromtimestamp(now, UTC),
        status_code=attempt.status_code,
        outcome=outcome,
        error=attempt.error,
        next_attempt_at=datetime.fromtimestamp(next_at, UTC) if next_at else None,
    )
    return row, changes


async def record(rounds: list[Round]) -> None:
    """Store every attempt and its consequence, and free the leases, in one transaction.

    A worker that dies before this commit has its deliveries made again after the lease
    runs out: at least once, with the same event ids.
    """
    async with write_transaction():
        ids = [r.subscription["id"] for r in rounds]
        alive = {
            r["id"]
            for r in await Subscription.select(Subscription.id).where(Subscription.id.is_in(ids))
        }
        rows = [a for r in rounds if r.subscription["id"] in alive for a in r.attempts]
        if rows:
            await Delivery.insert(*rows)
        for each in rounds:
            if each.subscription["id"] in alive:
                await Subscription.update({**each.changes, Subscription.leased_until: 0.0}).where(
                    Subscription.id == each.subscription["id"]
                )


async def _keep_lease(subscription: dict[str, Any], held_until: float) -> float:
    """Renew the claim when it would run out during the next POST."""
    now = time.time()
    if held_until - now > get_settings().delivery_timeout + 2:
        return held_until
    held_until = now + lease_seconds()
    await Subscription.update({Subscription.leased_until: held_until}).where(
        Subscription.id == subscription["id"]
    )
    return held_until


def subscription_filter(subscription: dict[str, Any]) -> Filter:
    scope = subscription["scope"]
    return Filter(
        scopes=None if scope is None else frozenset(scope),
        types=frozenset(subscription["types"]),
    )


async def deliver_to(
    client: httpx.AsyncClient, subscription: dict[str, Any], events: list[dict], latest: int
) -> Round:
    """Post the claimed subscription's next ``events`` in order, until one fails.

    ``latest`` is the last sequence committed before the claim.
    """
    result = Round(subscription)
    held_until = subscription["leased_until"]
    for row in events:
        held_until = await _keep_lease(subscription, held_until)
        event = envelope(row)
        attempt = await post(client, subscription, event)
        delivery, changes = consequence(subscription, event, attempt, time.time())
        result.attempts.append(delivery)
        if not attempt.delivered:
            # Deliveries before the failure stand; the failure says what happens next.
            result.changes = {**result.changes, **changes}
            return result
        subscription["failures"] = 0
        result.changes = changes
    if len(events) < BATCH:
        # Everything for it up to ``latest`` went out: pass over the events it skips.
        # (Events may have come after ``latest`` was read: never step back behind them.)
        delivered = [a.sequence for a in result.attempts]
        through = max(latest, subscription["delivered_through"], *delivered)
        result.changes = {**result.changes, Subscription.delivered_through: through}
    return result


async def deliver_due(client: httpx.AsyncClient) -> int:
    """One round: claim what is due, deliver it, record it; return the events delivered."""
    latest = await latest_sequence()
    claimed = await claim(CLAIMED_PER_ROUND, latest)
    if not claimed:
        return 0
    # One connection for every claimed subscription's reads (SQLite opens one per query).
    async with DB.transaction():
        pending = [
            await read(s["delivered_through"], BATCH, subscription_filter(s)) for s in claimed
        ]
    in_flight = asyncio.Semaphore(get_settings().delivery_concurrency)

    async def deliver_one(subscription: dict[str, Any], events: list[dict]) -> Round:
        async with in_flight:
            return await deliver_to(client, subscription, events, latest)

    rounds = await asyncio.gather(
        *(deliver_one(s, events) for s, events in zip(claimed, pending, strict=True))
    )
    await record(list(rounds))
    return sum(1 for r in rounds for a in r.attempts if a.outcome == "delivered")


def delivery_client() -> httpx.AsyncClient:
    settings = get_settings()
    return httpx.AsyncClient(
        timeout=settings.delivery_timeout,
        limits=httpx.Limits(
            max_connections=settings.delivery_concurrency,
            max_keepalive_connections=settings.delivery_concurrency,
        ),
        follow_redirects=False,
    )

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
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
from piccolo.querystring import QueryString

from app.database import DB, is_postgres, write_transaction
from app.events.envelope import envelope
from app.events.feed import Filter, read
from app.events.signing import signed_request
from app.settings import get_settings
from app.tables.tables import Delivery, Subscription

#: Events one claim delivers before the subscription goes back in the queue.
BATCH = 100
#: Subscriptions one worker delivers to at the same time.
CONCURRENCY = 64


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


async def claim(limit: int) -> list[dict[str, Any]]:
    """Lease up to ``limit`` active subscriptions that have events to pass and are due."""
    now = time.time()
    latest = await latest_sequence()
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


async def _record(subscription: dict[str, Any], event: dict[str, Any], attempt: Attempt) -> bool:
    """Store the attempt and its consequence; True when the next event may follow."""
    now = time.time()
    changes: dict[Any, Any] = {}
    next_at: float | None = None
    if attempt.delivered:
        outcome = "delivered"
        changes = {
            Subscription.delivered_through: int(event["sequence"]),
            Subscription.failures: 0,
        }
    elif attempt.status_code == 410:
        outcome = "gone"
        changes = {
            Subscription.status: "ended",
            Subscription.status_reason: "the receiver answered 410 Gone",
        }
    else:
        failures = subscription["failures"] + 1
        subscription["failures"] = failures
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
    async with write_transaction():
        exists = await Subscription.exists().where(Subscription.id == subscription["id"])
        if not exists:  # deleted meanwhile
            return False
        await Delivery.insert(
            Delivery(
                id=uuid4(),
                subscription=subscription["id"],
                event_id=UUID(event["id"]),
                sequence=int(event["sequence"]),
                attempted_at=datetime.now(UTC),
                status_code=attempt.status_code,
                outcome=outcome,
                error=attempt.error,
                next_attempt_at=(datetime.fromtimestamp(next_at, UTC) if next_at else None),
            )
        )
        await Subscription.update(changes).where(Subscription.id == subscription["id"])
    return attempt.delivered


async def _pass_over(subscription_id: UUID, through: int) -> None:
    async with write_transaction():
        await Subscription.update({Subscription.delivered_through: through}).where(
            (Subscription.id == subscription_id) & (Subscription.delivered_through < through)
        )


def subscription_filter(subscription: dict[str, Any]) -> Filter:
    scope = subscription["scope"]
    return Filter(
        scopes=None if scope is None else frozenset(scope),
        types=frozenset(subscription["types"]),
    )


async def deliver_to(client: httpx.AsyncClient, subscription: dict[str, Any]) -> int:
    """Deliver the claimed subscription's next events in order; return how many arrived."""
    latest = await latest_sequence()
    events = await read(subscription["delivered_through"], BATCH, subscription_filter(subscription))
    delivered = 0
    for row in events:
        if not await _record(
            subscription, event := envelope(row), await post(client, subscription, event)
        ):
            break
        delivered += 1
    else:
        # Everything matching up to ``latest`` went out: pass over the events it skips.
        if len(events) < BATCH:
            await _pass_over(subscription["id"], latest)
    await Subscription.update({Subscription.leased_until: 0.0}).where(
        Subscription.id == subscription["id"]
    )
    return delivered


async def deliver_due(client: httpx.AsyncClient) -> int:
    """One round: claim what is due and deliver it; return the events delivered."""
    claimed = await claim(CONCURRENCY)
    if not claimed:
        return 0
    results = await asyncio.gather(*(deliver_to(client, s) for s in claimed))
    return sum(results)


def delivery_client() -> httpx.AsyncClient:
    settings = get_settings()
    return httpx.AsyncClient(
        timeout=settings.delivery_timeout,
        limits=httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY),
        follow_redirects=False,
    )

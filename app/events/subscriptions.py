"""Subscriptions (abonnementen): create with a test event, list, read, delete."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import httpx

from app.access.roles import Principal, Role
from app.database import write_transaction
from app.errors import InvalidInput, NotFound
from app.events.callbacks import check_callback_url
from app.events.envelope import cloud_time
from app.events.feed import narrowed, principal_scopes
from app.events.signing import new_secret, signed_request
from app.events.types import TEST_EVENT_TYPE, EventType
from app.identifiers import check_cbs_code
from app.settings import get_settings
from app.store.audit import record_event
from app.tables.tables import Delivery, EventCounter, Subscription


@dataclass(frozen=True, slots=True)
class NewSubscription:
    callback_url: str
    auth: str | None
    municipality_codes: list[str]
    types: list[str]


def _loaded(row: dict[str, Any]) -> dict[str, Any]:
    for column in ("scope", "municipality_codes", "types"):
        if isinstance(row.get(column), str):
            row[column] = json.loads(row[column])
    return row


def test_event(subscription_id: UUID) -> dict[str, Any]:
    settings = get_settings()
    return {
        "specversion": "1.0",
        "id": str(uuid4()),
        "source": settings.event_source,
        "type": TEST_EVENT_TYPE,
        "time": cloud_time(datetime.now(UTC)),
        "datacontenttype": "application/json",
        "dataref": f"{settings.public_url}/api/v1/subscriptions/{subscription_id}",
        "data": {"subscriptionId": str(subscription_id)},
    }


async def send_test_event(subscription_id: UUID, wanted: NewSubscription, secret: str) -> None:
    """Refuse the subscription unless its callback answers a signed test event with 2xx."""
    body, headers = signed_request(test_event(subscription_id), secret, wanted.auth)
    try:
        async with httpx.AsyncClient(timeout=get_settings().delivery_timeout) as client:
            response = await client.post(wanted.callback_url, content=body, headers=headers)
    except httpx.HTTPError as error:
        raise InvalidInput(
            f"the callback URL did not answer the test event: {type(error).__name__}",
            field="callbackUrl",
        ) from None
    if not 200 <= response.status_code < 300:
        raise InvalidInput(
            f"the callback URL answered the test event with {response.status_code}, not 2xx",
            field="callbackUrl",
        )


def check_types(types: list[str]) -> list[str]:
    known = {str(t) for t in EventType}
    if unknown := [t for t in types if t not in known]:
        raise InvalidInput(
            f"unknown event type {unknown[0]!r}: use one of the types in the README",
            field="types",
        )
    return sorted(set(types))


async def create(principal: Principal, wanted: NewSubscription) -> tuple[dict[str, Any], str]:
    """Check, test and store a subscription; return it and its secret (shown once)."""
    check_callback_url(wanted.callback_url)
    for code in wanted.municipality_codes:
        check_cbs_code(code, field="municipalityCodes")
    types = check_types(wanted.types)
    allowed = await principal_scopes(principal)
    # Refuses codes outside a municipality key's scope (403) before anything is sent.
    scopes = await narrowed(allowed, wanted.municipality_codes)
    subscription_id = uuid4()
    secret = new_secret()
    await send_test_event(subscription_id, wanted, secret)
    async with write_transaction():
        counter = await EventCounter.select(EventCounter.last).where(EventCounter.id == 1).first()
        row: dict[str, Any] = {
            "id": subscription_id,
            "api_key": principal.key_id,
            "scope": None if scopes is None else sorted(scopes),
            "municipality_codes": sorted(set(wanted.municipality_codes)),
            "types": types,
            "callback_url": wanted.callback_url,
            "auth": wanted.auth,
            "secret": secret,
            # A new subscription hears of what happens from now on; the feed has the past.
            "delivered_through": counter["last"] if counter else 0,
            "created_at": datetime.now(UTC),
        }
        await Subscription.insert(Subscription(**row))
        await record_event(
            actor=principal.actor,
            action="create",
            record_type="subscription",
            record_id=subscription_id,
            after={k: v for k, v in row.items() if k not in {"secret", "auth"}},
        )
    return await get(principal, subscription_id), secret


def _owned(principal: Principal) -> Any:
    if principal.role is Role.ADMIN:
        return None
    return Subscription.api_key == principal.key_id


async def get(principal: Principal, subscription_id: UUID) -> dict[str, Any]:
    query = Subscription.select().where(Subscription.id == subscription_id)
    if (owned := _owned(principal)) is not None:
        query = query.where(owned)
    row = await query.first()
    if row is None:
        raise NotFound(f"no subscription with id {subscription_id} for this key")
    return _loaded(row)


async def list_for(principal: Principal, limit: int, after: UUID | None) -> list[dict[str, Any]]:
    query = Subscription.select()
    if (owned := _owned(principal)) is not None:
        query = query.where(owned)
    if after is not None:
        query = query.where(Subscription.id > after)
    return [_loaded(r) for r in await query.order_by(Subscription.id).limit(limit)]


async def delete(principal: Principal, subscription_id: UUID) -> None:
    async with write_transaction():
        row = await get(principal, subscription_id)
        await Subscription.delete().where(Subscription.id == subscription_id)
        await record_event(
            actor=principal.actor,
            action="delete",
            record_type="subscription",
            record_id=subscription_id,
            before={k: v for k, v in row.items() if k not in {"secret", "auth"}},
        )


async def deliveries(principal: Principal, subscription_id: UUID, limit: int) -> list[dict]:
    await get(principal, subscription_id)
    return await (
        Delivery.select()
        .where(Delivery.subscription == subscription_id)
        .order_by(Delivery.attempted_at, ascending=False)
        .order_by(Delivery.sequence, ascending=False)
        .limit(limit)
    )

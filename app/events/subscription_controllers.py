"""Subscriptions (abonnementen): events delivered by HTTP POST to a callback URL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, delete, get, post
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from app.api.auth import CurrentPrincipal
from app.api.pagination import Limit
from app.api.params import IdPath
from app.events import subscriptions
from app.events.types import EventTypeName
from app.fields import CbsCode, text
from app.schemas import Page, Schema

#: https, or plain http only to 127.0.0.1 (the demo, the tests).
CallbackUrl = Annotated[str, text(1000, min_length=1)]
#: Sent as the Authorization header of each delivery, e.g. "Bearer …".
AuthHeader = Annotated[str, text(2000)]


class SubscriptionCreate(Schema):
    callback_url: CallbackUrl
    auth: AuthHeader | None = None
    municipality_codes: list[CbsCode] = []
    # A Literal built from EventType at runtime, which mypy cannot read; EventType itself
    # would turn the inline enum of the OpenAPI document into a $ref.
    types: list[EventTypeName] = []  # type: ignore[valid-type]


class SubscriptionOut(Schema):
    id: UUID
    callback_url: str
    municipality_codes: list[str]
    types: list[str]
    status: str
    status_reason: str
    delivered_through: str
    failures: int
    next_attempt_at: datetime | None
    created_at: datetime


class SubscriptionCreated(SubscriptionOut):
    """As a subscription, plus its signing secret: shown here once, never again."""

    secret: str


class DeliveryOut(Schema):
    event_id: UUID
    sequence: str
    attempted_at: datetime
    status_code: int | None
    outcome: str
    error: str
    next_attempt_at: datetime | None


def subscription_fields(row: dict[str, Any]) -> dict[str, Any]:
    waits = row["next_attempt_at"] and row["status"] == "active" and row["failures"]
    return {
        "id": row["id"],
        "callback_url": row["callback_url"],
        "municipality_codes": row["municipality_codes"],
        "types": row["types"],
        "status": row["status"],
        "status_reason": row["status_reason"],
        "delivered_through": str(row["delivered_through"]),
        "failures": row["failures"],
        "next_attempt_at": datetime.fromtimestamp(row["next_attempt_at"], UTC) if waits else None,
        "created_at": row["created_at"],
    }


class SubscriptionController(Controller):
    path = "/subscriptions"
    tags = ["subscriptions"]

    @post(operation_id="createSubscription", status_code=HTTP_201_CREATED)
    async def create_subscription(
        self, principal: CurrentPrincipal, data: JSONBody[SubscriptionCreate]
    ) -> Response[SubscriptionCreated]:
        """Subscribe a callback URL; it must answer a signed test event with 2xx."""
        row, secret = await subscriptions.create(
            principal,
            subscriptions.NewSubscription(
                callback_url=data.callback_url,
                auth=data.auth,
                municipality_codes=list(data.municipality_codes),
                types=[str(t) for t in data.types],
            ),
        )
        body = SubscriptionCreated(**subscription_fields(row), secret=secret)
        return Response(
            body,
            status_code=HTTP_201_CREATED,
            headers={"Location": f"/api/v1/subscriptions/{row['id']}"},
        )

    @get(operation_id="listSubscriptions")
    async def list_subscriptions(
        self,
        principal: CurrentPrincipal,
        limit: Limit = 50,
        cursor: Annotated[
            UUID | None,
            QueryParameter(description="The `next` value of the previous page.", required=False),
        ] = None,
    ) -> Page[SubscriptionOut]:
        """This key's subscriptions (an admin's: all)."""
        rows = await subscriptions.list_for(principal, limit + 1, cursor)
        items = [SubscriptionOut(**subscription_fields(r)) for r in rows[:limit]]
        return Page(items=items, next=str(items[-1].id) if len(rows) > limit else None)

    @get("/{subscription_id:uuid}", operation_id="getSubscription")
    async def get_subscription(
        self, principal: CurrentPrincipal, subscription_id: IdPath
    ) -> SubscriptionOut:
        """One subscription, with its delivery state."""
        return SubscriptionOut(
            **subscription_fields(await subscriptions.get(principal, subscription_id))
        )

    @delete("/{subscription_id:uuid}", operation_id="deleteSubscription", status_code=204)
    async def delete_subscription(
        self, principal: CurrentPrincipal, subscription_id: IdPath
    ) -> None:
        """End a subscription: nothing more is delivered to it."""
        await subscriptions.delete(principal, subscription_id)

    @get("/{subscription_id:uuid}/deliveries", operation_id="listSubscriptionDeliveries")
    async def list_deliveries(
        self, principal: CurrentPrincipal, subscription_id: IdPath, limit: Limit = 50
    ) -> Page[DeliveryOut]:
        """Recent delivery attempts, newest first: event, time, status code, next attempt."""
        rows = await subscriptions.deliveries(principal, subscription_id, limit)
        return Page(
            items=[
                DeliveryOut(
                    event_id=r["event_id"],
                    sequence=str(r["sequence"]),
                    attempted_at=r["attempted_at"],
                    status_code=r["status_code"],
                    outcome=r["outcome"],
                    error=r["error"],
                    next_attempt_at=r["next_attempt_at"],
                )
                for r in rows
            ]
        )

"""The admins' Dutch page on subscriptions and their deliveries."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from app.tables.tables import Delivery, Subscription


async def test_admins_see_each_subscription_and_its_attempts(as_role) -> None:
    subscription_id = uuid4()
    await Subscription.insert(
        Subscription(
            id=subscription_id,
            api_key="test",
            callback_url="https://gemeente.example/meldingen",
            secret="whsec_dGVzdA==",
            status="suspended",
            status_reason="event 7 failed 6 times (last: 500)",
            delivered_through=6,
            failures=6,
            created_at=datetime.now(UTC),
        )
    )
    await Delivery.insert(
        Delivery(
            id=uuid4(),
            subscription=subscription_id,
            event_id=uuid4(),
            sequence=7,
            attempted_at=datetime.now(UTC),
            status_code=500,
            outcome="suspended",
        )
    )
    try:
        page = await as_role["admin"].get("/beheer/abonnementen")
        assert page.status_code == 200
        assert "https://gemeente.example/meldingen" in page.text
        assert "opgeschort" in page.text
        assert "event 7 failed 6 times" in page.text
        assert "mislukt, opgeschort" in page.text
        assert "whsec_" not in page.text
        refused = await as_role["municipality"].get("/beheer/abonnementen")
        assert refused.status_code == 403
    finally:
        await Subscription.delete().where(Subscription.id == subscription_id)

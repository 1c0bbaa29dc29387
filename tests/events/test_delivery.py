"""Delivery to real receivers: signed, in order, retried, and honest about failure."""

from __future__ import annotations

from typing import Any

from app.events.delivery import latest_sequence
from app.tables.tables import Delivery, Subscription
from tests.events.conftest import deliver_until, new_track, provide, subscribe
from tests.events.receivers import Receiver
from tests.helpers import bearer

PROVIDER_CHANGED = "nl.overdrachtsregister.provider-changed"


async def changes(client, keys, demo_ids, code: str, count: int) -> list[str]:
    """``count`` provider changes in ``code``; their provision ids, in order."""
    service = await new_track(client, keys, demo_ids["organisation_id"])
    ids = []
    for i in range(count):
        provision = await provide(
            client,
            keys,
            service["id"],
            demo_ids["organisation_id"],
            code,
            f"{2030 + i}-01-01",
            f"{2031 + i}-01-01",
        )
        ids.append(provision["id"])
    return ids


def provisions_of(events: list[dict[str, Any]]) -> list[str]:
    return [e["data"]["provisionId"] for e in events if e["type"] == PROVIDER_CHANGED]


async def test_each_subscription_gets_its_own_events_signed_in_order(
    client, keys, demo_ids, receiver
) -> None:
    _, groningen = await subscribe(client, keys["municipality"], receiver.url("/groningen"))
    _, emmen = await subscribe(client, keys["municipality_other"], receiver.url("/emmen"))
    _, types_only = await subscribe(
        client, keys["admin"], receiver.url("/admin"), types=[PROVIDER_CHANGED]
    )
    in_groningen = await changes(client, keys, demo_ids, "GM0014", 3)
    in_emmen = await changes(client, keys, demo_ids, "GM0114", 2)
    await deliver_until(
        lambda: (
            len(receiver.events("/groningen")) >= 3
            and len(receiver.events("/emmen")) >= 2
            and len(receiver.events("/admin")) >= 5
        )
    )
    assert provisions_of(receiver.events("/groningen")) == in_groningen
    assert provisions_of(receiver.events("/emmen")) == in_emmen
    assert provisions_of(receiver.events("/admin")) == in_groningen + in_emmen
    assert {e["type"] for e in receiver.events("/admin")} == {PROVIDER_CHANGED}
    for path, subscription in (
        ("/groningen", groningen),
        ("/emmen", emmen),
        ("/admin", types_only),
    ):
        assert receiver.verify_all(path, subscription["secret"]) >= 1
        sequences = [int(e["sequence"]) for e in receiver.events(path)]
        assert sequences == sorted(set(sequences))
    assert not [
        e for e in receiver.events("/groningen") if "GM0114" in e["data"]["municipalityCodes"]
    ]
    deliveries = await client.get(
        f"/api/v1/subscriptions/{groningen['id']}/deliveries", headers=bearer(keys["municipality"])
    )
    assert deliveries.status_code == 200
    assert {d["outcome"] for d in deliveries.json()["items"]} == {"delivered"}
    assert {d["statusCode"] for d in deliveries.json()["items"]} == {204}


async def test_a_receiver_down_then_up_gets_everything_in_order(
    client, keys, demo_ids, receiver
) -> None:
    _, subscription = await subscribe(client, keys["municipality"], receiver.url())
    receiver.stop()
    made = await changes(client, keys, demo_ids, "GM0014", 3)
    await deliver_until(lambda: False, seconds=0.3)
    row = await Subscription.select().where(Subscription.id == subscription["id"]).first()
    assert row["failures"] >= 1
    assert row["status"] == "active"
    revived = Receiver(port=receiver.port).start()
    try:
        await deliver_until(lambda: len(revived.events()) >= 3)
        assert provisions_of(revived.events()) == made
        assert revived.verify_all("/hook", subscription["secret"]) == 3
    finally:
        revived.stop()


async def test_500s_and_timeouts_are_retried_with_backoff(client, keys, demo_ids, receiver) -> None:
    answers = iter([(500, {}, 0.0), (200, {}, 1.5), (204, {}, 0.0)])
    _, subscription = await subscribe(client, keys["admin"], receiver.url())
    receiver.answer = lambda path, event: next(answers, (204, {}, 0.0))
    [made] = await changes(client, keys, demo_ids, "GM0014", 1)
    await deliver_until(lambda: len(receiver.events()) >= 3)
    # The first attempt failed (500), the second timed out, the third arrived: one event.
    assert {e["data"]["provisionId"] for e in receiver.events()} == {made}
    assert len({e["id"] for e in receiver.events()}) == 1
    attempts = await Delivery.select().where(Delivery.subscription == subscription["id"])
    outcomes = sorted((a["attempted_at"], a["outcome"], a["status_code"]) for a in attempts)
    assert [(o, s) for _, o, s in outcomes] == [
        ("failed", 500),
        ("failed", None),
        ("delivered", 204),
    ]
    failed = sorted(
        (a for a in attempts if a["outcome"] == "failed"), key=lambda a: a["attempted_at"]
    )
    assert all(a["next_attempt_at"] is not None for a in failed)
    waits = [(a["next_attempt_at"] - a["attempted_at"]).total_seconds() for a in failed]
    assert waits[1] > waits[0]  # exponential: 0.05 s, then 0.1 s
    assert "timeout" in failed[1]["error"]


async def test_410_gone_ends_the_subscription(client, keys, demo_ids, receiver) -> None:
    _, subscription = await subscribe(client, keys["admin"], receiver.url())
    receiver.answer = lambda path, event: (410, {}, 0.0)
    await changes(client, keys, demo_ids, "GM0014", 2)
    await deliver_until(lambda: bool(receiver.events()))
    await deliver_until(lambda: False, seconds=0.3)
    shown = await client.get(
        f"/api/v1/subscriptions/{subscription['id']}", headers=bearer(keys["admin"])
    )
    assert shown.json()["status"] == "ended"
    assert "410" in shown.json()["statusReason"]
    assert len(receiver.events()) == 1


async def test_429_and_503_wait_for_retry_after(client, keys, demo_ids, receiver) -> None:
    answers = iter([(429, {"Retry-After": "2"}, 0.0), (503, {"Retry-After": "1"}, 0.0)])
    _, subscription = await subscribe(client, keys["admin"], receiver.url())
    receiver.answer = lambda path, event: next(answers, (204, {}, 0.0))
    await changes(client, keys, demo_ids, "GM0014", 1)
    await deliver_until(lambda: len(receiver.events()) >= 3)
    first, second, third = [r.at for r in receiver.received if r.event["type"] == PROVIDER_CHANGED]
    assert second - first >= 1.9
    assert third - second >= 0.9
    row = await Subscription.select().where(Subscription.id == subscription["id"]).first()
    assert row["status"] == "active"
    assert row["failures"] == 0


async def test_a_subscription_that_keeps_failing_is_suspended_and_says_so(
    client, keys, demo_ids, receiver
) -> None:
    _, subscription = await subscribe(client, keys["admin"], receiver.url())
    receiver.answer = lambda path, event: (500, {}, 0.0)
    before = await latest_sequence()
    await changes(client, keys, demo_ids, "GM0014", 1)
    await deliver_until(lambda: len(receiver.events()) >= 4)
    await deliver_until(lambda: False, seconds=0.5)
    assert len(receiver.events()) == 4  # the first try and 3 retries, then no more
    shown = (
        await client.get(
            f"/api/v1/subscriptions/{subscription['id']}", headers=bearer(keys["admin"])
        )
    ).json()
    assert shown["status"] == "suspended"
    assert "failed 4 times" in shown["statusReason"]
    assert int(shown["deliveredThrough"]) == before  # nothing was dropped as if delivered
    deliveries = await client.get(
        f"/api/v1/subscriptions/{subscription['id']}/deliveries", headers=bearer(keys["admin"])
    )
    assert deliveries.json()["items"][0]["outcome"] == "suspended"


async def test_a_deleted_subscription_gets_nothing_more(client, keys, demo_ids, receiver) -> None:
    _, subscription = await subscribe(client, keys["admin"], receiver.url())
    await client.delete(
        f"/api/v1/subscriptions/{subscription['id']}", headers=bearer(keys["admin"])
    )
    await changes(client, keys, demo_ids, "GM0014", 1)
    await deliver_until(lambda: False, seconds=0.3)
    assert receiver.events() == []
    assert not await Delivery.exists().where(Delivery.subscription == subscription["id"])

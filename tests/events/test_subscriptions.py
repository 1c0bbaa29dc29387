"""Subscriptions: a signed test event must get a 2xx; https only; the key's own scope."""

from __future__ import annotations

from app.tables.tables import Subscription
from tests.events.conftest import subscribe
from tests.events.receivers import Receiver
from tests.helpers import bearer


async def test_create_sends_a_signed_test_event_and_shows_the_secret_once(
    client, keys, receiver
) -> None:
    response, body = await subscribe(
        client,
        keys["municipality"],
        receiver.url(),
        municipalityCodes=["GM0014"],
        types=["nl.overdrachtsregister.provider-changed"],
        auth="Bearer receiver-token",
    )
    assert response.status_code == 201, response.text
    assert body["secret"].startswith("whsec_")
    assert receiver.verify_all("/hook", body["secret"]) == 1
    [test] = receiver.received
    assert test.event["type"] == "nl.overdrachtsregister.subscription-test"
    assert test.headers["authorization"] == "Bearer receiver-token"
    shown = await client.get(
        f"/api/v1/subscriptions/{body['id']}", headers=bearer(keys["municipality"])
    )
    assert shown.status_code == 200
    assert "secret" not in shown.json()
    assert shown.json()["types"] == ["nl.overdrachtsregister.provider-changed"]
    listed = await client.get("/api/v1/subscriptions", headers=bearer(keys["municipality"]))
    assert [s["id"] for s in listed.json()["items"]] == [body["id"]]
    # Another key neither sees nor deletes it; an admin sees all.
    other = bearer(keys["municipality_other"])
    assert (
        await client.get(f"/api/v1/subscriptions/{body['id']}", headers=other)
    ).status_code == 404
    assert (await client.get("/api/v1/subscriptions", headers=other)).json()["items"] == []
    admin = await client.get("/api/v1/subscriptions", headers=bearer(keys["admin"]))
    assert body["id"] in [s["id"] for s in admin.json()["items"]]
    gone = await client.delete(
        f"/api/v1/subscriptions/{body['id']}", headers=bearer(keys["municipality"])
    )
    assert gone.status_code == 204
    assert not await Subscription.exists().where(Subscription.id == body["id"])


async def test_a_callback_that_does_not_answer_2xx_is_refused(client, keys, receiver) -> None:
    receiver.answer = lambda path, event: (500, {}, 0.0)
    response, body = await subscribe(client, keys["admin"], receiver.url())
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "500" in body["detail"]
    down = Receiver()  # never started: nothing listens on its port
    response, body = await subscribe(client, keys["admin"], down.url())
    assert response.status_code == 400
    assert "did not answer" in body["detail"]
    assert await Subscription.count() == 0


async def test_callbacks_must_be_https_except_to_this_machine(client, keys) -> None:
    for url in ("http://example.org/hook", "ftp://127.0.0.1/x", "not a url", "https://u:p@x.nl/"):
        response, body = await subscribe(client, keys["admin"], url)
        assert response.status_code == 400, url
        assert body["status"] == 400


async def test_filters_stay_within_the_keys_scope(client, keys, receiver) -> None:
    response, _ = await subscribe(
        client, keys["municipality"], receiver.url(), municipalityCodes=["GM0114"]
    )
    assert response.status_code == 403
    response, _ = await subscribe(client, keys["admin"], receiver.url(), types=["no-such-type"])
    assert response.status_code == 400
    response, _ = await subscribe(
        client, keys["admin"], receiver.url(), municipalityCodes=["Groningen"]
    )
    assert response.status_code == 400
    assert receiver.received == []

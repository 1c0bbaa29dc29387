"""The change feed: events written with their change, gapless, scoped, CloudEvents."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date, timedelta
from uuid import UUID

from app.database import write_transaction
from app.events import outbox
from app.events.clock import emit_reached
from app.events.delivery import latest_sequence
from app.events.types import EventType
from app.tables.tables import Event, StaffPersonalData
from tests.events.conftest import feed, new_track, provide
from tests.helpers import bearer, if_match

PROVIDER_CHANGED = str(EventType.PROVIDER_CHANGED)


async def test_a_change_is_a_cloud_event_in_the_nl_gov_profile(client, keys, demo_ids) -> None:
    before = await latest_sequence()
    service = await new_track(client, keys, demo_ids["organisation_id"])
    provision = await provide(
        client, keys, service["id"], demo_ids["organisation_id"], "GM0014", "2030-01-01"
    )
    page = await feed(client, keys["admin"], after=before)
    [event] = [e for e in page["items"] if e["data"].get("provisionId") == provision["id"]]
    assert event["specversion"] == "1.0"
    assert event["source"].startswith("urn:nld:")
    assert event["type"] == PROVIDER_CHANGED
    assert event["sequencetype"] == "Integer"
    assert event["datacontenttype"] == "application/json"
    assert event["dataref"].endswith(f"/api/v1/provisions/{provision['id']}")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", event["time"])
    assert UUID(event["id"])
    assert event["data"] == {
        "municipalityCodes": ["GM0014"],
        "serviceId": service["id"],
        "on": "2030-01-01",
        "fromProviderId": None,
        "toProviderId": demo_ids["organisation_id"],
        "provisionId": provision["id"],
        "handoverId": None,
    }


async def test_the_feed_is_ordered_gapless_and_pages_by_sequence(client, keys) -> None:
    everything = (await feed(client, keys["admin"], limit=500))["items"]
    sequences = [int(e["sequence"]) for e in everything]
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))
    first = await feed(client, keys["admin"], limit=3)
    assert first["next"] == first["items"][-1]["sequence"]
    second = await feed(client, keys["admin"], limit=3, after=first["next"])
    assert [e["sequence"] for e in first["items"] + second["items"]] == [
        str(s) for s in sequences[:6]
    ]


async def test_a_municipality_key_hears_only_of_its_municipalities(client, keys, demo_ids) -> None:
    before = await latest_sequence()
    service = await new_track(client, keys, demo_ids["organisation_id"])
    organisation = demo_ids["organisation_id"]
    await provide(client, keys, service["id"], organisation, "GM0014", "2030-01-01")
    await provide(client, keys, service["id"], organisation, "GM0114", "2030-01-01")
    groningen = (await feed(client, keys["municipality"], after=before))["items"]
    emmen = (await feed(client, keys["municipality_other"], after=before))["items"]
    assert {c for e in groningen for c in e["data"]["municipalityCodes"]} == {"GM0014"}
    assert {c for e in emmen for c in e["data"]["municipalityCodes"]} == {"GM0114"}
    assert len(groningen) == len(emmen) == 1
    # A predecessor (Haren, merged into Groningen) is Groningen's to hear of.
    haren = await feed(client, keys["municipality"], municipality="GM0017")
    assert all(e["data"]["municipalityCodes"] == ["GM0017"] for e in haren["items"])
    refused = await client.get(
        "/api/v1/events", params={"municipality": "GM0114"}, headers=bearer(keys["municipality"])
    )
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")


async def test_management_hears_of_its_organisations_only(client, keys, demo_ids) -> None:
    before = await latest_sequence()
    service = await new_track(client, keys, demo_ids["organisation_id"])
    other = await client.post(
        "/api/v1/organisations", json={"name": "Feed Other"}, headers=bearer(keys["registrar"])
    )
    other_id = other.json()["id"]
    await provide(client, keys, service["id"], other_id, "GM0014", "2031-01-01", "2032-01-01")
    await provide(client, keys, service["id"], demo_ids["organisation_id"], "GM0014", "2032-01-01")
    items = (await feed(client, keys["management"], after=before))["items"]
    assert [e["data"]["toProviderId"] for e in items] == [demo_ids["organisation_id"]]
    assert items[0]["data"]["fromProviderId"] == other_id
    # Narrowed to municipalities: its organisations' events there, and only there.
    there = await feed(client, keys["management"], after=before, municipality="GM0014")
    assert there["items"] == items
    elsewhere = await feed(client, keys["management"], after=before, municipality="GM0114")
    assert elsewhere["items"] == []


async def test_no_personal_data_in_any_event(client, keys) -> None:
    names = [r["name"] for r in await StaffPersonalData.select() if r["name"]]
    assert names, "the demo has staff with names"
    text = json.dumps((await feed(client, keys["admin"], limit=500))["items"])
    assert not [name for name in names if name in text]


async def test_a_refused_change_writes_no_event(client, keys, demo_ids) -> None:
    service = await new_track(client, keys, demo_ids["organisation_id"])
    await provide(client, keys, service["id"], demo_ids["organisation_id"], "GM0014", "2030-01-01")
    before = await latest_sequence()
    overlapping = await client.post(
        "/api/v1/provisions",
        json={
            "serviceId": service["id"],
            "municipalityCode": "GM0014",
            "providerId": demo_ids["organisation_id"],
            "validFrom": "2030-06-01",
        },
        headers=bearer(keys["registrar"]),
    )
    assert overlapping.status_code == 409
    assert await latest_sequence() == before


async def test_a_transaction_that_fails_after_its_change_leaves_neither(demo_ids) -> None:
    from app.store import records
    from app.tables.tables import Organisation, Provision

    before = await latest_sequence()
    organisations = await Organisation.count()
    try:
        async with write_transaction():
            await records.create(Organisation, {"name": "Never there"}, actor="test")
            await outbox.append(
                [outbox.NewEvent(type="x", resource="/", subject="s", data={}, scopes=set())]
            )
            raise RuntimeError("the process dies here")
    except RuntimeError:
        pass
    assert await latest_sequence() == before
    assert await Organisation.count() == organisations
    assert not await Event.exists().where(Event.sequence > before)
    assert await Provision.count() >= 0


async def test_a_slow_transaction_never_lets_a_reader_skip_its_event(client, keys) -> None:
    """Sequence n+1 is not visible while n is still to commit."""
    before = await latest_sequence()
    holding = asyncio.Event()
    release = asyncio.Event()

    async def slow() -> None:
        async with write_transaction():
            await outbox.append([outbox.NewEvent("slow", "/", "slow", {}, set())])
            holding.set()
            await release.wait()

    async def quick() -> None:
        async with write_transaction():
            await outbox.append([outbox.NewEvent("quick", "/", "quick", {}, set())])

    slow_task = asyncio.create_task(slow())
    await holding.wait()
    quick_task = asyncio.create_task(quick())
    await asyncio.sleep(0.5)
    seen_meanwhile = (await feed(client, keys["admin"], after=before))["items"]
    release.set()
    await asyncio.gather(slow_task, quick_task)
    after = (await feed(client, keys["admin"], after=before))["items"]
    assert seen_meanwhile == []
    assert [(e["type"], int(e["sequence"])) for e in after] == [
        ("slow", before + 1),
        ("quick", before + 2),
    ]


async def handover_with_guarantee(client, keys, demo_ids, service_id, effective_on):
    registrar = bearer(keys["registrar"])
    source = await client.post(
        "/api/v1/organisations", json={"name": "Feed Source"}, headers=registrar
    )
    created = await client.post(
        "/api/v1/handovers",
        json={
            "title": "Feed test handover",
            "effectiveOn": effective_on,
            "parties": [
                {"role": "source", "organisationId": source.json()["id"]},
                {"role": "receiving", "organisationId": demo_ids["organisation_id"]},
                {"role": "municipality", "municipalityCode": "GM0014", "involvement": "informed"},
            ],
            "services": [
                {
                    "serviceId": service_id,
                    "municipalityCode": "GM0014",
                    "fromOrganisationId": source.json()["id"],
                }
            ],
            "guarantees": [
                {
                    "serviceId": service_id,
                    "municipalityCode": "GM0014",
                    "until": "2040-01-01",
                    "fullStrength": True,
                    "baselineFte": 2.0,
                }
            ],
        },
        headers=registrar,
    )
    assert created.status_code == 201, created.text
    return source.json()["id"], created.json()


async def test_breach_gap_and_dates_reached(client, keys, demo_ids) -> None:
    registrar = bearer(keys["registrar"])
    service = await new_track(client, keys, demo_ids["organisation_id"])
    start = date.today() - timedelta(days=3)
    before = await latest_sequence()
    source_id, handover = await handover_with_guarantee(
        client, keys, demo_ids, service["id"], start.isoformat()
    )
    # The source's provision ends two days before the handover's date: a gap foreseen.
    source_provision = await provide(
        client,
        keys,
        service["id"],
        source_id,
        "GM0014",
        "2020-01-01",
        (start - timedelta(days=2)).isoformat(),
    )
    url = f"/api/v1/handovers/{handover['id']}"
    headers = await if_match(client, url, registrar)
    moved = await client.post(
        f"{url}/transitions", json={"to": "agreed", "on": "2020-01-01"}, headers=headers
    )
    assert moved.status_code == 201, moved.text
    items = (await feed(client, keys["municipality"], after=before))["items"]
    types = [e["type"].removeprefix("nl.overdrachtsregister.") for e in items]
    assert types[0] == "handover-created"
    assert "guarantee-changed" in types
    [gap] = [e for e in items if e["type"] == EventType.GAP_FORESEEN]
    assert gap["data"]["from"] == (start - timedelta(days=2)).isoformat()
    assert gap["data"]["to"] == start.isoformat()
    # The source runs on until the handover; the receiving provision opens on its date.
    source_url = f"/api/v1/provisions/{source_provision['id']}"
    headers = await if_match(client, source_url, registrar)
    extended = await client.patch(source_url, json={"validTo": None}, headers=headers)
    assert extended.status_code == 200, extended.text
    headers = await if_match(client, url, registrar)
    effective = await client.post(
        f"{url}/transitions", json={"to": "effective", "on": start.isoformat()}, headers=headers
    )
    assert effective.status_code == 201, effective.text
    items = (await feed(client, keys["admin"], after=before, limit=500))["items"]
    assert not [e for e in items if e["type"] == EventType.GUARANTEE_BREACHED]
    [opened] = [
        e
        for e in items
        if e["type"] == PROVIDER_CHANGED
        and e["data"]["serviceId"] == service["id"]
        and e["data"]["toProviderId"] == demo_ids["organisation_id"]
    ]
    # Closing the receiving provision within the guarantee, without a successor: breached.
    provision_url = f"/api/v1/provisions/{opened['data']['provisionId']}"
    headers = await if_match(client, provision_url, registrar)
    closed = await client.patch(provision_url, json={"validTo": "2035-01-01"}, headers=headers)
    assert closed.status_code == 200, closed.text
    mark = await latest_sequence()
    headers = await if_match(client, provision_url, registrar)
    await client.patch(provision_url, json={"validTo": None}, headers=headers)
    items = (await feed(client, keys["municipality"], after=before, limit=500))["items"]
    breached = [e for e in items if e["type"] == EventType.GUARANTEE_BREACHED]
    restored = [e for e in items if e["type"] == EventType.GUARANTEE_RESTORED]
    assert len(breached) == 1
    assert int(breached[0]["sequence"]) <= mark
    assert breached[0]["data"]["from"] == "2035-01-01"
    assert breached[0]["data"]["reason"] == "no_provision"
    assert len(restored) == 1
    assert int(restored[0]["sequence"]) > mark
    ended_provider = [
        e for e in items if e["type"] == PROVIDER_CHANGED and e["data"]["toProviderId"] is None
    ]
    assert ended_provider
    assert ended_provider[-1]["data"]["on"] == "2035-01-01"
    # Staffed below the guarantee's baseline FTE: breached again, then restored.
    mark = await latest_sequence()
    for fte in (1.5, 2.0):
        headers = await if_match(client, provision_url, registrar)
        staffed = await client.patch(provision_url, json={"staffedFte": fte}, headers=headers)
        assert staffed.status_code == 200, staffed.text
    items = (await feed(client, keys["municipality"], after=mark))["items"]
    strength = [
        (e["type"].removeprefix("nl.overdrachtsregister."), e["data"].get("reason"))
        for e in items
        if e["type"] in {EventType.GUARANTEE_BREACHED, EventType.GUARANTEE_RESTORED}
    ]
    assert strength == [("guarantee-breached", "below_strength"), ("guarantee-restored", None)]
    # The day reached: told once, however often the worker looks.
    await emit_reached()
    await emit_reached()
    reached = [
        e
        for e in (await feed(client, keys["municipality"], after=before, limit=500))["items"]
        if e["type"] == EventType.EFFECTIVE_DATE_REACHED
        and e["data"]["handoverId"] == handover["id"]
    ]
    assert len(reached) == 1
    assert reached[0]["data"]["on"] == start.isoformat()
    await emit_reached(date(2040, 1, 10))
    await emit_reached(date(2040, 1, 11))
    ended = [
        e
        for e in (await feed(client, keys["admin"], after=before, limit=500))["items"]
        if e["type"] == EventType.GUARANTEE_ENDED and e["data"]["handoverId"] == handover["id"]
    ]
    assert len(ended) == 1
    assert ended[0]["data"]["on"] == "2040-01-01"


async def test_an_after_beyond_64_bits_is_a_400(client, keys) -> None:
    for after in ("9223372036854775807", "9223372036854775808", "-1"):
        answer = await client.get(
            "/api/v1/events", params={"after": after}, headers=bearer(keys["admin"])
        )
        expected = 200 if after == "9223372036854775807" else 400
        assert answer.status_code == expected, (after, answer.text)
    assert answer.headers["content-type"].startswith("application/problem+json")

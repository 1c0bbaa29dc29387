"""``knownOn`` on every list: the handovers, provisions, organisations, services and staff
transfers a list showed at a moment, answered by the same query as the live list."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from uuid import uuid4

from tests.helpers import bearer


async def _moment() -> str:
    """A moment between two writes."""
    await asyncio.sleep(0.01)
    moment = datetime.now(UTC).isoformat()
    await asyncio.sleep(0.01)
    return moment


async def _list(client, key: str, path: str, **params: str) -> list[dict]:
    answer = await client.get(path, params={"limit": "500", **params}, headers=bearer(key))
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


async def _patch(client, key: str, path: str, body: dict) -> None:
    etag = (await client.get(path, headers=bearer(key))).headers["etag"]
    answer = await client.patch(path, json=body, headers={**bearer(key), "If-Match": etag})
    assert answer.status_code == 200, answer.text


async def _post(client, key: str, path: str, body: dict) -> dict:
    answer = await client.post(path, json=body, headers=bearer(key))
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_organisations_and_services_as_listed_then(client, keys) -> None:
    registrar, tag = keys["registrar"], uuid4().hex[:10]
    before = await _moment()
    await _post(client, registrar, "/api/v1/organisations", {"name": f"Lijst {tag} Een"})
    service = await _post(client, registrar, "/api/v1/services", {"name": f"Lijst {tag} oud"})
    first = await _moment()
    await _post(client, registrar, "/api/v1/organisations", {"name": f"Lijst {tag} Twee"})
    await _patch(
        client, registrar, f"/api/v1/services/{service['id']}", {"name": f"Lijst {tag} nieuw"}
    )

    def names(items: list[dict]) -> list[str]:
        return [item["name"] for item in items]

    organisations = "/api/v1/organisations"
    assert names(await _list(client, registrar, organisations, name=tag, knownOn=before)) == []
    assert names(await _list(client, registrar, organisations, name=tag, knownOn=first)) == [
        f"Lijst {tag} Een"
    ]
    assert names(await _list(client, registrar, organisations, name=tag)) == [
        f"Lijst {tag} Een",
        f"Lijst {tag} Twee",
    ]
    services = "/api/v1/services"
    assert names(await _list(client, registrar, services, name=tag, knownOn=first)) == [
        f"Lijst {tag} oud"
    ]
    assert names(await _list(client, registrar, services, name=tag)) == [f"Lijst {tag} nieuw"]


async def test_provisions_as_listed_then(client, keys, demo_ids) -> None:
    registrar = keys["registrar"]
    service = await _post(client, registrar, "/api/v1/services", {"name": f"Lijst {uuid4().hex}"})
    provision = await _post(
        client,
        registrar,
        "/api/v1/provisions",
        {
            "serviceId": service["id"],
            "municipalityCode": "GM0014",
            "providerId": demo_ids["organisation_id"],
            "validFrom": "2030-01-01",
        },
    )
    first = await _moment()
    await _patch(
        client, registrar, f"/api/v1/provisions/{provision['id']}", {"validTo": "2031-01-01"}
    )

    def periods(items: list[dict]) -> list[tuple[str, str | None]]:
        return [(item["validFrom"], item["validTo"]) for item in items]

    path, by_service = "/api/v1/provisions", {"service": service["id"]}
    then = await _list(client, registrar, path, **by_service, knownOn=first)
    assert periods(then) == [("2030-01-01", None)]
    assert periods(await _list(client, registrar, path, **by_service)) == [
        ("2030-01-01", "2031-01-01")
    ]


async def test_handovers_and_their_staff_as_listed_then(client, keys) -> None:
    registrar, tag = keys["registrar"], uuid4().hex[:10]
    receiver = await _post(client, registrar, "/api/v1/organisations", {"name": f"Ontvanger {tag}"})
    before = await _moment()
    handover = await _post(client, registrar, "/api/v1/handovers", {"title": f"Lijst {tag} oud"})
    path = f"/api/v1/handovers/{handover['id']}"
    party = {"role": "receiving", "organisationId": receiver["id"]}
    await _post(client, registrar, f"{path}/parties", party)
    created = await client.post(
        f"{path}/staff", json={"staffRef": "L-1", "fte": 0.8}, headers=bearer(registrar)
    )
    assert created.status_code == 201, created.text
    first = await _moment()
    await _patch(client, registrar, path, {"title": f"Lijst {tag} nieuw"})
    moved = await client.patch(
        f"{path}/staff/{created.json()['id']}",
        json={"status": "agreed"},
        headers={**bearer(registrar), "If-Match": created.headers["etag"]},
    )
    assert moved.status_code == 200, moved.text

    by_party = {"organisation": receiver["id"]}
    handovers = "/api/v1/handovers"
    assert await _list(client, registrar, handovers, **by_party, knownOn=before) == []
    then = await _list(client, registrar, handovers, **by_party, knownOn=first)
    assert [(h["title"], h["receivingOrganisation"]["name"]) for h in then] == [
        (f"Lijst {tag} oud", f"Ontvanger {tag}")
    ]
    now = await _list(client, registrar, handovers, **by_party)
    assert [h["title"] for h in now] == [f"Lijst {tag} nieuw"]

    staff_then = await _list(client, registrar, f"{path}/staff", knownOn=first)
    assert [(s["staffRef"], s["status"]) for s in staff_then] == [("L-1", "proposed")]
    staff_now = await _list(client, registrar, f"{path}/staff")
    assert [(s["staffRef"], s["status"]) for s in staff_now] == [("L-1", "agreed")]

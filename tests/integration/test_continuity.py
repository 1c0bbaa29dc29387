"""Continuity answers: the seed cases, mergers, planned handovers, and history as known then."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from tests.helpers import bearer, version_tag


async def continuity(client, key, code: str, **params) -> dict:
    response = await client.get(
        f"/api/v1/municipalities/{code}/continuity", params=params, headers=bearer(key)
    )
    assert response.status_code == 200, response.text
    return response.json()


def by_service(answer: dict) -> dict[str, dict]:
    return {entry["service"]["name"]: entry for entry in answer["services"]}


async def test_link050_in_groningen_around_new_year_2022(client, keys) -> None:
    before = by_service(await continuity(client, keys["municipality"], "GM0014", on="2021-12-31"))
    after = by_service(await continuity(client, keys["municipality"], "GM0014", on="2022-01-01"))
    assert before["Link050"]["provider"]["name"] == "Stichting MJD"
    assert before["Link050"]["until"] == "2022-01-01"
    assert [p["toProvider"]["name"] for p in before["Link050"]["planned"]] == ["Stichting WerkPro"]
    assert before["Link050"]["planned"][0]["effectiveOn"] == "2022-01-01"
    assert after["Link050"]["provider"]["name"] == "Stichting WerkPro"
    assert after["Link050"]["since"] == "2022-01-01"
    assert after["Link050"]["planned"] == []
    [guarantee] = after["Link050"]["guarantees"]
    assert guarantee["fullStrength"] is True
    assert guarantee["sameConditions"] is True
    assert guarantee["breached"] is False
    assert "komende jaren" in guarantee["text"]


async def test_services_are_in_alphabetical_order(client, keys) -> None:
    answer = await continuity(client, keys["municipality"], "GM0014", on="2022-06-01")
    names = [entry["service"]["name"] for entry in answer["services"]]
    assert names == sorted(names, key=str.casefold)
    assert len(names) >= 7


async def test_former_municipality_is_answered_by_its_successor(client, keys) -> None:
    answer = await continuity(client, keys["municipality"], "GM0017", on="2022-01-01")
    assert answer["requestedCode"] == "GM0017"
    assert answer["municipality"] == {"code": "GM0014", "name": "Groningen"}
    earlier = await continuity(client, keys["municipality"], "GM0017", on="2018-06-01")
    assert earlier["municipality"]["code"] == "GM0017"
    assert "Maatschappelijke matching (Matchmakers)" in by_service(earlier)


async def test_timeline_follows_the_merger(client, keys) -> None:
    headers = bearer(keys["municipality"])
    services = await client.get("/api/v1/services", params={"name": "Matchmakers"}, headers=headers)
    [service] = services.json()["items"]
    timeline = await client.get(
        f"/api/v1/services/{service['id']}/timeline",
        params={"municipality": "GM0017"},
        headers=headers,
    )
    body = timeline.json()
    assert body["municipality"]["code"] == "GM0014"
    assert [(p["municipality"]["code"], p["viaPredecessor"]) for p in body["periods"]] == [
        ("GM0017", True),
        ("GM0014", False),
    ]
    assert body["gaps"] == 0


async def test_unknown_and_malformed(client, keys) -> None:
    headers = bearer(keys["admin"])
    assert (
        await client.get("/api/v1/municipalities/GM9999/continuity", headers=headers)
    ).status_code == 404
    bad_code = await client.get("/api/v1/municipalities/gm14/continuity", headers=headers)
    assert bad_code.status_code == 400
    bad_date = await client.get(
        "/api/v1/municipalities/GM0014/continuity", params={"on": "2022-02-30"}, headers=headers
    )
    assert bad_date.status_code == 400
    assert bad_date.headers["content-type"].startswith("application/problem+json")


async def test_known_on_answers_with_what_was_recorded_then(client, keys) -> None:
    headers = bearer(keys["registrar"])
    suffix = uuid4().hex[:8]
    service = (
        await client.post("/api/v1/services", json={"name": f"Historie {suffix}"}, headers=headers)
    ).json()
    provider = (
        await client.post(
            "/api/v1/organisations", json={"name": f"Aanbieder {suffix}"}, headers=headers
        )
    ).json()
    provision = await client.post(
        "/api/v1/provisions",
        json={
            "serviceId": service["id"],
            "municipalityCode": "GM0114",
            "providerId": provider["id"],
            "validFrom": "2020-01-01",
        },
        headers=headers,
    )
    assert provision.status_code == 201
    told_then = datetime.now(UTC).isoformat()
    closed = await client.patch(
        f"/api/v1/provisions/{provision.json()['id']}",
        json={"validTo": "2021-01-01"},
        headers={**headers, **version_tag(provision.json())},
    )
    assert closed.status_code == 200
    name = service["name"]
    now = by_service(await continuity(client, keys["admin"], "GM0114", on="2021-06-01"))
    assert name not in now
    then = by_service(
        await continuity(client, keys["admin"], "GM0114", on="2021-06-01", knownOn=told_then)
    )
    assert then[name]["provider"]["name"] == provider["name"]
    assert then[name]["until"] is None
    timeline = await client.get(
        f"/api/v1/services/{service['id']}/timeline",
        params={"municipality": "GM0114", "knownOn": told_then},
        headers=headers,
    )
    assert [p["validTo"] for p in timeline.json()["periods"]] == [None]
    before_anything = await client.get(
        "/api/v1/municipalities/GM0114/continuity",
        params={"knownOn": "2000-01-01T00:00:00Z"},
        headers=headers,
    )
    assert before_anything.status_code == 404  # the registry did not know Emmen yet


async def test_issues_nationwide_are_paginated(client, keys) -> None:
    headers = bearer(keys["admin"])
    first = await client.get(
        "/api/v1/continuity/issues",
        params={"from": "2000-01-01", "to": "2030-01-01", "limit": 1},
        headers=headers,
    )
    assert first.status_code == 200
    body = first.json()
    assert len(body["items"]) <= 1
    if body["next"]:
        second = await client.get(
            "/api/v1/continuity/issues",
            params={"from": "2000-01-01", "to": "2030-01-01", "limit": 1, "cursor": body["next"]},
            headers=headers,
        )
        assert second.json()["items"] != body["items"]
    municipality_wide = await client.get(
        "/api/v1/continuity/issues", headers=bearer(keys["municipality"])
    )
    assert municipality_wide.status_code == 400
    backwards = await client.get(
        "/api/v1/continuity/issues",
        params={"from": "2022-01-01", "to": "2021-01-01"},
        headers=headers,
    )
    assert backwards.status_code == 400

"""Provisions: half-open periods, no overlaps, timelines with gaps, audit of every write."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from app.database import is_postgres
from app.tables.tables import Municipality, Organisation, Provision, Service
from tests.helpers import bearer, version_tag


@pytest.fixture
async def track(client, keys) -> dict:
    """A fresh service and two providers, in Emmen."""
    headers = bearer(keys["registrar"])
    suffix = uuid4().hex[:8]
    service = (
        await client.post("/api/v1/services", json={"name": f"Dienst {suffix}"}, headers=headers)
    ).json()
    first = (
        await client.post(
            "/api/v1/organisations", json={"name": f"Eerste {suffix}"}, headers=headers
        )
    ).json()
    second = (
        await client.post(
            "/api/v1/organisations", json={"name": f"Tweede {suffix}"}, headers=headers
        )
    ).json()
    return {
        "service": service["id"],
        "first": first["id"],
        "second": second["id"],
        "headers": headers,
    }


async def provide(client, track, provider, valid_from, valid_to=None):
    return await client.post(
        "/api/v1/provisions",
        json={
            "serviceId": track["service"],
            "municipalityCode": "GM0114",
            "providerId": track[provider],
            "validFrom": valid_from,
            "validTo": valid_to,
        },
        headers=track["headers"],
    )


async def test_adjacent_periods_are_fine_overlapping_ones_conflict(client, track) -> None:
    first = await provide(client, track, "first", "2020-01-01", "2021-01-01")
    assert first.status_code == 201, first.text
    assert (await provide(client, track, "second", "2021-01-01")).status_code == 201
    clash = await provide(client, track, "first", "2020-12-31", "2021-01-02")
    assert clash.status_code == 409
    assert clash.headers["content-type"].startswith("application/problem+json")
    listed = await client.get(
        "/api/v1/provisions", params={"service": track["service"]}, headers=track["headers"]
    )
    assert [p["provider"]["id"] for p in listed.json()["items"]] == [
        track["first"],
        track["second"],
    ]


async def test_period_must_run_forwards(client, track) -> None:
    response = await provide(client, track, "first", "2021-01-01", "2021-01-01")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "validTo"


async def test_unknown_references(client, track) -> None:
    response = await client.post(
        "/api/v1/provisions",
        json={
            "serviceId": str(uuid4()),
            "municipalityCode": "GM0114",
            "providerId": track["first"],
            "validFrom": "2020-01-01",
        },
        headers=track["headers"],
    )
    assert response.status_code == 404
    bad_code = await client.post(
        "/api/v1/provisions",
        json={
            "serviceId": track["service"],
            "municipalityCode": "0114",
            "providerId": track["first"],
            "validFrom": "2020-01-01",
        },
        headers=track["headers"],
    )
    assert bad_code.status_code == 400
    missing_field = await client.post(
        "/api/v1/provisions", json={"serviceId": track["service"]}, headers=track["headers"]
    )
    assert missing_field.status_code == 400


async def test_timeline_marks_the_gap_and_issues_list_it(client, track) -> None:
    await provide(client, track, "first", "2020-01-01", "2021-01-01")
    await provide(client, track, "second", "2021-01-11")
    timeline = await client.get(
        f"/api/v1/services/{track['service']}/timeline",
        params={"municipality": "GM0114"},
        headers=track["headers"],
    )
    assert timeline.status_code == 200, timeline.text
    body = timeline.json()
    assert [p["gapBeforeDays"] for p in body["periods"]] == [0, 10]
    assert body["gaps"] == 1
    assert body["overlaps"] == 0
    issues = await client.get(
        "/api/v1/continuity/issues",
        params={"municipality": "GM0114", "from": "2020-06-01", "to": "2021-06-01"},
        headers=track["headers"],
    )
    gaps = [
        i
        for i in issues.json()["items"]
        if i["kind"] == "gap" and i["service"]["id"] == track["service"]
    ]
    assert [(g["start"], g["end"], g["days"]) for g in gaps] == [("2021-01-01", "2021-01-11", 10)]


async def test_update_is_checked_and_audited(client, track, keys) -> None:
    created = (await provide(client, track, "first", "2020-01-01")).json()
    await provide(client, track, "second", "2019-01-01", "2020-01-01")
    stretched = await client.patch(
        f"/api/v1/provisions/{created['id']}",
        json={"validFrom": "2019-06-01"},
        headers={**track["headers"], **version_tag(created)},
    )
    assert stretched.status_code == 409
    closed = await client.patch(
        f"/api/v1/provisions/{created['id']}",
        json={"validTo": "2022-01-01"},
        headers={**track["headers"], **version_tag(created)},
    )
    assert closed.status_code == 200
    assert closed.json()["version"] == 2
    audit = await client.get(
        "/api/v1/audit", params={"record": created["id"]}, headers=bearer(keys["admin"])
    )
    events = audit.json()["items"]
    assert [e["action"] for e in events] == ["create", "update"]
    assert events[1]["before"]["valid_to"] is None
    assert events[1]["after"]["valid_to"] == "2022-01-01"


@pytest.mark.skipif(not is_postgres(), reason="the exclusion constraint is PostgreSQL's")
async def test_database_refuses_overlap_even_without_the_api(keys) -> None:
    import asyncpg

    service = Service(name=f"Constraint {uuid4().hex[:6]}")
    await Service.insert(service)
    organisation = await Organisation.select(Organisation.id).first()
    municipality = await Municipality.select(Municipality.id).first()
    values = {
        "service": service.id,
        "municipality": municipality["id"],
        "organisation": organisation["id"],
    }
    await Provision.insert(
        Provision(**values, valid_from=date(2020, 1, 1), valid_to=date(2021, 1, 1))
    )
    with pytest.raises(asyncpg.exceptions.ExclusionViolationError):
        await Provision.insert(Provision(**values, valid_from=date(2020, 6, 1)))

"""Optimistic concurrency: an ETag on every editable record, If-Match required to change it."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import httpx

from app.tables.tables import Handover
from tests.helpers import bearer, version_tag

API = "/api/v1"


def is_problem(response, status: int) -> bool:
    return (
        response.status_code == status
        and response.headers["content-type"].startswith("application/problem+json")
        and response.json()["status"] == status
    )


async def create(client, key: str, path: str, body: dict) -> httpx.Response:
    response = await client.post(f"{API}{path}", json=body, headers=bearer(key))
    assert response.status_code == 201, response.text
    assert response.headers["etag"] == f'"{response.json()["version"]}"'
    return response


async def new_records(client, key: str) -> dict[str, str]:
    """A fresh organisation, service, provision and handover: the editable top-level records."""
    suffix = uuid4().hex[:8]
    organisation = await create(client, key, "/organisations", {"name": f"Etag {suffix}"})
    service = await create(client, key, "/services", {"name": f"Etag {suffix}"})
    provision = await create(
        client,
        key,
        "/provisions",
        {
            "serviceId": service.json()["id"],
            "municipalityCode": "GM0995",
            "providerId": organisation.json()["id"],
            "validFrom": "2020-01-01",
        },
    )
    handover = await create(client, key, "/handovers", {"title": f"Etag {suffix}"})
    return {
        f"/organisations/{organisation.json()['id']}": {"description": "gewijzigd"},
        f"/services/{service.json()['id']}": {"category": "welzijn"},
        f"/provisions/{provision.json()['id']}": {"note": "gewijzigd"},
        f"/handovers/{handover.json()['id']}": {"description": "gewijzigd"},
    }


async def test_every_editable_record_needs_its_current_etag(client, keys) -> None:
    registrar = bearer(keys["registrar"])
    for path, change in (await new_records(client, keys["registrar"])).items():
        read = await client.get(f"{API}{path}", headers=registrar)
        assert read.status_code == 200
        tag = read.headers["etag"]
        assert tag == f'"{read.json()["version"]}"', path

        missing = await client.patch(f"{API}{path}", json=change, headers=registrar)
        assert is_problem(missing, 428), (path, missing.text)
        stale = await client.patch(
            f"{API}{path}", json=change, headers={**registrar, "If-Match": '"999"'}
        )
        assert is_problem(stale, 412), (path, stale.text)
        garbage = await client.patch(
            f"{API}{path}", json=change, headers={**registrar, "If-Match": "*"}
        )
        assert is_problem(garbage, 412), path

        changed = await client.patch(
            f"{API}{path}", json=change, headers={**registrar, "If-Match": tag}
        )
        assert changed.status_code == 200, (path, changed.text)
        assert changed.headers["etag"] != tag
        assert changed.headers["etag"] == f'"{changed.json()["version"]}"'
        again = await client.get(f"{API}{path}", headers=registrar)
        assert again.headers["etag"] == changed.headers["etag"]

        replayed = await client.patch(
            f"{API}{path}", json=change, headers={**registrar, "If-Match": tag}
        )
        assert is_problem(replayed, 412), path


async def test_two_editors_of_one_handover_cannot_overwrite_each_other(client, keys) -> None:
    registrar, admin = bearer(keys["registrar"]), bearer(keys["admin"])
    created = await create(client, keys["registrar"], "/handovers", {"title": "Twee redacteuren"})
    url = f"{API}/handovers/{created.json()['id']}"
    tag_a = (await client.get(url, headers=registrar)).headers["etag"]
    tag_b = (await client.get(url, headers=admin)).headers["etag"]
    assert tag_a == tag_b

    first = await client.patch(
        url, json={"description": "versie A"}, headers={**registrar, "If-Match": tag_a}
    )
    assert first.status_code == 200
    second = await client.patch(
        url, json={"description": "versie B"}, headers={**admin, "If-Match": tag_b}
    )
    assert is_problem(second, 412)
    assert (await client.get(url, headers=admin)).json()["description"] == "versie A"

    # B reads again and reapplies: now it goes through.
    fresh = (await client.get(url, headers=admin)).headers["etag"]
    third = await client.patch(
        url, json={"description": "versie B"}, headers={**admin, "If-Match": fresh}
    )
    assert third.status_code == 200


async def test_a_handover_changes_its_etag_with_its_parts(client, keys) -> None:
    """Milestones, transitions and staff are edited with, and change, the handover's ETag."""
    registrar = bearer(keys["registrar"])
    created = await create(client, keys["registrar"], "/handovers", {"title": "Onderdelen"})
    url = f"{API}/handovers/{created.json()['id']}"
    tag = created.headers["etag"]

    added = await client.post(f"{url}/milestones", json={"title": "OR-advies"}, headers=registrar)
    assert added.status_code == 201
    assert added.headers["etag"] != tag
    milestone = added.json()["milestones"][0]["id"]
    change = {"doneOn": "2021-09-01"}
    stale = await client.patch(
        f"{url}/milestones/{milestone}", json=change, headers={**registrar, "If-Match": tag}
    )
    assert is_problem(stale, 412)
    assert is_problem(
        await client.patch(f"{url}/milestones/{milestone}", json=change, headers=registrar), 428
    )
    done = await client.patch(
        f"{url}/milestones/{milestone}",
        json=change,
        headers={**registrar, "If-Match": added.headers["etag"]},
    )
    assert done.status_code == 200
    assert done.json()["milestones"][0]["doneOn"] == "2021-09-01"

    step = {"to": "intent_signed", "on": "2021-10-01"}
    assert is_problem(await client.post(f"{url}/transitions", json=step, headers=registrar), 428)
    assert is_problem(
        await client.post(f"{url}/transitions", json=step, headers={**registrar, "If-Match": tag}),
        412,
    )
    stepped = await client.post(
        f"{url}/transitions", json=step, headers={**registrar, "If-Match": done.headers["etag"]}
    )
    assert stepped.status_code == 201, stepped.text
    assert stepped.json()["status"] == "intent_signed"

    staff = await client.post(
        f"{url}/staff", json={"staffRef": "E-1", "fte": 0.8}, headers=registrar
    )
    assert staff.status_code == 201
    assert staff.headers["etag"] == '"1"'
    after_staff = await client.get(url, headers=registrar)
    assert after_staff.headers["etag"] != stepped.headers["etag"]  # its staff summary changed
    member = f"{url}/staff/{staff.json()['id']}"
    assert is_problem(await client.patch(member, json={"fte": 1.0}, headers=registrar), 428)
    moved = await client.patch(
        member, json={"fte": 1.0}, headers={**registrar, **version_tag(staff.json())}
    )
    assert moved.status_code == 200
    assert moved.headers["etag"] == '"2"'


async def test_authorisation_comes_before_if_match(client, keys, demo_ids) -> None:
    """A key that may not edit gets 403 without If-Match, never a 428 that hides it."""
    handover = f"{API}/handovers/{demo_ids['handover_id']}"
    for role in ("hr", "management", "municipality"):
        response = await client.patch(handover, json={"title": "x"}, headers=bearer(keys[role]))
        assert is_problem(response, 403), role
        response = await client.post(
            f"{handover}/transitions", json={"to": "completed"}, headers=bearer(keys[role])
        )
        assert is_problem(response, 403), role
    outsider = await client.patch(
        f"{handover}/staff/{demo_ids['staff_id']}",
        json={"fte": 1.0},
        headers=bearer(keys["hr_other"]),
    )
    assert is_problem(outsider, 403)


async def test_concurrent_patches_with_one_etag_one_wins(served, client, keys) -> None:
    """Ten editors send the same ETag at the same moment: one 200, nine 412."""
    base, _ = served
    created = await create(client, keys["registrar"], "/handovers", {"title": "Wedloop"})
    handover_id = created.json()["id"]
    headers = {**bearer(keys["registrar"]), "If-Match": created.headers["etag"]}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        responses = await asyncio.gather(
            *(
                http.patch(f"{API}/handovers/{handover_id}", json={"description": f"editor {i}"})
                for i in range(10)
            )
        )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [412] * 9, statuses
    [winner] = [r for r in responses if r.status_code == 200]
    row = (
        await Handover.select(Handover.description, Handover.version)
        .where(Handover.id == handover_id)
        .first()
    )
    assert row["description"] == winner.json()["description"]
    assert row["version"] == created.json()["version"] + 1

"""Organisations through HTTP: validation, KvK uniqueness, renames keep identity."""

from __future__ import annotations

from uuid import uuid4

from tests.helpers import bearer, version_tag


def unique(name: str) -> str:
    return f"{name} {uuid4().hex[:8]}"


async def test_create_and_read_organisation(client, keys) -> None:
    name = unique("Stichting Testwelzijn")
    created = await client.post(
        "/api/v1/organisations",
        json={"name": name, "kind": "stichting"},
        headers=bearer(keys["registrar"]),
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["name"] == name
    assert body["nameHistory"][0]["name"] == name
    fetched = await client.get(
        f"/api/v1/organisations/{body['id']}", headers=bearer(keys["municipality"])
    )
    assert fetched.status_code == 200
    assert fetched.json()["id"] == body["id"]
    assert fetched.headers["API-Version"] == "1.0.0"


async def test_kvk_number_is_validated_and_unique(client, keys) -> None:
    headers = bearer(keys["registrar"])
    bad = await client.post(
        "/api/v1/organisations", json={"name": unique("X"), "kvkNumber": "1234"}, headers=headers
    )
    assert bad.status_code == 400
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["invalidParams"][0]["name"] == "kvkNumber"
    number = f"{uuid4().int % 10**8:08d}"
    first = await client.post(
        "/api/v1/organisations", json={"name": unique("A"), "kvkNumber": number}, headers=headers
    )
    assert first.status_code == 201
    second = await client.post(
        "/api/v1/organisations", json={"name": unique("B"), "kvkNumber": number}, headers=headers
    )
    assert second.status_code == 409
    assert second.json()["status"] == 409


async def test_rename_keeps_identity_and_history(client, keys) -> None:
    headers = bearer(keys["registrar"])
    old = unique("Haren Tynaarlose Uitdaging")
    created = (
        await client.post("/api/v1/organisations", json={"name": old}, headers=headers)
    ).json()
    new = unique("Matchmakers")
    renamed = await client.patch(
        f"/api/v1/organisations/{created['id']}",
        json={"name": new, "renamedOn": "2021-01-01"},
        headers={**headers, **version_tag(created)},
    )
    assert renamed.status_code == 200, renamed.text
    body = renamed.json()
    assert body["id"] == created["id"]
    assert body["name"] == new
    assert [(n["name"], n["validTo"]) for n in body["nameHistory"]] == [
        (old, "2021-01-01"),
        (new, None),
    ]


async def test_part_of_a_parent_for_a_period(client, keys) -> None:
    headers = bearer(keys["registrar"])
    parent = (
        await client.post(
            "/api/v1/organisations", json={"name": unique("Vlechter")}, headers=headers
        )
    ).json()
    child = await client.post(
        "/api/v1/organisations",
        json={"name": unique("MJD"), "parentId": parent["id"], "partOfSince": "2018-01-01"},
        headers=headers,
    )
    assert child.status_code == 201
    body = child.json()
    assert body["parent"]["id"] == parent["id"]
    assert body["partOf"][0]["validFrom"] == "2018-01-01"
    members = (await client.get(f"/api/v1/organisations/{parent['id']}", headers=headers)).json()
    assert [m["organisation"]["id"] for m in members["members"]] == [body["id"]]


async def test_writes_need_an_editor_role(client, keys) -> None:
    for role in ("hr", "management", "municipality"):
        response = await client.post(
            "/api/v1/organisations", json={"name": unique("Nope")}, headers=bearer(keys[role])
        )
        assert response.status_code == 403, role


async def test_list_is_paginated_with_a_cursor(client, keys) -> None:
    headers = bearer(keys["admin"])
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/organisations", params=params, headers=headers)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    everything = (
        await client.get("/api/v1/organisations", params={"limit": 500}, headers=headers)
    ).json()
    assert seen == [item["id"] for item in everything["items"]]
    assert len(seen) == len(set(seen)) > 3
    bad = await client.get("/api/v1/organisations", params={"cursor": "garbage!"}, headers=headers)
    assert bad.status_code == 400


async def test_unknown_organisation_is_404(client, keys) -> None:
    response = await client.get(f"/api/v1/organisations/{uuid4()}", headers=bearer(keys["admin"]))
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    malformed = await client.get("/api/v1/organisations/not-a-uuid", headers=bearer(keys["admin"]))
    assert malformed.status_code in (400, 404)

"""``GET …/{id}/versions``: each version as the registry held it, newest first, with who
wrote it; a correction of a past fact is a new version, and ``knownOn`` before it still
answers what was said then."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from tests.helpers import bearer


async def _etag(client, path: str, key: str) -> str:
    return (await client.get(path, headers=bearer(key))).headers["etag"]


async def test_a_correction_is_a_new_version_and_the_past_still_answers(client, keys) -> None:
    registrar = keys["registrar"]
    created = await client.post(
        "/api/v1/handovers",
        json={"title": "Versies proef", "effectiveOn": "2031-01-01"},
        headers=bearer(registrar),
    )
    assert created.status_code == 201, created.text
    path = f"/api/v1/handovers/{created.json()['id']}"
    before_correction = datetime.now(UTC)
    await asyncio.sleep(0.01)
    corrected = await client.patch(
        path,
        json={"effectiveOn": "2031-02-01"},
        headers={**bearer(registrar), "If-Match": await _etag(client, path, registrar)},
    )
    assert corrected.status_code == 200, corrected.text

    versions = await client.get(f"{path}/versions", headers=bearer(registrar))
    assert versions.status_code == 200
    items = versions.json()["items"]
    assert [v["effectiveOn"] for v in items] == ["2031-02-01", "2031-01-01"]
    assert items[0]["recordedTo"] is None
    assert items[1]["recordedTo"] == items[0]["recordedFrom"]
    assert all(v["actor"] for v in items)  # who wrote each version

    then = await client.get(
        path, params={"knownOn": before_correction.isoformat()}, headers=bearer(registrar)
    )
    assert then.json()["effectiveOn"] == "2031-01-01"
    assert (await client.get(path, headers=bearer(registrar))).json()["effectiveOn"] == "2031-02-01"

    first = await client.get(f"{path}/versions", params={"limit": 1}, headers=bearer(registrar))
    assert [v["effectiveOn"] for v in first.json()["items"]] == ["2031-02-01"]
    rest = await client.get(
        f"{path}/versions",
        params={"limit": 1, "cursor": first.json()["next"]},
        headers=bearer(registrar),
    )
    assert [v["effectiveOn"] for v in rest.json()["items"]] == ["2031-01-01"]
    assert rest.json()["next"] is None


async def test_versions_of_unknown_records_and_bad_cursors(client, keys) -> None:
    missing = "/api/v1/organisations/00000000-0000-4000-8000-000000000000/versions"
    answer = await client.get(missing, headers=bearer(keys["admin"]))
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    bad = await client.get(
        missing, params={"cursor": "not-a-cursor"}, headers=bearer(keys["admin"])
    )
    assert bad.status_code == 400


async def test_staff_versions_hold_no_personal_data_and_keep_their_scope(
    client, keys, demo_ids
) -> None:
    path = f"/api/v1/handovers/{demo_ids['handover_id']}/staff/{demo_ids['staff_id']}/versions"
    answer = await client.get(path, headers=bearer(keys["hr"]))
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert items
    assert all("name" not in item for item in items)
    assert items[0]["staffRef"]
    for role in ("municipality", "management", "hr_other"):
        assert (await client.get(path, headers=bearer(keys[role]))).status_code == 403

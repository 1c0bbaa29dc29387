"""Every operation in the OpenAPI document, called with every role: the policy table holds.

The operations come from the served document, so a route added later is called here
too; one without an entry in ``app.access.policy.POLICY`` stops the app from starting.
"""

from __future__ import annotations

import pytest

from app.access.policy import OUTSIDE_THE_API_DOCUMENT, POLICY
from tests.helpers import bearer, concrete, operations

ROLES = ("admin", "registrar", "hr", "management", "municipality")


QUERY = {
    "getServiceTimeline": {"municipality": "GM0014"},
    "listContinuityIssues": {"municipality": "GM0014"},
}


async def call(client, method: str, url: str, key: str | None, operation: str):
    headers = bearer(key) if key else {}
    body = {} if method in {"POST", "PATCH", "PUT"} else None
    return await client.request(
        method, url, headers=headers, params=QUERY.get(operation), json=body
    )


async def test_every_operation_has_a_policy_entry(client) -> None:
    found = {operation for _, _, operation in await operations(client)}
    assert found == set(POLICY) - OUTSIDE_THE_API_DOCUMENT, (
        "the policy table and the API's operations differ"
    )


async def test_every_operation_with_every_role(client, keys, demo_ids) -> None:
    checked = 0
    for method, path, operation in await operations(client):
        url = concrete(path, demo_ids)
        anonymous = await call(client, method, url, None, operation)
        assert anonymous.status_code == 401, (operation, anonymous.status_code)
        for role in ROLES:
            response = await call(client, method, url, keys[role], operation)
            if role in POLICY[operation]:
                assert response.status_code not in (401, 403), (operation, role, response.text)
            else:
                assert response.status_code == 403, (operation, role, response.status_code)
                assert response.headers["content-type"].startswith("application/problem+json")
            checked += 1
    assert checked == len(set(POLICY) - OUTSIDE_THE_API_DOCUMENT) * len(ROLES)


async def test_object_scope_of_other_organisations_and_municipalities(
    client, keys, demo_ids
) -> None:
    """Keys of an organisation or municipality that is no party see nothing of it."""
    handover = demo_ids["handover_id"]
    outsiders = {
        "hr_other": [
            ("GET", f"/api/v1/handovers/{handover}"),
            ("GET", f"/api/v1/handovers/{handover}/transitions"),
            ("GET", f"/api/v1/handovers/{handover}/staff"),
            ("POST", f"/api/v1/handovers/{handover}/staff"),
            ("PATCH", f"/api/v1/handovers/{handover}/staff/{demo_ids['staff_id']}"),
        ],
        "municipality_other": [
            ("GET", f"/api/v1/handovers/{handover}"),
            ("GET", f"/api/v1/handovers/{handover}/transitions"),
            ("GET", "/api/v1/municipalities/GM0014/continuity"),
            ("GET", "/api/v1/municipalities/GM0017/continuity"),
        ],
        "municipality": [
            ("GET", f"/api/v1/handovers/{demo_ids['emmen_handover_id']}"),
            ("GET", "/api/v1/municipalities/GM0114/continuity"),
        ],
        "management": [("GET", f"/api/v1/handovers/{demo_ids['emmen_handover_id']}")],
        "hr": [("GET", f"/api/v1/handovers/{demo_ids['emmen_handover_id']}/staff")],
    }
    for key_name, calls in outsiders.items():
        for method, url in calls:
            body = {} if method != "GET" else None
            response = await client.request(method, url, headers=bearer(keys[key_name]), json=body)
            assert response.status_code == 403, (key_name, method, url, response.status_code)
    issues = await client.get(
        "/api/v1/continuity/issues",
        params={"municipality": "GM0014"},
        headers=bearer(keys["municipality_other"]),
    )
    assert issues.status_code == 403
    listed = await client.get("/api/v1/handovers", headers=bearer(keys["municipality_other"]))
    assert handover not in {h["id"] for h in listed.json()["items"]}


async def test_options_on_every_path_never_fails(client, demo_ids) -> None:
    for _, path, _ in await operations(client):
        response = await client.options(concrete(path, demo_ids))
        assert response.status_code < 500, (path, response.status_code)


def test_an_api_route_without_a_policy_entry_stops_the_app(monkeypatch) -> None:
    from app.application import check_policy_covers, create_app

    app = create_app()
    check_policy_covers(app)  # the real table covers every route
    monkeypatch.delitem(POLICY, "getContinuity")
    with pytest.raises(RuntimeError, match="continuity has no entry"):
        check_policy_covers(app)

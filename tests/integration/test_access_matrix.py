"""Every operation in the OpenAPI document, called with every role: the policy table holds.

The operations come from the served document, so a route added later is called here
too; one without an entry in ``app.access.policy.POLICY`` stops the app from starting.
"""

from __future__ import annotations

import re

import pytest

from app.access.policy import POLICY
from app.demo.seeds import EMMEN_HANDOVER_TITLE, GRONINGEN_HANDOVER_TITLE
from app.tables.tables import (
    Handover,
    Milestone,
    Organisation,
    Provision,
    Service,
    StaffTransfer,
)
from tests.helpers import bearer

ROLES = ("admin", "registrar", "hr", "management", "municipality")


@pytest.fixture(scope="module")
async def ids(demo) -> dict[str, str]:
    groningen = (
        await Handover.select(Handover.id).where(Handover.title == GRONINGEN_HANDOVER_TITLE).first()
    )
    emmen = await Handover.select(Handover.id).where(Handover.title == EMMEN_HANDOVER_TITLE).first()
    werkpro = (
        await Organisation.select(Organisation.id)
        .where(Organisation.name == "Stichting WerkPro")
        .first()
    )
    link050 = await Service.select(Service.id).where(Service.name == "Link050").first()
    provision = (
        await Provision.select(Provision.id).where(Provision.service == link050["id"]).first()
    )
    milestone = (
        await Milestone.select(Milestone.id).where(Milestone.handover == groningen["id"]).first()
    )
    staff = (
        await StaffTransfer.select(StaffTransfer.id)
        .where(StaffTransfer.handover == groningen["id"])
        .first()
    )
    return {
        "handover_id": str(groningen["id"]),
        "emmen_handover_id": str(emmen["id"]),
        "organisation_id": str(werkpro["id"]),
        "service_id": str(link050["id"]),
        "provision_id": str(provision["id"]),
        "milestone_id": str(milestone["id"]),
        "staff_id": str(staff["id"]),
        "cbs_code": "GM0014",
    }


async def operations(client) -> list[tuple[str, str, str]]:
    document = (await client.get("/api/v1/openapi.json")).json()
    return [
        (method.upper(), path, operation["operationId"])
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "patch", "put", "delete"}
    ]


def concrete(path: str, ids: dict[str, str], **override: str) -> str:
    values = ids | override

    def snake(name: str) -> str:  # the document spells path variables in camelCase
        return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)

    return "/api/v1" + re.sub(r"\{(\w+)\}", lambda m: values[snake(m.group(1))], path)


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
    assert found == set(POLICY), "the policy table and the API's operations differ"


async def test_every_operation_with_every_role(client, keys, ids) -> None:
    checked = 0
    for method, path, operation in await operations(client):
        url = concrete(path, ids)
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
    assert checked == len(POLICY) * len(ROLES)


async def test_object_scope_of_other_organisations_and_municipalities(client, keys, ids) -> None:
    """Keys of an organisation or municipality that is no party see nothing of it."""
    handover = ids["handover_id"]
    outsiders = {
        "hr_other": [
            ("GET", f"/api/v1/handovers/{handover}"),
            ("GET", f"/api/v1/handovers/{handover}/transitions"),
            ("GET", f"/api/v1/handovers/{handover}/staff"),
            ("POST", f"/api/v1/handovers/{handover}/staff"),
            ("PATCH", f"/api/v1/handovers/{handover}/staff/{ids['staff_id']}"),
        ],
        "municipality_other": [
            ("GET", f"/api/v1/handovers/{handover}"),
            ("GET", f"/api/v1/handovers/{handover}/transitions"),
            ("GET", "/api/v1/municipalities/GM0014/continuity"),
            ("GET", "/api/v1/municipalities/GM0017/continuity"),
        ],
        "municipality": [
            ("GET", f"/api/v1/handovers/{ids['emmen_handover_id']}"),
            ("GET", "/api/v1/municipalities/GM0114/continuity"),
        ],
        "management": [("GET", f"/api/v1/handovers/{ids['emmen_handover_id']}")],
        "hr": [("GET", f"/api/v1/handovers/{ids['emmen_handover_id']}/staff")],
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

"""Handovers through the HTTP API: records, lifecycle, provisions, scope and staff.

Each test builds its own organisations, services and provisions (names with a uuid
suffix), so it neither depends on nor disturbs the demo cases. The keys are scoped to
those organisations; municipality keys use GM0014 and GM0114.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest
from litestar.testing import AsyncTestClient

from tests.helpers import bearer, if_match, version_tag

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"


@dataclass
class Keys:
    admin: str
    registrar: str
    hr: str
    hr_other: str
    management: str
    municipality: str
    municipality_other: str


@dataclass
class World:
    source: dict[str, Any]
    receiving: dict[str, Any]
    other: dict[str, Any]
    keys: Keys


async def _ensure_municipalities() -> None:
    """GM0014 and GM0114 exist: from the demo cases when they can load, else made here."""
    if importlib.util.find_spec("app.demo.seeds") is not None:
        from app.demo.seeds import load_demo

        await load_demo()  # idempotent: a no-op when the demo fixture ran first
    from app.tables.tables import Municipality

    for code, name in (("GM0014", "Groningen"), ("GM0114", "Emmen")):
        if not await Municipality.exists().where(Municipality.code == code):
            await Municipality.insert(Municipality(code=code, name=name, province="test"))


async def _create_keys(source: str, receiving: str, other: str) -> dict[str, str]:
    from app.access.keys import create_api_key

    return {
        "registrar": await create_api_key("registrar", name="handover tests registrar"),
        "hr": await create_api_key("hr", organisations=[receiving], name="hr ontvanger"),
        "hr_other": await create_api_key("hr", organisations=[other], name="hr elders"),
        "management": await create_api_key(
            "management", organisations=[receiving], name="management ontvanger"
        ),
        "municipality": await create_api_key(
            "municipality", municipalities=["GM0014"], name="gm14"
        ),
        "municipality_other": await create_api_key(
            "municipality", municipalities=["GM0114"], name="gm114"
        ),
    }


async def _organisation(client: AsyncTestClient, key: str, label: str) -> dict[str, Any]:
    response = await client.post(
        f"{API}/organisations", json={"name": f"{label} {uuid4().hex[:8]}"}, headers=bearer(key)
    )
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture(scope="module")
async def world(client: AsyncTestClient) -> World:
    from app.access.keys import create_api_key

    await _ensure_municipalities()
    admin = await create_api_key("admin", name="handover tests admin")
    source = await _organisation(client, admin, "Stichting Bron")
    receiving = await _organisation(client, admin, "Stichting Ontvanger")
    other = await _organisation(client, admin, "Stichting Elders")
    keys = await _create_keys(source["id"], receiving["id"], other["id"])
    return World(source, receiving, other, Keys(admin=admin, **keys))


async def make_service(
    client: AsyncTestClient,
    world: World,
    *,
    municipality: str = "GM0014",
    provided_from: str | None = "2015-01-01",
    staffed_fte: float | None = None,
) -> dict[str, Any]:
    """A new service, provided by the source organisation in ``municipality``."""
    key = world.keys.registrar
    response = await client.post(
        f"{API}/services", json={"name": f"Dienst {uuid4().hex[:8]}"}, headers=bearer(key)
    )
    assert response.status_code == 201, response.text
    service = response.json()
    if provided_from is not None:
        response = await client.post(
            f"{API}/provisions",
            json={
                "serviceId": service["id"],
                "municipalityCode": municipality,
                "providerId": world.source["id"],
                "validFrom": provided_from,
                "staffedFte": staffed_fte,
            },
            headers=bearer(key),
        )
        assert response.status_code == 201, response.text
    return service


async def make_handover(
    client: AsyncTestClient,
    world: World,
    *,
    municipality: str = "GM0014",
    receiving: bool = True,
    **overrides: Any,
) -> dict[str, Any]:
    """A proposed handover moving one new service from source to receiving."""
    service = await make_service(client, world, municipality=municipality)
    parties = [{"role": "source", "organisationId": world.source["id"]}]
    if receiving:
        parties.append({"role": "receiving", "organisationId": world.receiving["id"]})
    body = {
        "title": f"Overdracht {uuid4().hex[:8]}",
        "kind": "transfer",
        "effectiveOn": "2022-01-01",
        "parties": parties,
        "services": [
            {
                "serviceId": service["id"],
                "municipalityCode": municipality,
                "fromOrganisationId": world.source["id"],
            }
        ],
        **overrides,
    }
    response = await client.post(
        f"{API}/handovers", json=body, headers=bearer(world.keys.registrar)
    )
    assert response.status_code == 201, response.text
    return response.json()


async def step(
    client: AsyncTestClient, world: World, handover_id: str, to: str, on: str, note: str = ""
) -> Any:
    registrar = bearer(world.keys.registrar)
    return await client.post(
        f"{API}/handovers/{handover_id}/transitions",
        json={"to": to, "on": on, "note": note},
        headers=await if_match(client, f"{API}/handovers/{handover_id}", registrar),
    )


async def staff_tag(client: AsyncTestClient, member_url: str, headers: dict) -> dict[str, str]:
    """``headers`` with If-Match for a staff transfer, as its handover's staff list shows it."""
    staff_url, staff_id = member_url.rsplit("/", 1)
    items = (await client.get(staff_url, params={"limit": 500}, headers=headers)).json()["items"]
    [member] = [item for item in items if item["id"] == staff_id]
    return {**headers, **version_tag(member)}


async def provisions_of(client: AsyncTestClient, world: World, service_id: str) -> list[dict]:
    response = await client.get(
        f"{API}/provisions", params={"service": service_id}, headers=bearer(world.keys.admin)
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]


def assert_problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    if field is not None:
        names = [p["name"] for p in body.get("invalidParams") or []]
        assert field in names, body
    return body


# --- recording a handover -----------------------------------------------------------------


async def test_create_handover_with_parties_services_guarantees_milestones(
    client: AsyncTestClient, world: World
) -> None:
    service = await make_service(client, world, staffed_fte=4.0)
    response = await client.post(
        f"{API}/handovers",
        json={
            "title": "Welzijnsactiviteiten naar de ontvanger",
            "description": "Per 2022 gaan de activiteiten over.",
            "kind": "transfer",
            "effectiveOn": "2022-01-01",
            "announcedOn": "2021-12-10",
            "source": "seed 000",
            "parties": [
                {"role": "source", "organisationId": world.source["id"]},
                {"role": "receiving", "organisationId": world.receiving["id"]},
                {"role": "municipality", "municipalityCode": "GM0014", "involvement": "informed"},
            ],
            "services": [
                {
                    "serviceId": service["id"],
                    "municipalityCode": "GM0014",
                    "fromOrganisationId": world.source["id"],
                }
            ],
            "guarantees": [
                {
                    "serviceId": service["id"],
                    "municipalityCode": "GM0014",
                    "reviewOn": "2024-01-01",
                    "fullStrength": True,
                    "sameConditions": True,
                    "text": "op volle sterkte en onder dezelfde voorwaarden",
                }
            ],
            "milestones": [
                {
                    "kind": "staff_informed",
                    "title": "Medewerkers geïnformeerd",
                    "dueOn": "2021-12-01",
                },
                {"kind": "contracts_signed", "title": "Contracten getekend"},
            ],
        },
        headers=bearer(world.keys.registrar),
    )
    assert response.status_code == 201, response.text
    handover = response.json()
    assert handover["status"] == "proposed"
    assert handover["effectiveOn"] == "2022-01-01"
    assert handover["announcedOn"] == "2021-12-10"
    assert [p["role"] for p in handover["parties"]] == ["source", "receiving", "municipality"]
    assert handover["parties"][1]["organisation"] == {
        "id": world.receiving["id"],
        "name": world.receiving["name"],
    }
    assert handover["parties"][2]["municipality"] == {"code": "GM0014", "name": "Groningen"}
    assert handover["parties"][2]["involvement"] == "informed"
    assert handover["parties"][2]["organisation"] is None
    [moved] = handover["services"]
    assert moved["service"]["id"] == service["id"]
    assert moved["fromOrganisation"]["id"] == world.source["id"]
    [guarantee] = handover["guarantees"]
    assert guarantee["validFrom"] == "2022-01-01"  # the handover's effective date
    assert guarantee["until"] is None
    assert guarantee["reviewOn"] == "2024-01-01"
    assert guarantee["fullStrength"] is True
    assert guarantee["baselineFte"] is None
    assert [m["kind"] for m in handover["milestones"]] == ["staff_informed", "contracts_signed"]
    assert handover["progress"] == {"done": 0, "total": 2, "percent": 0}
    assert handover["staff"]["count"] == 0
    assert handover["transitions"] == []

    fetched = await client.get(
        f"{API}/handovers/{handover['id']}", headers=bearer(world.keys.admin)
    )
    assert fetched.status_code == 200
    assert fetched.json() == handover


async def test_sub_resources_add_to_a_handover(client: AsyncTestClient, world: World) -> None:
    handover = await make_handover(client, world)
    url = f"{API}/handovers/{handover['id']}"
    registrar = bearer(world.keys.registrar)
    extra = await make_service(client, world)

    response = await client.post(
        f"{url}/parties",
        json={"role": "municipality", "municipalityCode": "GM0014", "involvement": "directing"},
        headers=registrar,
    )
    assert response.status_code == 201, response.text
    response = await client.post(
        f"{url}/parties",
        json={"role": "other", "organisationId": world.other["id"], "note": "netwerk"},
        headers=registrar,
    )
    assert response.status_code == 201, response.text
    assert [p["role"] for p in response.json()["parties"]] == [
        "source",
        "receiving",
        "municipality",
        "other",
    ]

    response = await client.post(
        f"{url}/services",
        json={"serviceId": extra["id"], "municipalityCode": "GM0014"},
        headers=registrar,
    )
    assert response.status_code == 201, response.text
    assert len(response.json()["services"]) == 2

    response = await client.post(
        f"{url}/guarantees",
        json={
            "serviceId": extra["id"],
            "municipalityCode": "GM0014",
            "validFrom": "2022-01-01",
            "until": "2025-01-01",
            "sameConditions": True,
            "baselineFte": 2.5,
        },
        headers=registrar,
    )
    assert response.status_code == 201, response.text
    [guarantee] = response.json()["guarantees"]
    assert guarantee["until"] == "2025-01-01"
    assert guarantee["baselineFte"] == 2.5

    response = await client.post(
        f"{url}/milestones",
        json={"kind": "works_council_advice", "title": "Advies OR", "dueOn": "2021-10-01"},
        headers=registrar,
    )
    assert response.status_code == 201, response.text
    response = await client.post(
        f"{url}/milestones",
        json={"kind": "data_handed_over", "title": "Dossiers over", "dueOn": "2022-02-01"},
        headers=registrar,
    )
    assert response.status_code == 201, response.text
    milestones = response.json()["milestones"]
    assert [m["title"] for m in milestones] == ["Advies OR", "Dossiers over"]
    assert response.json()["progress"] == {"done": 0, "total": 2, "percent": 0}

    response = await client.patch(
        f"{url}/milestones/{milestones[0]['id']}",
        json={"doneOn": "2021-09-28", "note": "positief advies"},
        headers=await if_match(client, url, registrar),
    )
    assert response.status_code == 200, response.text
    assert response.json()["progress"] == {"done": 1, "total": 2, "percent": 50}
    assert response.json()["milestones"][0]["note"] == "positief advies"


async def test_update_handover(client: AsyncTestClient, world: World) -> None:
    handover = await make_handover(client, world)
    url = f"{API}/handovers/{handover['id']}"
    response = await client.patch(
        url,
        json={"title": "Nieuwe titel", "effectiveOn": "2022-02-01", "kind": "integration"},
        headers={**bearer(world.keys.registrar), **version_tag(handover)},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["title"], body["effectiveOn"], body["kind"]) == (
        "Nieuwe titel",
        "2022-02-01",
        "integration",
    )
    assert body["version"] == handover["version"] + 1
    assert body["status"] == "proposed"

    response = await client.patch(url, json={"status": "agreed"}, headers=bearer(world.keys.admin))
    assert_problem(response, 400)
    assert (await client.get(url, headers=bearer(world.keys.admin))).json()["status"] == "proposed"


# --- the lifecycle ------------------------------------------------------------------------


async def test_full_lifecycle_moves_the_provisions(client: AsyncTestClient, world: World) -> None:
    service = await make_service(client, world, staffed_fte=3.5)
    handover = await make_handover(
        client,
        world,
        services=[
            {
                "serviceId": service["id"],
                "municipalityCode": "GM0014",
                "fromOrganisationId": world.source["id"],
            }
        ],
        guarantees=[
            {"serviceId": service["id"], "municipalityCode": "GM0014", "fullStrength": True}
        ],
    )
    handover_id = handover["id"]

    for to, on in [("intent_signed", "2021-06-17"), ("agreed", "2021-12-01")]:
        response = await step(client, world, handover_id, to, on, note=f"naar {to}")
        assert response.status_code == 201, response.text
        assert response.json()["status"] == to
    [before] = await provisions_of(client, world, service["id"])
    assert before["validTo"] is None

    response = await step(client, world, handover_id, "effective", "2022-01-01")
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "effective"
    assert response.json()["effectiveOn"] == "2022-01-01"
    # a full-strength guarantee without baseline takes the FTE of the provision handed over
    assert response.json()["guarantees"][0]["baselineFte"] == 3.5

    provisions = sorted(
        await provisions_of(client, world, service["id"]), key=lambda p: p["validFrom"]
    )
    assert len(provisions) == 2
    closed, opened = provisions
    assert closed["provider"]["id"] == world.source["id"]
    assert closed["validTo"] == "2022-01-01"
    assert closed["closedByHandover"] == handover_id
    assert opened["provider"]["id"] == world.receiving["id"]
    assert opened["validFrom"] == "2022-01-01"
    assert opened["validTo"] is None
    assert opened["openedByHandover"] == handover_id

    response = await step(client, world, handover_id, "completed", "2022-06-01", note="klaar")
    assert response.status_code == 201, response.text
    detail = response.json()
    assert detail["status"] == "completed"
    assert [(t["fromStatus"], t["toStatus"], t["on"]) for t in detail["transitions"]] == [
        ("proposed", "intent_signed", "2021-06-17"),
        ("intent_signed", "agreed", "2021-12-01"),
        ("agreed", "effective", "2022-01-01"),
        ("effective", "completed", "2022-06-01"),
    ]
    assert detail["transitions"][-1]["note"] == "klaar"
    assert detail["transitions"][-1]["actor"].startswith("registrar:")

    response = await client.get(
        f"{API}/handovers/{handover_id}/transitions", headers=bearer(world.keys.admin)
    )
    assert response.status_code == 200
    assert response.json()["next"] is None
    assert [t["toStatus"] for t in response.json()["items"]] == [
        "intent_signed",
        "agreed",
        "effective",
        "completed",
    ]
    response = await client.get(
        f"{API}/handovers/{handover_id}/transitions",
        params={"limit": 3},
        headers=bearer(world.keys.admin),
    )
    assert len(response.json()["items"]) == 3
    response = await client.get(
        f"{API}/handovers/{handover_id}/transitions",
        params={"limit": 3, "cursor": response.json()["next"]},
        headers=bearer(world.keys.admin),
    )
    assert [t["toStatus"] for t in response.json()["items"]] == ["completed"]

    # services and parties freeze once the provisions have moved
    response = await client.post(
        f"{API}/handovers/{handover_id}/parties",
        json={"role": "other", "organisationId": world.other["id"]},
        headers=bearer(world.keys.registrar),
    )
    assert_problem(response, 409)
    response = await client.patch(
        f"{API}/handovers/{handover_id}",
        json={"effectiveOn": "2022-03-01"},
        headers=await if_match(
            client, f"{API}/handovers/{handover_id}", bearer(world.keys.registrar)
        ),
    )
    assert_problem(response, 409, "effectiveOn")


async def test_transition_on_defaults_to_today(client: AsyncTestClient, world: World) -> None:
    from app.dates import today

    handover = await make_handover(client, world)
    response = await client.post(
        f"{API}/handovers/{handover['id']}/transitions",
        json={"to": "intent_signed"},
        headers={**bearer(world.keys.registrar), **version_tag(handover)},
    )
    assert response.status_code == 201, response.text
    assert response.json()["transitions"][0]["on"] == today().isoformat()


async def test_illegal_transition_is_409_problem(client: AsyncTestClient, world: World) -> None:
    handover = await make_handover(client, world)
    response = await step(client, world, handover["id"], "effective", "2022-01-01")
    body = assert_problem(response, 409, "to")
    assert body["type"].endswith("illegal-transition")
    assert_problem(await step(client, world, handover["id"], "completed", "2022-01-01"), 409)
    assert_problem(await step(client, world, handover["id"], "proposed", "2022-01-01"), 409)

    assert (await step(client, world, handover["id"], "agreed", "2021-12-01")).status_code == 201
    # a step cannot be dated before the previous one
    assert_problem(await step(client, world, handover["id"], "effective", "2021-11-30"), 409, "on")
    detail = (
        await client.get(f"{API}/handovers/{handover['id']}", headers=bearer(world.keys.admin))
    ).json()
    assert detail["status"] == "agreed"
    assert len(detail["transitions"]) == 1


async def test_failed_effective_changes_nothing(client: AsyncTestClient, world: World) -> None:
    handover = await make_handover(client, world, receiving=False)
    service_id = handover["services"][0]["service"]["id"]
    assert (await step(client, world, handover["id"], "agreed", "2021-12-01")).status_code == 201

    response = await step(client, world, handover["id"], "effective", "2022-01-01")
    assert_problem(response, 409)

    detail = (
        await client.get(f"{API}/handovers/{handover['id']}", headers=bearer(world.keys.admin))
    ).json()
    assert detail["status"] == "agreed"
    assert detail["effectiveOn"] == "2022-01-01"
    assert [t["toStatus"] for t in detail["transitions"]] == ["agreed"]
    [provision] = await provisions_of(client, world, service_id)
    assert provision["validTo"] is None
    assert provision["closedByHandover"] is None


async def test_effective_fails_when_the_source_provides_nothing(
    client: AsyncTestClient, world: World
) -> None:
    service = await make_service(client, world, provided_from=None)
    handover = await make_handover(
        client,
        world,
        services=[
            {
                "serviceId": service["id"],
                "municipalityCode": "GM0014",
                "fromOrganisationId": world.source["id"],
            }
        ],
    )
    assert (await step(client, world, handover["id"], "agreed", "2021-12-01")).status_code == 201
    assert_problem(await step(client, world, handover["id"], "effective", "2022-01-01"), 409)
    assert await provisions_of(client, world, service["id"]) == []


async def test_cancelled_only_before_effective(client: AsyncTestClient, world: World) -> None:
    proposed = await make_handover(client, world)
    response = await step(
        client, world, proposed["id"], "cancelled", "2021-10-01", "gaat niet door"
    )
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "cancelled"
    assert_problem(await step(client, world, proposed["id"], "agreed", "2021-11-01"), 409, "to")

    agreed = await make_handover(client, world)
    assert (await step(client, world, agreed["id"], "agreed", "2021-12-01")).status_code == 201
    response = await step(client, world, agreed["id"], "cancelled", "2021-12-15")
    assert response.status_code == 201, response.text

    effective = await make_handover(client, world)
    assert (await step(client, world, effective["id"], "agreed", "2021-12-01")).status_code == 201
    assert (
        await step(client, world, effective["id"], "effective", "2022-01-01")
    ).status_code == 201
    assert_problem(await step(client, world, effective["id"], "cancelled", "2022-02-01"), 409)
    response = await client.get(
        f"{API}/handovers/{effective['id']}", headers=bearer(world.keys.admin)
    )
    assert response.json()["status"] == "effective"


# --- validation and unknown ids -----------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x", "kind": "sale"}, "kind"),
        ({"title": "x", "effectiveOn": "1 januari"}, "effectiveOn"),
        ({"title": "x", "parties": [{"role": "buyer", "organisationId": None}]}, "parties[0].role"),
        ({"title": "x", "parties": [{"role": "source"}]}, "parties[0].organisationId"),
        (
            {"title": "x", "parties": [{"role": "municipality", "municipalityCode": "GM0014"}]},
            "parties[0].involvement",
        ),
        (
            {"title": "x", "parties": [{"role": "municipality", "involvement": "informed"}]},
            "parties[0].municipalityCode",
        ),
        (
            {
                "title": "x",
                "parties": [
                    {
                        "role": "municipality",
                        "municipalityCode": "Groningen",
                        "involvement": "informed",
                    }
                ],
            },
            "parties[0].municipalityCode",
        ),
        (
            {"title": "x", "milestones": [{"kind": "party", "title": "Feest"}]},
            "milestones[0].kind",
        ),
    ],
)
async def test_create_handover_validation(
    client: AsyncTestClient, world: World, body: dict[str, Any], field: str
) -> None:
    response = await client.post(
        f"{API}/handovers", json=body, headers=bearer(world.keys.registrar)
    )
    assert_problem(response, 400, field)


async def test_missing_required_field_is_400(client: AsyncTestClient, world: World) -> None:
    response = await client.post(
        f"{API}/handovers", json={"kind": "transfer"}, headers=bearer(world.keys.registrar)
    )
    body = assert_problem(response, 400)
    # msgspec reports a missing field at the object, so the name is the body's, not the field's
    assert "`title`" in body["detail"]


async def test_guarantee_validation(client: AsyncTestClient, world: World) -> None:
    handover = await make_handover(client, world, effectiveOn=None)
    service_id = handover["services"][0]["service"]["id"]
    url = f"{API}/handovers/{handover['id']}/guarantees"
    registrar = bearer(world.keys.registrar)
    response = await client.post(
        url, json={"serviceId": service_id, "municipalityCode": "GM0014"}, headers=registrar
    )
    assert_problem(response, 400, "validFrom")
    response = await client.post(
        url,
        json={
            "serviceId": service_id,
            "municipalityCode": "GM0014",
            "validFrom": "2022-01-01",
            "until": "2022-01-01",
        },
        headers=registrar,
    )
    assert_problem(response, 400, "until")
    response = await client.post(
        url,
        json={
            "serviceId": service_id,
            "municipalityCode": "GM0014",
            "validFrom": "2022-01-01",
            "baselineFte": -1,
        },
        headers=registrar,
    )
    assert_problem(response, 400, "baselineFte")
    response = await client.post(
        url,
        json={"serviceId": str(uuid4()), "municipalityCode": "GM0014", "validFrom": "2022-01-01"},
        headers=registrar,
    )
    assert_problem(response, 404, "serviceId")
    response = await client.post(
        url,
        json={"serviceId": service_id, "municipalityCode": "GM9999", "validFrom": "2022-01-01"},
        headers=registrar,
    )
    assert_problem(response, 404, "municipalityCode")


async def test_transition_validation(client: AsyncTestClient, world: World) -> None:
    handover = await make_handover(client, world)
    url = f"{API}/handovers/{handover['id']}/transitions"
    registrar = bearer(world.keys.registrar)
    assert_problem(await client.post(url, json={"to": "done"}, headers=registrar), 400, "to")
    body = assert_problem(await client.post(url, json={"on": "2022-01-01"}, headers=registrar), 400)
    assert "`to`" in body["detail"]
    assert_problem(
        await client.post(url, json={"to": "agreed", "on": "2022-13-01"}, headers=registrar),
        400,
        "on",
    )


async def test_list_query_validation(client: AsyncTestClient, world: World) -> None:
    admin = bearer(world.keys.admin)
    for params, field in [
        ({"status": "finished"}, "status"),
        ({"municipality": "Groningen"}, "municipality"),
        ({"organisation": "not-a-uuid"}, "organisation"),
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"cursor": "nonsense"}, "cursor"),
    ]:
        response = await client.get(f"{API}/handovers", params=params, headers=admin)
        assert_problem(response, 400, field)


async def test_inline_create_is_one_transaction(client: AsyncTestClient, world: World) -> None:
    fresh = await _organisation(client, world.keys.admin, "Stichting Eenmalig")
    response = await client.post(
        f"{API}/handovers",
        json={
            "title": "Half",
            "parties": [
                {"role": "source", "organisationId": fresh["id"]},
                {"role": "receiving", "organisationId": str(uuid4())},
            ],
        },
        headers=bearer(world.keys.registrar),
    )
    assert_problem(response, 404, "parties[1].organisationId")
    response = await client.get(
        f"{API}/handovers", params={"organisation": fresh["id"]}, headers=bearer(world.keys.admin)
    )
    assert response.json() == {"items": [], "next": None}


async def test_unknown_ids_are_404(client: AsyncTestClient, world: World) -> None:
    missing = uuid4()
    admin = bearer(world.keys.admin)
    assert_problem(await client.get(f"{API}/handovers/{missing}", headers=admin), 404)
    assert_problem(
        await client.patch(f"{API}/handovers/{missing}", json={"title": "x"}, headers=admin), 404
    )
    assert_problem(
        await client.post(
            f"{API}/handovers/{missing}/transitions", json={"to": "agreed"}, headers=admin
        ),
        404,
    )
    assert_problem(await client.get(f"{API}/handovers/{missing}/transitions", headers=admin), 404)
    assert_problem(await client.get(f"{API}/handovers/{missing}/staff", headers=admin), 404)
    assert_problem(
        await client.post(
            f"{API}/handovers/{missing}/milestones", json={"title": "x"}, headers=admin
        ),
        404,
    )
    handover = await make_handover(client, world)
    assert_problem(
        await client.patch(
            f"{API}/handovers/{handover['id']}/milestones/{missing}",
            json={"doneOn": "2022-01-01"},
            headers={**admin, **version_tag(handover)},
        ),
        404,
    )
    # a municipality key gets 404 too for an id that does not exist, not 403
    assert_problem(
        await client.get(f"{API}/handovers/{missing}", headers=bearer(world.keys.municipality)),
        404,
    )


async def test_party_rules(client: AsyncTestClient, world: World) -> None:
    handover = await make_handover(client, world)
    url = f"{API}/handovers/{handover['id']}/parties"
    registrar = bearer(world.keys.registrar)
    response = await client.post(
        url, json={"role": "receiving", "organisationId": world.other["id"]}, headers=registrar
    )
    assert_problem(response, 409, "role")
    response = await client.post(
        url, json={"role": "source", "organisationId": world.source["id"]}, headers=registrar
    )
    assert_problem(response, 409)
    response = await client.post(
        url,
        json={"role": "other", "organisationId": world.other["id"], "involvement": "informed"},
        headers=registrar,
    )
    assert_problem(response, 400, "involvement")
    response = await client.post(
        url, json={"role": "source", "organisationId": str(uuid4())}, headers=registrar
    )
    assert_problem(response, 404, "organisationId")


async def test_duplicate_moved_service_is_409(client: AsyncTestClient, world: World) -> None:
    handover = await make_handover(client, world)
    moved = handover["services"][0]
    response = await client.post(
        f"{API}/handovers/{handover['id']}/services",
        json={"serviceId": moved["service"]["id"], "municipalityCode": "GM0014"},
        headers=bearer(world.keys.registrar),
    )
    assert_problem(response, 409, "serviceId")


async def test_editing_needs_an_editor_role(client: AsyncTestClient, world: World) -> None:
    handover = await make_handover(client, world)
    url = f"{API}/handovers/{handover['id']}"
    for key in (world.keys.hr, world.keys.management, world.keys.municipality):
        assert_problem(
            await client.post(
                f"{API}/handovers", json={"title": "niet van mij"}, headers=bearer(key)
            ),
            403,
        )
        assert_problem(
            await client.post(f"{url}/transitions", json={"to": "agreed"}, headers=bearer(key)),
            403,
        )
        assert_problem(await client.patch(url, json={"title": "x"}, headers=bearer(key)), 403)
    assert_problem(await client.get(f"{API}/handovers"), 401)


# --- listing ------------------------------------------------------------------------------


async def test_list_filters_and_pages(client: AsyncTestClient, world: World) -> None:
    organisation = await _organisation(client, world.keys.admin, "Stichting Lijst")
    parties = [
        {"role": "source", "organisationId": organisation["id"]},
        {"role": "receiving", "organisationId": world.receiving["id"]},
    ]
    first = await make_handover(client, world, parties=parties)
    second = await make_handover(client, world, parties=parties, municipality="GM0114")
    admin = bearer(world.keys.admin)

    response = await client.get(
        f"{API}/handovers", params={"organisation": organisation["id"]}, headers=admin
    )
    items = response.json()["items"]
    assert [i["id"] for i in items] == [first["id"], second["id"]]
    assert items[0]["receivingOrganisation"]["id"] == world.receiving["id"]
    assert items[0]["status"] == "proposed"

    response = await client.get(
        f"{API}/handovers", params={"organisation": organisation["id"], "limit": 1}, headers=admin
    )
    page = response.json()
    assert [i["id"] for i in page["items"]] == [first["id"]]
    assert page["next"]
    response = await client.get(
        f"{API}/handovers",
        params={"organisation": organisation["id"], "limit": 1, "cursor": page["next"]},
        headers=admin,
    )
    assert [i["id"] for i in response.json()["items"]] == [second["id"]]
    assert response.json()["next"] is None

    response = await client.get(
        f"{API}/handovers",
        params={"organisation": organisation["id"], "municipality": "GM0114"},
        headers=admin,
    )
    assert [i["id"] for i in response.json()["items"]] == [second["id"]]

    assert (await step(client, world, second["id"], "agreed", "2021-12-01")).status_code == 201
    response = await client.get(
        f"{API}/handovers",
        params={"organisation": organisation["id"], "status": "agreed"},
        headers=admin,
    )
    assert [i["id"] for i in response.json()["items"]] == [second["id"]]


# --- scope ------------------------------------------------------------------------------


async def test_municipality_keys_see_handovers_touching_them(
    client: AsyncTestClient, world: World
) -> None:
    organisation = await _organisation(client, world.keys.admin, "Stichting Gemeentelijk")
    parties = [{"role": "source", "organisationId": organisation["id"]}]
    in_groningen = await make_handover(client, world, parties=parties)
    in_emmen = await make_handover(client, world, parties=parties, municipality="GM0114")
    groningen, emmen = bearer(world.keys.municipality), bearer(world.keys.municipality_other)

    response = await client.get(
        f"{API}/handovers", params={"organisation": organisation["id"]}, headers=groningen
    )
    assert [i["id"] for i in response.json()["items"]] == [in_groningen["id"]]
    response = await client.get(
        f"{API}/handovers", params={"organisation": organisation["id"]}, headers=emmen
    )
    assert [i["id"] for i in response.json()["items"]] == [in_emmen["id"]]
    # every handover a municipality key lists is one it may open
    for item in (await client.get(f"{API}/handovers", headers=groningen)).json()["items"]:
        response = await client.get(f"{API}/handovers/{item['id']}", headers=groningen)
        assert response.status_code == 200

    assert (
        await client.get(f"{API}/handovers/{in_groningen['id']}", headers=groningen)
    ).status_code == 200
    assert_problem(await client.get(f"{API}/handovers/{in_emmen['id']}", headers=groningen), 403)
    assert_problem(
        await client.get(f"{API}/handovers/{in_emmen['id']}/transitions", headers=groningen), 403
    )
    assert_problem(await client.get(f"{API}/handovers/{in_groningen['id']}", headers=emmen), 403)
    assert_problem(
        await client.get(f"{API}/handovers/{in_groningen['id']}/staff", headers=groningen), 403
    )

    # a municipality party alone (no service moved there) also makes it visible
    response = await client.post(
        f"{API}/handovers/{in_emmen['id']}/parties",
        json={"role": "municipality", "municipalityCode": "GM0014", "involvement": "informed"},
        headers=bearer(world.keys.registrar),
    )
    assert response.status_code == 201, response.text
    assert (
        await client.get(f"{API}/handovers/{in_emmen['id']}", headers=groningen)
    ).status_code == 200


async def test_staff_scope_per_role(client: AsyncTestClient, world: World) -> None:
    handover = await make_handover(client, world)
    service_id = handover["services"][0]["service"]["id"]
    staff_url = f"{API}/handovers/{handover['id']}/staff"
    hr, hr_other = bearer(world.keys.hr), bearer(world.keys.hr_other)
    management = bearer(world.keys.management)

    response = await client.post(
        staff_url,
        json={
            "staffRef": "MW-001",
            "name": "J. de Vries",
            "function": "Coördinator vrijwilligers",
            "fte": 0.8,
            "serviceId": service_id,
        },
        headers=hr,
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["name"] == "J. de Vries"
    assert created["basis"] == "transfer_of_undertaking"
    assert created["status"] == "proposed"
    assert created["service"]["id"] == service_id
    response = await client.post(
        staff_url,
        json={"staffRef": "MW-002", "fte": 0.5, "basis": "not_transferring", "status": "informed"},
        headers=bearer(world.keys.registrar),
    )
    assert response.status_code == 201, response.text

    response = await client.get(staff_url, headers=hr)
    assert response.status_code == 200
    assert [s["staffRef"] for s in response.json()["items"]] == ["MW-001", "MW-002"]
    assert response.json()["items"][0]["name"] == "J. de Vries"
    response = await client.get(staff_url, params={"status": "informed"}, headers=hr)
    assert [s["staffRef"] for s in response.json()["items"]] == ["MW-002"]

    assert_problem(await client.get(staff_url, headers=hr_other), 403)
    assert_problem(
        await client.post(staff_url, json={"staffRef": "X", "fte": 1.0}, headers=hr_other), 403
    )
    assert_problem(
        await client.patch(f"{staff_url}/{created['id']}", json={"fte": 1.0}, headers=hr_other),
        403,
    )
    assert_problem(await client.get(f"{API}/handovers/{handover['id']}", headers=hr_other), 403)
    assert_problem(await client.get(staff_url, headers=management), 403)
    assert_problem(
        await client.post(staff_url, json={"staffRef": "Y", "fte": 1.0}, headers=management), 403
    )

    for key in (management, bearer(world.keys.municipality), hr):
        response = await client.get(f"{API}/handovers/{handover['id']}", headers=key)
        assert response.status_code == 200, response.text
        staff = response.json()["staff"]
        assert staff["count"] == 2
        assert staff["fte"] == 1.3
        assert staff["movingFte"] == 0.8
        counts = {s["status"]: (s["count"], s["fte"]) for s in staff["byStatus"]}
        assert counts == {
            "proposed": (1, 0.8),
            "informed": (1, 0.5),
            "agreed": (0, 0.0),
            "transferred": (0, 0.0),
            "declined": (0, 0.0),
        }
        assert "J. de Vries" not in response.text
        assert "MW-001" not in response.text

    response = await client.get(
        f"{API}/handovers", params={"organisation": world.receiving["id"]}, headers=management
    )
    assert response.status_code == 200


async def test_staff_rules(client: AsyncTestClient, world: World) -> None:
    handover = await make_handover(client, world)
    staff_url = f"{API}/handovers/{handover['id']}/staff"
    hr = bearer(world.keys.hr)
    response = await client.post(staff_url, json={"staffRef": "MW-010", "fte": 1.0}, headers=hr)
    assert response.status_code == 201, response.text
    member = response.json()
    member_url = f"{staff_url}/{member['id']}"

    assert_problem(
        await client.post(staff_url, json={"staffRef": "MW-010", "fte": 0.4}, headers=hr),
        409,
        "staffRef",
    )
    for fte in (0, -0.5, 1.6):
        assert_problem(
            await client.post(staff_url, json={"staffRef": "MW-011", "fte": fte}, headers=hr),
            400,
            "fte",
        )
    assert_problem(
        await client.post(
            staff_url, json={"staffRef": "MW-011", "fte": 1, "basis": "loan"}, headers=hr
        ),
        400,
        "basis",
    )
    assert_problem(
        await client.post(
            staff_url, json={"staffRef": "MW-011", "fte": 1, "serviceId": str(uuid4())}, headers=hr
        ),
        404,
        "serviceId",
    )

    for status in ("informed", "agreed"):
        response = await client.patch(
            member_url, json={"status": status}, headers=await staff_tag(client, member_url, hr)
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status
    assert response.json()["version"] == member["version"] + 2
    hr_member = {**hr, "If-Match": response.headers["etag"]}
    body = assert_problem(
        await client.patch(member_url, json={"status": "proposed"}, headers=hr_member),
        409,
        "status",
    )
    assert body["type"].endswith("illegal-transition")
    response = await client.patch(member_url, json={"status": "transferred"}, headers=hr_member)
    assert response.status_code == 200, response.text
    hr_member = {**hr, "If-Match": response.headers["etag"]}
    assert_problem(
        await client.patch(member_url, json={"status": "declined"}, headers=hr_member), 409
    )

    response = await client.post(staff_url, json={"staffRef": "MW-012", "fte": 0.6}, headers=hr)
    declining_url = f"{staff_url}/{response.json()['id']}"
    hr_declining = {**hr, "If-Match": response.headers["etag"]}
    response = await client.patch(declining_url, json={"status": "declined"}, headers=hr_declining)
    assert response.status_code == 200, response.text
    hr_declining = {**hr, "If-Match": response.headers["etag"]}
    assert_problem(
        await client.patch(declining_url, json={"status": "agreed"}, headers=hr_declining), 409
    )
    assert_problem(
        await client.patch(declining_url, json={"staffRef": "MW-010"}, headers=hr_declining),
        409,
        "staffRef",
    )
    response = await client.patch(
        declining_url,
        json={"function": "Jongerenwerker", "termsRetained": False},
        headers=hr_declining,
    )
    assert response.status_code == 200, response.text
    assert response.json()["termsRetained"] is False

    # a staff transfer is reached only through its own handover
    other = await make_handover(client, world)
    assert_problem(
        await client.patch(
            f"{API}/handovers/{other['id']}/staff/{member['id']}", json={"fte": 0.5}, headers=hr
        ),
        404,
    )


# --- audit ------------------------------------------------------------------------------


async def test_changes_are_audited(client: AsyncTestClient, world: World) -> None:
    handover = await make_handover(client, world)
    assert (await step(client, world, handover["id"], "agreed", "2021-12-01")).status_code == 201
    response = await client.post(
        f"{API}/handovers/{handover['id']}/staff",
        json={"staffRef": "MW-100", "fte": 0.9},
        headers=bearer(world.keys.hr),
    )
    staff_id = response.json()["id"]
    admin = bearer(world.keys.admin)

    response = await client.get(f"{API}/audit", params={"record": handover["id"]}, headers=admin)
    assert response.status_code == 200, response.text
    events = response.json()["items"]
    actions = [e["action"] for e in events]
    assert actions[0] == "create"
    assert "transition" in actions
    assert actions.count("update") == 1
    assert all(e["recordType"] == "handover" for e in events)
    assert events[0]["after"]["title"] == handover["title"]
    transition = next(e for e in events if e["action"] == "transition")
    assert transition["before"] == {"status": "proposed"}
    assert transition["after"]["status"] == "agreed"
    assert transition["actor"].startswith("registrar:")

    party_id = handover["parties"][0]["id"]
    response = await client.get(f"{API}/audit", params={"record": party_id}, headers=admin)
    assert [e["recordType"] for e in response.json()["items"]] == ["handover_party"]

    response = await client.get(f"{API}/audit", params={"record": staff_id}, headers=admin)
    [event] = response.json()["items"]
    assert (event["action"], event["recordType"]) == ("create", "staff_transfer")
    assert event["actor"].startswith("hr:")

    assert_problem(
        await client.get(
            f"{API}/audit", params={"record": handover["id"]}, headers=bearer(world.keys.registrar)
        ),
        403,
    )


async def test_handover_as_known_on_an_earlier_moment(
    client: AsyncTestClient, world: World
) -> None:
    from datetime import UTC, datetime

    handover = await make_handover(client, world)
    told_then = datetime.now(UTC).isoformat()
    assert (await step(client, world, handover["id"], "agreed", "2021-12-01")).status_code == 201
    milestone = await client.post(
        f"{API}/handovers/{handover['id']}/milestones",
        json={"kind": "staff_informed", "title": "Medewerkers geïnformeerd"},
        headers=bearer(world.keys.registrar),
    )
    assert milestone.status_code == 201
    now = await client.get(f"{API}/handovers/{handover['id']}", headers=bearer(world.keys.admin))
    assert now.json()["status"] == "agreed"
    assert len(now.json()["milestones"]) == len(handover["milestones"]) + 1
    then = await client.get(
        f"{API}/handovers/{handover['id']}",
        params={"knownOn": told_then},
        headers=bearer(world.keys.admin),
    )
    assert then.status_code == 200, then.text
    body = then.json()
    assert body["status"] == "proposed"
    assert body["transitions"] == []
    assert len(body["milestones"]) == len(handover["milestones"])
    assert [p["organisation"]["id"] for p in body["parties"] if p["role"] == "receiving"] == [
        world.receiving["id"]
    ]
    before = await client.get(
        f"{API}/handovers/{handover['id']}",
        params={"knownOn": "2001-01-01T00:00:00+01:00"},
        headers=bearer(world.keys.admin),
    )
    assert_problem(before, 404)


async def test_planned_handover_that_would_leave_a_gap_is_found_before_it_happens(
    client: AsyncTestClient, world: World
) -> None:
    # The source stops at the end of 2021, but the handover only takes effect in February.
    service = await make_service(client, world, municipality="GM0114", provided_from=None)
    provision = await client.post(
        f"{API}/provisions",
        json={
            "serviceId": service["id"],
            "municipalityCode": "GM0114",
            "providerId": world.source["id"],
            "validFrom": "2015-01-01",
            "validTo": "2022-01-01",
        },
        headers=bearer(world.keys.registrar),
    )
    assert provision.status_code == 201, provision.text
    handover = await client.post(
        f"{API}/handovers",
        json={
            "title": f"Te late overdracht {uuid4().hex[:8]}",
            "effectiveOn": "2022-02-01",
            "parties": [
                {"role": "source", "organisationId": world.source["id"]},
                {"role": "receiving", "organisationId": world.receiving["id"]},
            ],
            "services": [{"serviceId": service["id"], "municipalityCode": "GM0114"}],
        },
        headers=bearer(world.keys.registrar),
    )
    assert handover.status_code == 201, handover.text
    assert (
        await step(client, world, handover.json()["id"], "agreed", "2021-11-01")
    ).status_code == 201
    params = {"municipality": "GM0114", "from": "2021-06-01", "to": "2022-06-01"}

    async def gaps(**extra: str) -> list[dict]:
        response = await client.get(
            f"{API}/continuity/issues", params=params | extra, headers=bearer(world.keys.admin)
        )
        assert response.status_code == 200, response.text
        return [
            i
            for i in response.json()["items"]
            if i["kind"] == "gap" and i["service"]["id"] == service["id"]
        ]

    assert await gaps() == []  # as recorded today, the service just ends
    [gap] = await gaps(includePlanned="true")
    assert (gap["start"], gap["end"], gap["days"]) == ("2022-01-01", "2022-02-01", 31)
    assert gap["planned"] is True
    assert gap["handoverId"] == handover.json()["id"]
    assert [o["id"] for o in gap["organisations"]] == [world.source["id"], world.receiving["id"]]

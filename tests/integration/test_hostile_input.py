"""Input an attacker or a clumsy client sends: refused with a 4xx problem, never a 500.

Every JSON write of the served document is tried, so an operation added later is
covered by the same rules (issue 17, points 3, 4, 5 and 9).
"""

from __future__ import annotations

from typing import Any

import pytest

from app.fields import FIRST_DAY, LAST_DAY
from tests.helpers import bearer, concrete


async def json_writes(client) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(method, path, request schema, components) of every operation with a JSON body."""
    document = (await client.get("/api/v1/openapi.json")).json()
    schemas = document["components"]["schemas"]
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                ref = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
                found.append((method.upper(), path, schemas[ref], schemas))
    return found


def string_fields(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The top-level string properties of a request schema (nullable ones included)."""
    found = {}
    for name, prop in schema["properties"].items():
        for option in prop.get("oneOf", [prop]):
            if option.get("type") == "string":
                # Litestar states a nullable field's bounds beside its oneOf.
                found[name] = {**{k: v for k, v in prop.items() if k != "oneOf"}, **option}
    return found


def string_option(schema: dict[str, Any]) -> dict[str, Any]:
    return string_fields({"properties": {"p": schema}})["p"]


def assert_problem(response, status: int, field: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    if field is not None:
        assert field in [p["name"] for p in body["invalidParams"]], body


async def test_every_request_string_is_bounded_in_the_schema(client) -> None:
    writes = await json_writes(client)
    assert len(writes) >= 18
    for _, _, schema, schemas in writes:
        nested = [schema] + [
            schemas[ref.rsplit("/", 1)[1]]
            for prop in schema["properties"].values()
            if (ref := prop.get("items", {}).get("$ref"))
        ]
        for each in nested:
            assert each["additionalProperties"] is False, each["title"]
            for name, field in string_fields(each).items():
                if field.get("format") in {"uuid", "date", "date-time"} or "enum" in field:
                    continue
                pattern = field.get("pattern", "")
                bounded = pattern.endswith("$") and not any(c in pattern for c in "*+")
                assert "maxLength" in field or bounded, (
                    each["title"],
                    name,
                )


async def test_nul_and_overlong_strings_are_400_naming_the_field(client, keys, demo_ids) -> None:
    """The same answer on SQLite and PostgreSQL: the database never sees the string."""
    headers = bearer(keys["admin"])
    tried = 0
    for method, path, schema, _ in await json_writes(client):
        url = concrete(path, demo_ids)
        for name, field in string_fields(schema).items():
            if "maxLength" not in field:
                continue
            nul = await client.request(method, url, json={name: "a\u0000b"}, headers=headers)
            assert_problem(nul, 400, name)
            assert "NUL" in nul.json()["detail"]
            long = "x" * (field["maxLength"] + 1)
            overlong = await client.request(method, url, json={name: long}, headers=headers)
            assert_problem(overlong, 400, name)
            tried += 1
    assert tried >= 25


async def test_nul_in_a_nested_field_and_in_a_query_is_400(client, keys) -> None:
    headers = bearer(keys["admin"])
    nested = await client.post(
        "/api/v1/handovers",
        json={"title": "t", "parties": [{"role": "other", "note": "\u0000"}]},
        headers=headers,
    )
    assert_problem(nested, 400, "parties[0].note")
    for query in ["organisations?name=%00", "services?category=%00", "audit?record=%00"]:
        assert_problem(await client.get(f"/api/v1/{query}", headers=headers), 400)


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"])
async def test_dates_outside_the_range_are_400(client, keys, demo_ids, day) -> None:
    headers = bearer(keys["admin"])
    created = await client.post(
        "/api/v1/provisions",
        json={
            "serviceId": demo_ids["service_id"],
            "municipalityCode": "GM0014",
            "providerId": demo_ids["organisation_id"],
            "validFrom": day,
        },
        headers=headers,
    )
    assert_problem(created, 400, "validFrom")
    guarantee = await client.post(
        f"/api/v1/handovers/{demo_ids['handover_id']}/guarantees",
        json={"serviceId": demo_ids["service_id"], "municipalityCode": "GM0014", "until": day},
        headers=headers,
    )
    assert_problem(guarantee, 400, "until")
    continuity = await client.get(
        f"/api/v1/municipalities/GM0014/continuity?on={day}", headers=headers
    )
    assert_problem(continuity, 400, "on")
    issues = await client.get(f"/api/v1/continuity/issues?from={day}", headers=headers)
    assert_problem(issues, 400, "from")


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00%2B14:00", "9999-12-31T23:59:59-12:00", "1899-12-31", "0.5"]
)
async def test_moments_outside_the_range_are_400(client, keys, demo_ids, moment) -> None:
    headers = bearer(keys["admin"])
    for url in [
        f"/api/v1/municipalities/GM0014/continuity?knownOn={moment}",
        f"/api/v1/handovers/{demo_ids['handover_id']}?knownOn={moment}",
    ]:
        assert_problem(await client.get(url, headers=headers), 400, "knownOn")


async def test_the_edges_of_the_range_are_answered(client, keys, demo_ids) -> None:
    """Inside the range the engine and the pages compute without overflowing."""
    headers = bearer(keys["admin"])
    first, last = FIRST_DAY.isoformat(), LAST_DAY.isoformat()
    for url in [
        f"/api/v1/municipalities/GM0014/continuity?on={last}",
        f"/api/v1/municipalities/GM0014/continuity?on={first}",
        f"/api/v1/municipalities/GM0014/continuity?knownOn={last}T23:59:59-12:00",
        f"/api/v1/continuity/issues?municipality=GM0014&from={first}&to={last}",
        f"/api/v1/services/{demo_ids['service_id']}/timeline?municipality=GM0014"
        f"&knownOn={last}T12:00:00Z",
    ]:
        response = await client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.text)
    # Nothing was recorded yet at the first moment: not known then, rather than a 500.
    early = f"/api/v1/municipalities/GM0014/continuity?knownOn={first}T00:00:00%2B14:00"
    assert_problem(await client.get(early, headers=headers), 404)


async def test_deeply_nested_json_is_400_on_every_write(client, keys, demo_ids) -> None:
    headers = {**bearer(keys["admin"]), "Content-Type": "application/json"}
    for deep in [b"[" * 100_000, b'{"title": ' + b"[" * 100_000, b'{"x":' * 50_000]:
        for method, path, _, _ in await json_writes(client):
            response = await client.request(
                method, concrete(path, demo_ids), content=deep, headers=headers
            )
            assert_problem(response, 400)


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data"])
async def test_a_body_not_sent_as_json_is_415(client, keys, demo_ids, content_type) -> None:
    headers = {**bearer(keys["admin"]), "Content-Type": content_type}
    for method, path, _, _ in await json_writes(client):
        response = await client.request(
            method, concrete(path, demo_ids), content=b'{"name": "x"}', headers=headers
        )
        assert_problem(response, 415)
    document = (await client.get("/api/v1/openapi.json")).json()
    assert "415" in document["paths"]["/services"]["post"]["responses"]


async def test_numbers_are_numbers_within_sane_ranges(client, keys, demo_ids) -> None:
    headers = bearer(keys["admin"])
    figures = f"/api/v1/services/{demo_ids['service_id']}/figures"
    figure = {"organisationId": demo_ids["organisation_id"], "year": 2022, "metric": "m"}
    as_string = await client.post(figures, json={**figure, "value": "0.5"}, headers=headers)
    assert_problem(as_string, 400, "value")
    huge = await client.post(figures, json={**figure, "value": 1e308}, headers=headers)
    assert_problem(huge, 400, "value")
    year = await client.post(figures, json={**figure, "year": "2022", "value": 1}, headers=headers)
    assert_problem(year, 400, "year")
    staff = f"/api/v1/handovers/{demo_ids['handover_id']}/staff"
    for fte in [1e308, "0.5", 3, -1]:
        response = await client.post(staff, json={"staffRef": "X-1", "fte": fte}, headers=headers)
        assert_problem(response, 400, "fte")
    provision = await client.patch(
        f"/api/v1/provisions/{demo_ids['provision_id']}",
        json={"staffedFte": 1e308},
        headers={**headers, "If-Match": '"1"'},
    )
    assert_problem(provision, 400, "staffedFte")
    document = (await client.get("/api/v1/openapi.json")).json()
    fte = document["components"]["schemas"]["StaffTransferCreate"]["properties"]["fte"]
    assert fte["exclusiveMinimum"] == 0
    assert fte["maximum"] <= 2


async def test_staff_refuses_a_service_the_handover_does_not_move(client, keys, demo_ids) -> None:
    headers = bearer(keys["admin"])
    other = await client.post("/api/v1/services", json={"name": "Niet verhuisd"}, headers=headers)
    assert other.status_code == 201, other.text
    # A handover of its own: the demo handovers' staff counts are other tests' facts.
    handover = await client.post(
        "/api/v1/handovers",
        json={
            "title": "Verhuist alleen Link050",
            "services": [{"serviceId": demo_ids["service_id"], "municipalityCode": "GM0014"}],
        },
        headers=headers,
    )
    assert handover.status_code == 201, handover.text
    staff = f"/api/v1/handovers/{handover.json()['id']}/staff"
    refused = await client.post(
        staff,
        json={"staffRef": "MW-NV-1", "fte": 0.5, "serviceId": other.json()["id"]},
        headers=headers,
    )
    assert_problem(refused, 409, "serviceId")
    moved = await client.post(
        staff,
        json={"staffRef": "MW-NV-1", "fte": 0.5, "serviceId": demo_ids["service_id"]},
        headers=headers,
    )
    assert moved.status_code == 201, moved.text


async def test_options_allows_every_method_of_a_path(client, keys) -> None:
    document = (await client.get("/api/v1/openapi.json")).json()
    checked = 0
    for path, item in document["paths"].items():
        methods = {m.upper() for m in item if m in {"get", "post", "patch", "put", "delete"}}
        url = "/api/v1" + path.replace("{cbsCode}", "GM0014")
        for name in ["organisationId", "serviceId", "provisionId", "handoverId", "subscriptionId"]:
            url = url.replace("{" + name + "}", "00000000-0000-4000-8000-000000000000")
        url = url.replace("{milestoneId}", "00000000-0000-4000-8000-000000000000")
        url = url.replace("{staffId}", "00000000-0000-4000-8000-000000000000")
        response = await client.options(url)
        assert response.status_code == 204, (url, response.text)
        allowed = {m.strip() for m in response.headers["allow"].split(",")}
        assert methods | {"OPTIONS"} <= allowed, (path, allowed)
        checked += len(methods) > 1
    assert checked >= 8


async def test_schema_carries_the_patterns_the_server_enforces(client, keys) -> None:
    document = (await client.get("/api/v1/openapi.json")).json()
    parameters = {
        (path, p["name"]): p["schema"]
        for path, item in document["paths"].items()
        for operation in item.values()
        for p in operation.get("parameters", [])
    }
    cursor = string_option(parameters[("/organisations", "cursor")])["pattern"]
    assert cursor.startswith("^[A-Za-z0-9_-]")
    municipality = string_option(parameters[("/provisions", "municipality")])
    assert municipality["pattern"] == r"^GM\d{4}$"
    assert parameters[("/services/{serviceId}/timeline", "municipality")]["pattern"]
    assert parameters[("/services", "Idempotency-Key")]["pattern"] == "^[ -~]{1,255}$"
    on = string_option(parameters[("/municipalities/{cbsCode}/continuity", "on")])
    assert (on["formatMinimum"], on["formatMaximum"]) == ("1900-01-01", "2200-12-31")
    body = document["components"]["schemas"]["ProvisionCreate"]["properties"]
    assert body["municipalityCode"]["pattern"] == r"^GM\d{4}$"
    assert body["validFrom"]["formatMaximum"] == "2200-12-31"
    headers = bearer(keys["admin"])
    assert_problem(await client.get("/api/v1/organisations?cursor=%25%25", headers=headers), 400)


async def test_role_is_checked_before_the_idempotency_key(client, keys) -> None:
    """A key without the right learns nothing about its input: 403 before 400."""
    response = await client.post(
        "/api/v1/services",
        json={"name": "x"},
        headers={**bearer(keys["municipality"]), "Idempotency-Key": "a\tb"},
    )
    assert_problem(response, 403)
    allowed = await client.post(
        "/api/v1/services",
        json={"name": "x"},
        headers={**bearer(keys["registrar"]), "Idempotency-Key": "a\tb"},
    )
    assert_problem(allowed, 400, "Idempotency-Key")


async def test_municipality_keys_have_one_scope_everywhere(client, keys, demo_ids) -> None:
    """Groningen's key: Emmen is as closed in timelines and provisions as in continuity."""
    groningen = bearer(keys["municipality"])
    service = demo_ids["service_id"]
    for url in [
        "/api/v1/municipalities/GM0114/continuity",
        f"/api/v1/services/{service}/timeline?municipality=GM0114",
        "/api/v1/provisions?municipality=GM0114",
        "/api/v1/continuity/issues?municipality=GM0114",
    ]:
        assert_problem(await client.get(url, headers=groningen), 403)
    for url in [
        f"/api/v1/services/{service}/timeline?municipality=GM0014",
        f"/api/v1/services/{service}/timeline?municipality=GM0017",  # merged into GM0014
        "/api/v1/provisions?municipality=GM0014",
        "/api/v1/provisions?municipality=GM0017",
    ]:
        response = await client.get(url, headers=groningen)
        assert response.status_code == 200, (url, response.text)

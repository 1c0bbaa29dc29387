"""The OpenAPI document and the cross-cutting HTTP behaviour the NL API Design Rules ask for.

The Spectral ruleset in shared/tools runs in CI; these tests check the same properties in
Python, so a regression shows up in a plain ``pytest`` run too.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from app.settings import API_VERSION

OPENAPI = "/api/v1/openapi.json"
PROBLEM_JSON = "application/problem+json"
METHODS = {"get", "put", "post", "delete", "patch"}
KEBAB_SEGMENT = re.compile(r"^([a-z0-9]+(-[a-z0-9]+)*|\{[^}]+\})$")
CAMEL_CASE = re.compile(r"^[a-z][a-z0-9]*([A-Z][a-z0-9]*)*$")
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$")


@pytest.fixture(scope="module")
async def document(client: AsyncTestClient) -> dict[str, Any]:
    response = await client.get(OPENAPI)
    assert response.status_code == 200, response.text
    return response.json()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        *_, name = node["$ref"].split("/")
        node = document["components"]["schemas"][name]
    return node


async def test_document_is_openapi_3_with_contact_and_semver(document: dict[str, Any]) -> None:
    assert re.fullmatch(r"3\.\d+(\.\d+)?", document["openapi"])
    contact = document["info"]["contact"]
    assert contact.get("name")
    assert contact.get("email")
    assert contact.get("url")
    assert SEMVER.fullmatch(document["info"]["version"])
    assert document["info"]["version"] == API_VERSION


async def test_server_url_carries_the_major_version(document: dict[str, Any]) -> None:
    assert document["servers"][0]["url"].endswith("/api/v1")


async def test_documents_the_api_operations(document: dict[str, Any]) -> None:
    paths = document["paths"]
    for path in ("/municipalities/{cbsCode}/continuity", "/services", "/organisations"):
        assert path in paths, sorted(paths)
    assert len(operations(document)) >= 10


async def test_paths_are_kebab_case_without_trailing_slash(document: dict[str, Any]) -> None:
    for path in document["paths"]:
        assert path.startswith("/"), path
        assert not path.endswith("/"), path
        for segment in path.strip("/").split("/"):
            assert KEBAB_SEGMENT.fullmatch(segment), f"{path}: {segment!r} is not kebab-case"


async def test_query_parameters_are_camel_case(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                assert CAMEL_CASE.fullmatch(parameter["name"]), (method, path, parameter["name"])


async def test_every_operation_has_an_id_and_a_400_when_it_takes_input(
    document: dict[str, Any],
) -> None:
    ids = []
    for path, method, operation in operations(document):
        assert operation.get("operationId"), (method, path)
        ids.append(operation["operationId"])
        if operation.get("parameters") or operation.get("requestBody"):
            assert "400" in operation["responses"], (method, path)
    assert len(ids) == len(set(ids)), "operationIds must be unique"


async def test_every_error_response_is_problem_json(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        for status, response in operation["responses"].items():
            if not status.startswith(("4", "5")):
                continue
            content = response.get("content", {})
            assert PROBLEM_JSON in content, (method, path, status)
            schema = resolve(document, content[PROBLEM_JSON]["schema"])
            assert {"status", "title", "detail"} <= set(schema.get("required", [])), (
                method,
                path,
                status,
            )
            assert {"status", "title", "detail"} <= set(schema.get("properties", {}))


async def test_every_success_documents_the_api_version_header(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        successes = [s for s in operation["responses"] if s.startswith(("2", "3"))]
        assert successes, (method, path)
        for status in successes:
            headers = operation["responses"][status].get("headers", {})
            assert "API-Version" in headers, (method, path, status)


async def test_openapi_response_has_version_header_and_cors(client: AsyncTestClient) -> None:
    response = await client.get(OPENAPI, headers={"Origin": "https://gemeente.example"})
    assert response.status_code == 200
    assert response.headers["API-Version"] == API_VERSION
    assert response.headers["Access-Control-Allow-Origin"] in {"*", "https://gemeente.example"}


async def test_cors_preflight_allows_the_authorization_header(client: AsyncTestClient) -> None:
    response = await client.options(
        "/api/v1/services",
        headers={
            "Origin": "https://gemeente.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert response.status_code in {200, 204}
    assert response.headers["Access-Control-Allow-Origin"] in {"*", "https://gemeente.example"}
    assert "authorization" in response.headers["Access-Control-Allow-Headers"].lower()


async def test_health_and_ready(client: AsyncTestClient) -> None:
    health = await client.get("/health")
    assert health.status_code == 200
    assert health.headers["API-Version"] == API_VERSION
    ready = await client.get("/ready")
    assert ready.status_code == 200, ready.text


@pytest.mark.parametrize(
    "path",
    ["/api/v1/no-such-resource", "/api/v1/services/no/such/thing", "/no-such-page"],
)
async def test_missing_route_is_a_problem_404_with_version_header(
    client: AsyncTestClient, path: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    assert response.headers["API-Version"] == API_VERSION
    body = response.json()
    assert body["status"] == 404
    assert body["title"]
    assert body["detail"]
    assert body["type"]
